"""Periods in a sentence: a year, a range of years, "до/к YEAR", "за N месяцев YEAR",
"в год", and the relative forms ("в этом году", "до конца года") resolved against
the document's own year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import Period, PeriodKind

MONTH_WORDS = {
    "одного": 1,
    "двух": 2,
    "трех": 3,
    "трёх": 3,
    "четырех": 4,
    "четырёх": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "восьми": 8,
    "девяти": 9,
    "десяти": 10,
    "одиннадцати": 11,
    "двенадцати": 12,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
}
MONTH_NAMES = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
YEAR_WORD = r"(?:годах|годами|годам|годы|году|года|годом|год|гг\.?|г\.?)"
REL_CURRENT = r"(?:текущего|этого|нынешнего|сего)\s+года"
REL_PREVIOUS = r"(?:прошлого|минувшего|предыдущего)\s+года"

# Spans that look like a period but name a base of comparison.
COMPARISON = re.compile(
    rf"(?:по\s+сравнению\s+с\s+|к\s+|против\s+|относительно\s+)?(?:аналогичн\w+\s+период\w*\s+"
    rf"(?:{REL_PREVIOUS}|\d{{4}}\s*{YEAR_WORD})|уровн\w+\s+\d{{4}}\s*{YEAR_WORD}|"
    rf"по\s+сравнению\s+с\s+\d{{4}}\s*{YEAR_WORD})",
    re.IGNORECASE,
)
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "months",
        re.compile(
            r"(?:за|по\s+итогам|в\s+течение|в\s+течении)\s+(?:перв\w+\s+)?"
            r"(?P<n>\d{1,2}|" + "|".join(MONTH_WORDS) + r")(?:-?\w{0,3})?\s+месяц\w*"
            rf"(?:\s+(?:(?P<year>\d{{4}})\s*{YEAR_WORD}|(?P<cur>{REL_CURRENT})|(?P<prev>{REL_PREVIOUS})))?",
            re.IGNORECASE,
        ),
    ),
    (
        "months_span",
        re.compile(
            r"(?:за\s+|в\s+)?(?P<from>январ\w*)\s*[–—-]\s*(?P<to>"
            + "|".join(MONTH_NAMES[1:])
            + rf")\w*(?:\s+(?P<year>\d{{4}})\s*{YEAR_WORD}?|\s+(?P<cur>{REL_CURRENT}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "half",
        re.compile(
            rf"(?:за|в)\s+(?:перв\w+\s+полугоди\w+|I\s+полугоди\w+)(?:\s+(?P<year>\d{{4}})\s*{YEAR_WORD}|\s+(?P<cur>{REL_CURRENT}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "range",
        re.compile(
            rf"(?:в\s+|на\s+|с\s+)?(?P<a>\d{{4}})\s*[–—-]\s*(?P<b>\d{{4}})(?:-?е)?\s*{YEAR_WORD}",
            re.IGNORECASE,
        ),
    ),
    (
        "by",
        re.compile(
            rf"(?:\bдо|\bк)\s+(?:(?:концу|конца|окончания|середины|началу)\s+)?(?P<year>\d{{4}})"
            rf"(?:-?(?:го|му|м))?\s*{YEAR_WORD}?",
            re.IGNORECASE,
        ),
    ),
    (
        "by_rel",
        re.compile(
            rf"(?:\bдо|\bк)\s+(?:концу|конца|окончания)\s+(?:(?P<cur>{REL_CURRENT}|года)|(?P<next>следующего\s+года))",
            re.IGNORECASE,
        ),
    ),
    (
        "since",
        re.compile(rf"\bс\s+(?P<year>\d{{4}})\s*{YEAR_WORD}", re.IGNORECASE),
    ),
    (
        "year",
        re.compile(
            rf"(?P<year>(?<!\d)\d{{4}})(?:(?:-?(?:м|й|го))?\s*{YEAR_WORD}|-(?:м|й|го)\b)"
            r"(?!\s*[–—-]\s*\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "year_rel",
        re.compile(
            rf"(?:в|на)\s+(?P<cur>(?:текущ|эт|нынешн)\w+)\s+год\w*|(?P<cur2>{REL_CURRENT})|"
            rf"(?:в|на)\s+(?P<next>(?:следующ|будущ|предстоящ)\w+)\s+год\w*|"
            rf"(?P<prev>(?:в|за)\s+(?:прошл|минувш)\w+\s+год\w*|{REL_PREVIOUS})|"
            rf"(?P<cur3>(?:уже\s+)?в\s+нынешнем\s+году)",
            re.IGNORECASE,
        ),
    ),
    (
        "per_year",
        re.compile(r"\b(?:в\s+год|ежегодно|в\s+течение\s+года|годов\w+)\b", re.IGNORECASE),
    ),
]


@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int
    end: int
    period: Period


def find_periods(text: str, document_year: int | None) -> list[PeriodMention]:
    """Non-overlapping periods in a sentence, in order."""
    taken = [(m.start(), m.end()) for m in COMPARISON.finditer(text)]
    found: list[PeriodMention] = []
    for name, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            period = _period(name, match, document_year)
            taken.append((match.start(), match.end()))
            if period is not None:
                found.append(PeriodMention(match.start(), match.end(), period))
    return sorted(found, key=lambda p: p.start)


def _year(match: re.Match[str], document_year: int | None) -> int | None:
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    if any(groups.get(k) for k in ("cur", "cur2", "cur3")):
        return document_year
    if groups.get("prev"):
        return document_year - 1 if document_year else None
    if groups.get("next"):
        return document_year + 1 if document_year else None
    return None


def _period(name: str, match: re.Match[str], document_year: int | None) -> Period | None:
    groups = match.groupdict()
    match name:
        case "months":
            n = groups["n"]
            months = int(n) if n.isdigit() else MONTH_WORDS[n.lower()]
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
                i for i, stem in enumerate(MONTH_NAMES, 1) if to.startswith(stem) and i > 1
            )
            return Period(PeriodKind.MONTHS, months=months, year=_year(match, document_year))
        case "half":
            return Period(PeriodKind.MONTHS, months=6, year=_year(match, document_year))
        case "range":
            a, b = int(groups["a"]), int(groups["b"])
            return Period(PeriodKind.RANGE, year=a, year_to=b) if a < b else None
        case "by" | "by_rel":
            year = _year(match, document_year)
            if year is None and name == "by_rel" and groups.get("cur"):
                year = document_year
            return Period(PeriodKind.BY, year=year) if year else None
        case "since":
            return Period(PeriodKind.SINCE, year=int(groups["year"]))
        case "year" | "year_rel":
            year = _year(match, document_year)
            return Period(PeriodKind.YEAR, year=year) if year else None
        case "per_year":
            return Period(PeriodKind.PER_YEAR)
    return None
