"""Periods in a sentence: a year, a range of years, "до/к YEAR", "до конца YEAR",
"за N месяцев YEAR", "в год", the relative forms ("в этом году", "до конца года")
resolved against the document's own year, and their Kazakh counterparts ("2025
жылы", "2031 жылға дейін", "2025 жылдың соңына дейін", "биыл", "жыл басынан бері",
"қаңтар–қыркүйек").

The words are data (`data/vocab/periods.toml`); this module holds the order they
come in.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from bot.domain import Period, PeriodKind
from bot.pipeline.vocabulary import entry, normalise

LETTER = r"[^\W\d_]"


def _any(words: list[str] | tuple[str, ...]) -> str:
    """An alternation of words or phrases, longest first, any spacing inside."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(map(_literal, word.split())) for word in ordered)


def _literal(word: str) -> str:
    return (
        re.escape(word[:-1]) + r"\.?" if word.endswith(".") and len(word) > 1 else re.escape(word)
    )


@dataclass(frozen=True, slots=True)
class _Words:
    """The period words, as regular-expression alternations."""

    month_counts: dict[str, int]
    month_stems: tuple[str, ...]
    kazakh_months: tuple[str, ...]
    kazakh_counts: dict[str, int]
    patterns: list[tuple[str, re.Pattern[str]]]
    comparison: re.Pattern[str]


