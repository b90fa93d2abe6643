"""What a figure says beside its measure: the object measured, the time a rate is per,
the high end of a range, and whether it is a part of a whole stated before it.

The phrases (rates, part markers) are tables of `data/vocab/subjects.toml`; the
object is read from the noun phrase around the figure with pymorphy3.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.pipeline.lexicon import plain, terms
from bot.pipeline.morph import analyzer, nominative, parses
from bot.pipeline.numbers import NumberMention
from bot.pipeline.vocabulary import normalise, word_map

AnalysedToken = tuple[str, int, str | None, frozenset[str]]


def _alternatives(phrases: Iterable[str]) -> str:
    """Phrases as one regex group, longest first, matched as whole words."""
    ordered = sorted(phrases, key=len, reverse=True)
    # any run of spaces between the words: "из  них" reads as "из них"
    escaped = (re.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered)
    return r"(?<!\w)(" + "|".join(escaped) + r")(?!\w)"


# The dictionary form of a word: inflecting is slow, and the same words come back.
_nominative = lru_cache(maxsize=50_000)(nominative)

RATE_PHRASES: dict[str, str] = word_map("subjects", "per")
RATE = re.compile(_alternatives(RATE_PHRASES))
PART_MARKERS = plain("subjects", "parts", "markers")
PART = re.compile(_alternatives(PART_MARKERS))
# "3 из них": a count of some of the things counted just before.
OF_THEM_AFTER = re.compile(
    r"\d(?:[\d\s.,]*\d)?\s*" + _alternatives(plain("subjects", "parts", "after")),
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r"[;.!?]|,\s|\s[—–]\s")
# A range of one indicator: "5–10 %", "от 5 до 10 %", "30–40 пайызға".
RANGE_DASH = re.compile(r"\s*[–—-]\s*")
RANGE_WORDS = re.compile(
    r"\s+" + _alternatives(plain("subjects", "ranges", "joins")) + r"\s+", re.IGNORECASE
)
# Units whose time is in the unit itself.
UNIT_RATES = {"/day": "day", "/h": "hour", "/year": "year", "/month": "month"}
# How far after (and before) a figure a rate's words may stand.
RATE_REACH_AFTER = 60
RATE_REACH_BEFORE = 30

# Nouns of measures ("выплавка", "запас", "ввод"): the genitive after one is the object.
MEASURE_NOUNS = frozenset().union(
    *(
        terms("measures", key)
        for key in ("volume", "output_value", "cargo", "shipments", "stock", "reserves", "growth")
    ),
    plain("subjects", "objects", "heads"),
)
# Counts of people and jobs: the noun ("человек", "рабочее место") is the unit itself.
PEOPLE_UNITS = frozenset({"jobs", "people"})
# Things, not materials: a plant or a project is the subject, never the object.
NOT_OBJECTS = plain("subjects", "facility_nouns") | plain("subjects", "referring_nouns")


@dataclass(frozen=True, slots=True)
class Rates:
    """A sentence's rate phrases and clause ends, found in one pass, so that each figure
    asks for its rate without reading the sentence again."""

    phrases: tuple[tuple[int, int, str], ...]  # start, end, per
    starts: tuple[int, ...]
    stops: tuple[int, ...]  # offsets of clause ends

    @classmethod
    def of(cls, text: str) -> Rates:
        folded = normalise(text)  # one letter for one letter: offsets stay
        phrases = tuple(
            (found.start(), found.end(), per)
            for found in RATE.finditer(folded)
            if (per := _rate(found.group(1))) is not None
        )
        stops = tuple(found.start() for found in CLAUSE_END.finditer(text))
        return cls(phrases, tuple(start for start, _, _ in phrases), stops)

    def rate_of(self, mention: NumberMention) -> str | None:
        """ "year", "day", "hour", … when the figure is a rate: "200 тыс. тонн стали в
        год", "ежесуточно 35 вагонов", "тәулігіне 800 вагон"."""
        for suffix, per in UNIT_RATES.items():
            if mention.unit.endswith(suffix):
                return per
        index = bisect_left(self.starts, mention.end)
        if index < len(self.phrases):
            start, _end, per = self.phrases[index]
            if start - mention.end <= RATE_REACH_AFTER and not self._stop_between(
                mention.end, start
            ):
                return per
        if index:
            start, end, per = self.phrases[index - 1]
            if (
                end <= mention.start
                and mention.start - start <= RATE_REACH_BEFORE
                and not self._stop_between(end, mention.start)
            ):
                return per
        return None

    def _stop_between(self, low: int, high: int) -> bool:
        index = bisect_left(self.stops, low)
        return index < len(self.stops) and self.stops[index] < high