@cache
def _words() -> _Words:
    ru, kk = entry("periods", "ru"), entry("periods", "kk")
    year_word = f"(?:{_any(ru['year_words'])})"
    g = ru["grammar"]
    genitive = re.escape(g["year_genitive"])
    current = rf"(?:{_any(ru['current'])})\s+{genitive}"
    previous = rf"(?:{_any(ru['previous'])})\s+{genitive}"
    year_any = rf"{re.escape(g['year_stem'])}\w*"
    ordinal = _any(g["year_ordinal"])
    first, month_word, half = (
        rf"{re.escape(g[key])}\w*" for key in ("first_stem", "month_stem", "half_stem")
    )
    same, period_word, level = (
        rf"{re.escape(g[key])}\w*"
        for key in ("comparison_same_stem", "comparison_period_stem", "comparison_level_stem")
    )
    month_counts = {normalise(k): int(v) for k, v in ru["month_counts"].items()}
    months = tuple(ru["months"])
    by, end, within = _any(ru["by"]), _any(ru["end"]), _any(ru["within"])
    rel_lead = _any(g["rel_lead"])
    cur_stems, next_stems, prev_stems = (
        _any(ru[key]) for key in ("current_stems", "next_stems", "previous_stems")
    )
    kz_year = rf"(?:{re.escape(kk['year'])}{LETTER}*|{_any(kk['year_abbreviations'])})"
    kz_months = tuple(kk["months"])
    kz_counts = {
        normalise(k): int(Decimal(str(v)))
        for k, v in entry("numbers", "number_words", "kk").items()
    }
    kz_month = rf"{re.escape(kk['month'])}{LETTER}*"
    kz_end, kz_toward = _any(kk["end"]), _any(kk["toward"])
    kz_by, kz_since, kz_start = _any(kk["by"]), _any(kk["since"]), _any(kk["start"])
    kz_number = _any(list(kz_counts))
    kz_month_names = _any(list(kz_months))
    patterns: list[tuple[str, re.Pattern[str]]] = [
        (
            "kk_by_end",
            re.compile(
                rf"(?:(?P<year>\d{{4}})\s*(?:-?\s*)?{kz_year}|(?P<cur>{re.escape(kk['year'])}))"
                rf"\s+(?:{kz_end})\s+(?:{kz_toward})\b",
                re.IGNORECASE,
            ),
        ),
        (
            "kk_since",
            re.compile(
                rf"(?:(?P<year>\d{{4}})\s*(?:-?\s*)?{kz_year}(?:\s+(?:{kz_start}))?|"
                rf"(?P<cur>{re.escape(kk['year'])}\s+(?:{kz_start})|(?:{_any(list(kz_months[:1]))}){LETTER}*))"
                rf"\s+(?:{kz_since})\b",
                re.IGNORECASE,
            ),
        ),
        (
            "kk_by",
            re.compile(rf"(?P<year>\d{{4}})\s*(?:-?\s*)?{kz_year}\s+(?:{kz_by})\b", re.IGNORECASE),
        ),
        (
            "kk_months_span",
            re.compile(
                rf"(?:(?P<year>\d{{4}})\s*(?:-?\s*)?{kz_year}\s+)?(?P<from>{re.escape(kz_months[0])}){LETTER}*"
                rf"\s*[–—-]\s*(?P<to>{kz_month_names}){LETTER}*",
                re.IGNORECASE,
            ),
        ),
        (
            "kk_months",
            re.compile(
                rf"(?:(?P<year>\d{{4}})\s*(?:-?\s*)?{kz_year}\s+)?(?:(?P<cur>{_any(kk['current'])}){LETTER}*\s+)?"
                rf"(?P<n>\d{{1,2}}|{kz_number})(?:-{LETTER}+)?\s+{kz_month}(?!{LETTER})",
                re.IGNORECASE,
            ),
        ),
        (
            "kk_half",
            re.compile(
                rf"(?:(?P<year>\d{{4}})\s*(?:-?\s*)?{kz_year}(?:{LETTER}*)\s+)?(?:{_any(kk['half'])})",
                re.IGNORECASE,
            ),
        ),
        (
            "range",
            re.compile(
                rf"(?:(?:{_any(g['range_lead'])})\s+)?(?P<a>\d{{4}})\s*[–—-]\s*(?P<b>\d{{4}})"
                rf"(?:-?{re.escape(g['range_plural_ending'])})?\s*"
                rf"(?:{year_word}|{kz_year})",
                re.IGNORECASE,
            ),
        ),
        (
            "kk_year",
            re.compile(
                rf"(?P<year>(?<!\d)\d{{4}})\s*(?:-?\s*)?{kz_year}(?!\s*[–—-]\s*\d)", re.IGNORECASE
            ),
        ),
        (
            "kk_year_rel",
            re.compile(
                rf"(?<!{LETTER})(?:(?P<cur>(?:{_any(kk['current'])}){LETTER}*)|"
                rf"(?P<prev>(?:{_any(kk['previous'])}){LETTER}*|{_any(kk['previous_phrases'])})|"
                rf"(?P<next>{_any(kk['next_phrases'])}))(?!{LETTER})",
                re.IGNORECASE,
            ),
        ),
        (
            "kk_per_year",
            re.compile(rf"(?<!{LETTER})(?:{_any(kk['per_year'])})(?!{LETTER})", re.IGNORECASE),
        ),
        (
            "months",
            re.compile(
                rf"(?:{_any(ru['months_lead'])})\s+(?:{first}\s+)?"
                rf"(?P<n>\d{{1,2}}|{_any(list(month_counts))})(?:-?\w{{0,3}})?\s+{month_word}"
                rf"(?:\s+(?:(?P<year>\d{{4}})\s*{year_word}|(?P<cur>{current})|(?P<prev>{previous})))?",
                re.IGNORECASE,
            ),
        ),
        (
            "months_span",
            re.compile(
                rf"(?:(?:{_any(g['span_lead'])})\s+)?(?P<from>{months[0]}\w*)\s*[–—-]\s*(?P<to>"
                + "|".join(months[1:])
                + rf")\w*(?:\s+(?P<year>\d{{4}})\s*{year_word}?|\s+(?P<cur>{current}))?",
                re.IGNORECASE,
            ),
        ),
        (
            "half",
            re.compile(
                rf"(?:{_any(g['half_lead'])})\s+(?:{first}|{re.escape(g['half_roman'])})\s+{half}"
                rf"(?:\s+(?P<year>\d{{4}})\s*{year_word}|\s+(?P<cur>{current}))?",
                re.IGNORECASE,
            ),
        ),
        (
            "by_end",
            re.compile(
                rf"(?:\b(?:{by}))\s+(?:{end})\s+(?:(?P<year>\d{{4}})(?:-?(?:{ordinal}))?\s*{year_word}?|"
                rf"(?P<cur>{current}|{genitive})|(?P<next>{_any(ru['next_year'])}))",
                re.IGNORECASE,
            ),
        ),
        (
            "by",
            re.compile(
                rf"(?:\b(?:{by}))\s+(?:(?:{within})\s+)?(?P<year>\d{{4}})"
                rf"(?:-?(?:{ordinal}))?\s*{year_word}?",
                re.IGNORECASE,
            ),
        ),
        (
            "year_start",
            re.compile(
                rf"(?:{_any(ru['year_start'])})\s+(?:(?P<year>\d{{4}})\s*{year_word}|(?P<cur>{current}|{genitive}))",
                re.IGNORECASE,
            ),
        ),
        (
            "since",
            re.compile(
                rf"\b(?:{_any(ru['since'])})\s+(?P<year>\d{{4}})\s*{year_word}", re.IGNORECASE
            ),
        ),
        (
            "year",
            re.compile(
                rf"(?P<year>(?<!\d)\d{{4}})(?:(?:-?(?:{ordinal}))?\s*{year_word}|-(?:{ordinal})\b)"
                r"(?!\s*[–—-]\s*\d)",
                re.IGNORECASE,
            ),
        ),
        (
            "year_rel",
            re.compile(
                rf"(?:{rel_lead})\s+(?P<cur>(?:{cur_stems})\w+)\s+{year_any}|(?P<cur2>{current})|"
                rf"(?:{rel_lead})\s+(?P<next>(?:{next_stems})\w+)\s+{year_any}|"
                rf"(?P<prev>(?:{_any(g['previous_lead'])})\s+(?:{prev_stems})\w+\s+{year_any}|{previous})",
                re.IGNORECASE,
            ),
        ),
        (
            "per_year",
            re.compile(
                rf"\b(?:{_any(ru['per_year'])}|{re.escape(ru['per_year_stem'])}\w+)\b",
                re.IGNORECASE,
            ),
        ),
    ]
    # Spans that look like a period but name a base of comparison.
    comparison = re.compile(
        rf"(?:(?:{_any(g['comparison_lead'])})\s+)?(?:{same}\s+{period_word}\s+"
        rf"(?:{previous}|\d{{4}}\s*{year_word})|{level}\s+\d{{4}}\s*{year_word}|"
        rf"{_any([g['comparison_with']])}\s+\d{{4}}\s*{year_word})",
        re.IGNORECASE,
    )
    # … and in Kazakh: a year in a form of "былтырғы/өткен жылғы/2024 жылғы" before a
    # noun of level in the ablative, or before "салыстырғанда".
    kz_base = (
        rf"(?:(?:{_any(kk['current'])}|{_any(kk['previous'])}){LETTER}*|"
        rf"(?:{re.escape(kk['previous_adjective'])}\s+|\d{{4}}\s*(?:-?\s*)?){kz_year})"
    )
    endings = entry("kazakh", "endings")
    from_or_with = _any([*endings["ablative"], *endings["instrumental"]])
    kz_comparison = (
        rf"{kz_base}\s+(?:{LETTER}+\s+)?(?:{_any(kk['comparison_nouns'])}){LETTER}*"
        rf"(?:{from_or_with})\b|"
        rf"{kz_base}(?:\s+{LETTER}+)?\s+(?:{_any(kk['comparison_words'])})"
    )
    comparison = re.compile(f"{comparison.pattern}|{kz_comparison}", re.IGNORECASE)
    return _Words(month_counts, months, kz_months, kz_counts, patterns, comparison)