def _rate(phrase: str) -> str | None:
    per = RATE_PHRASES.get(" ".join(normalise(phrase).split()))
    return str(per) if per else None


def ranges(text: str, mentions: Sequence[NumberMention]) -> dict[int, int]:
    """Pairs of mentions that are the two ends of one range, low index → high index."""
    pairs: dict[int, int] = {}
    for index in range(len(mentions) - 1):
        low, high = mentions[index], mentions[index + 1]
        if low.unit != high.unit or low.change_from or high.change_to or index in pairs.values():
            continue
        gap = text[low.end : high.number_start]
        dash = RANGE_DASH.fullmatch(gap) is not None
        words = RANGE_WORDS.fullmatch(gap) is not None and low.qualifier is not None
        if (dash or words) and low.value < high.value:
            pairs[index] = index + 1
    return pairs


def part_marks(text: str) -> list[int]:
    """Where the sentence's part markers ("в том числе", "из них", "оның ішінде") start,
    found once for all its figures."""
    return [found.start() for found in PART.finditer(normalise(text))]


def is_part(text: str, mention: NumberMention, marks: list[int], clause_start: int) -> bool:
    """The figure counts a part of a whole stated before it: "в том числе 120 — в
    промышленности", "из них 300 млрд", "оның ішінде 40", "3 из них"."""
    index = bisect_left(marks, clause_start)
    if index < len(marks) and marks[index] < mention.start:
        return True
    return bool(OF_THEM_AFTER.match(text, mention.number_start, mention.end + 30))


def object_of(
    tokens: Sequence[AnalysedToken],
    offsets: Sequence[int],
    position: int,
    mention: NumberMention,
    text: str,
) -> str | None:
    """What is measured: the genitive phrase after the figure ("тонн меди" → "медь"),
    else the genitive after a measure's noun before it ("выплавка чугуна выросла на
    5 %" → "чугун"), else the counted noun with its adjective ("36 крупных
    предприятий" → "крупное предприятие")."""
    after = _genitive_phrase(tokens, bisect_left(offsets, mention.end), text)
    if after:
        return after
    elided = _elided_object(tokens, position, text)
    if elided:
        return elided
    before = _genitive_of_measure(tokens, position, text)
    if before:
        return before
    return _counted(tokens, position, mention, text)


# A dash that stands for the verb a list of figures shares.
DASHES = frozenset({"—", "–", "-"})
# pymorphy3's marks of a name (a place, a person, an organisation): what a figure is
# said of, never what it measures ("– Темиртау — 63 км").
NAME_GRAMMEMES = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"})


def _elided_object(tokens: Sequence[AnalysedToken], position: int, text: str) -> str | None:
    """The object of a figure whose verb the sentence gave once for several: "чугуна
    выросло на 6 %, стали — на 6,6 %" → "сталь". The genitive noun right before the dash
    that stands for the verb (a preposition may come between the dash and the figure)."""
    index = position - 1
    if index >= 0 and tokens[index][2] == "PREP":
        index -= 1
    if index < 1 or tokens[index][2] != "PUNCT" or tokens[index][0] not in DASHES:
        return None
    word = _word_at(text, tokens[index - 1][1])
    nouns = [
        p[0]
        for p in parses(word)
        if p[1] == "NOUN" and "gent" in p[2] and not p[2] & NAME_GRAMMEMES
    ]
    if not nouns or nouns[0] in NOT_OBJECTS or nouns[0] in MEASURE_NOUNS:
        return None
    return _nominative(word).lower()


def _genitive_of_measure(tokens: Sequence[AnalysedToken], position: int, text: str) -> str | None:
    for index in range(position - 1, max(-1, position - 12), -1):
        lemma, _offset, pos, _grammemes = tokens[index]
        if pos == "PUNCT" and lemma in {".", ";", ":"}:
            return None
        if pos == "NOUN" and lemma in MEASURE_NOUNS:
            return _genitive_phrase(tokens, index + 1, text)
    return None


def _genitive_phrase(tokens: Sequence[AnalysedToken], start: int, text: str) -> str | None:
    skipped: str | None = None
    adjectives: list[str] = []
    for lemma, offset, pos, _grammemes in tokens[start : start + 5]:
        if pos == "PUNCT" and lemma in {"«", "»", '"'}:
            continue
        if pos in {"PREP", "CONJ", "PRCL", "INTJ", "NUMB", "PUNCT", "ADVB", "NPRO"}:
            break
        word = _word_at(text, offset)
        readings = {(parse[0], parse[1]) for parse in parses(word) if "gent" in parse[2]}
        adjective = next((lemma for lemma, kind in readings if kind in {"ADJF", "PRTF"}), None)
        if adjective is not None:
            adjectives.append(adjective)
            continue
        nouns = [noun for noun, kind in readings if kind == "NOUN"]
        if nouns and nouns[0] in MEASURE_NOUNS and not adjectives:
            skipped = _nominative(word).lower()
            continue  # "объём производства стали": the chain goes on to the material
        if nouns and nouns[0] not in NOT_OBJECTS:
            noun = _nominative(word).lower()
            return " ".join([*(_agreeing(a, noun) for a in adjectives), noun])
        break
    return None if adjectives else skipped


def _counted(
    tokens: Sequence[AnalysedToken], position: int, mention: NumberMention, text: str
) -> str | None:
    """The counted noun of a count, with the adjective that tells its kind."""
    if not mention.noun or " " in mention.noun or mention.unit in PEOPLE_UNITS:
        return None
    adjectives = []
    for lemma, offset, pos, _g in tokens[position + 1 : position + 3]:
        # "36 крупных предприятий"; "… и 67 средних": the noun is shared with the figure before
        if pos not in {"ADJF", "PRTF"} or (offset >= mention.end and not mention.inherited):
            break
        adjectives.append(lemma)
    noun = mention.noun
    if adjectives:
        adjective = _agreeing(adjectives[0], noun)
        return f"{adjective} {noun}"
    return noun


@lru_cache(maxsize=10_000)
def _agreeing(adjective: str, noun: str) -> str:
    """The adjective in the gender and number of the noun ("крупный" + "предприятие" →
    "крупное", "стальной" + "трубы" → "стальные")."""
    noun_parse = next((p for p in parses(noun) if "nomn" in p[2]), parses(noun)[0])
    if "plur" in noun_parse[2]:
        grammemes = {"plur", "nomn"}
    else:
        gender = next((g for g in ("masc", "femn", "neut") if g in noun_parse[2]), None)
        if gender is None:
            return adjective
        grammemes = {gender, "sing", "nomn"}
    for parse in analyzer().parse(adjective):
        if parse.tag.POS == "ADJF":
            inflected = parse.inflect(grammemes)
            return inflected.word if inflected else adjective
    return adjective


def _word_at(text: str, offset: int) -> str:
    match = re.match(r"[^\W_]+(?:-[^\W\d_]+)*", text[offset : offset + 60])
    return match.group() if match else ""