@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int
    end: int
    period: Period


def find_periods(text: str, document_year: int | None) -> list[PeriodMention]:
    """Non-overlapping periods in a sentence, in order."""
    vocabulary = _words()
    taken = _Spans()
    for match in vocabulary.comparison.finditer(text):
        taken.add(match.start(), match.end())
    found: list[PeriodMention] = []
    for name, pattern in vocabulary.patterns:
        for match in pattern.finditer(text):
            if taken.overlaps(match.start(), match.end()):
                continue
            period = _period(name, match, document_year)
            taken.add(match.start(), match.end())
            if period is not None:
                found.append(PeriodMention(match.start(), match.end(), period))
    return sorted(found, key=lambda p: p.start)


class _Spans:
    """Non-overlapping spans kept in order, so a sentence of thousands of periods
    is checked in logarithmic time per span."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self._starts, end)  # spans that start before `end`
        return index > 0 and self._ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)


def _year(match: re.Match[str], document_year: int | None) -> int | None:
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    if any(groups.get(k) for k in ("cur", "cur2")):
        return document_year
    if groups.get("prev"):
        return document_year - 1 if document_year else None
    if groups.get("next"):
        return document_year + 1 if document_year else None
    return None


def _month_count(word: str, counts: dict[str, int]) -> int:
    return int(word) if word.isdigit() else counts.get(normalise(word), 0)


def _period(name: str, match: re.Match[str], document_year: int | None) -> Period | None:
    groups = match.groupdict()
    vocabulary = _words()
    match name:
        case "months" | "kk_months":
            counts = vocabulary.month_counts if name == "months" else vocabulary.kazakh_counts
            months = _month_count(groups["n"], counts)
            if not 1 <= months <= 12:
                return None
            # "за 8 месяцев" in a report means this year's months
            year = _year(match, document_year) or document_year
            if months == 12 and year:
                return Period(PeriodKind.YEAR, year=year)
            return Period(PeriodKind.MONTHS, months=months, year=year)
        case "months_span":
            to = groups["to"].lower()
            months = next(
                i
                for i, stem in enumerate(vocabulary.month_stems, 1)
                if to.startswith(stem) and i > 1
            )
            return Period(PeriodKind.MONTHS, months=months, year=_year(match, document_year))
        case "kk_months_span":
            to = normalise(groups["to"])
            months = 1 + next(
                i for i, name_ in enumerate(vocabulary.kazakh_months) if to.startswith(name_)
            )
            return Period(PeriodKind.MONTHS, months=months, year=_year(match, document_year))
        case "half" | "kk_half":
            return Period(PeriodKind.MONTHS, months=6, year=_year(match, document_year))
        case "range":
            a, b = int(groups["a"]), int(groups["b"])
            return Period(PeriodKind.RANGE, year=a, year_to=b) if a < b else None
        case "by" | "kk_by":
            year = _year(match, document_year)
            return Period(PeriodKind.BY, year=year) if year else None
        case "by_end" | "kk_by_end":
            year = _year(match, document_year)
            if year is None and groups.get("cur") is not None:
                year = document_year
            return Period(PeriodKind.BY_END, year=year) if year else None
        case "since" | "kk_since" | "year_start":
            year = _year(match, document_year)
            return Period(PeriodKind.SINCE, year=year) if year else None
        case "year" | "year_rel" | "kk_year" | "kk_year_rel":
            year = _year(match, document_year)
            return Period(PeriodKind.YEAR, year=year) if year else None
        case "per_year" | "kk_per_year":
            return Period(PeriodKind.PER_YEAR)
    return None
