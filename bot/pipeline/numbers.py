"""Numeric mentions in a sentence: the number, its scale, its unit and its hedge.

"1,6 трлн тенге" → 1600000000000 KZT; "2 800 рабочих мест" → 2800 jobs;
"с 15 тыс. до 200 тыс. тонн" → 15000 t and 200000 t, linked as a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise

from bot.domain import Qualifier
from bot.pipeline import units as u
from bot.pipeline.morph import fold, parses

# A number: digits with optional space-grouped thousands and a decimal part.
# Not glued to letters ("COVID-19", "Агро-2018"), not part of a date or a time.
NUMBER = re.compile(
    r"(?<![\w.,/№:])(?<!\w-)(?<!№ )(\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:[.,](\d+))?(?!\d)"
    r"(?![\d%]?[.,:]\d)(?!-?(?:й|го|м|х|я|е|ой|ый|ий|ая|ое|ые|ого|ому|ым|ом)\b)(?![a-zA-Zа-яА-Я])"
)
RANGE_JOIN = re.compile(r"\s*(?:[–—-]|\s+до\s+|\s+по\s+)\s*$")
PHRASE_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|[^\s\w]", re.UNICODE)
QUALIFIER_BEFORE = re.compile(
    r"(?:^|[\s(«\"])(более\s+чем|не\s+менее|не\s+более|не\s+ниже|более|свыше|больше|около|порядка|"
    r"примерно|приблизительно|ориентировочно|почти|менее|меньше|до|от)"
    r"(?:\s+(?:на|в|с))?\s*$",
    re.IGNORECASE,
)
CHANGE_VERB_BEFORE = re.compile(
    r"\b(?:вы?рос\w*|увелич\w*|снизи\w*|сократи\w*|уменьши\w*|подня\w*|опусти\w*|"
    r"упа\w*|довед\w*|дове\w*|достиг\w*|сниж\w*|повыс\w*|расшир\w*)\s+(?:\S+\s+){0,2}$",
    re.IGNORECASE,
)
EXCEED_BEFORE = re.compile(r"\bпревы[сш]\w*\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
QUALIFIERS = {
    "более чем": Qualifier.MORE_THAN,
    "не менее": Qualifier.AT_LEAST,
    "не ниже": Qualifier.AT_LEAST,
    "не более": Qualifier.UP_TO,
    "более": Qualifier.MORE_THAN,
    "свыше": Qualifier.MORE_THAN,
    "больше": Qualifier.MORE_THAN,
    "около": Qualifier.ABOUT,
    "порядка": Qualifier.ABOUT,
    "примерно": Qualifier.ABOUT,
    "приблизительно": Qualifier.ABOUT,
    "ориентировочно": Qualifier.ABOUT,
    "почти": Qualifier.ALMOST,
    "менее": Qualifier.LESS_THAN,
    "меньше": Qualifier.LESS_THAN,
    "до": Qualifier.UP_TO,
    "от": Qualifier.FROM,
}
ADJECTIVAL = frozenset({"ADJF", "PRTF", "NUMR", "ADJS"})
# Words that may stand between a number and its noun without ending the phrase.
PHRASE_GLUE = frozenset({"«", "»", '"', "“", "”"})


@dataclass(frozen=True, slots=True)
class NumberMention:
    start: int  # offsets within the sentence, of the number with its scale and unit
    end: int
    value: Decimal
    unit: str
    noun: str | None = None  # the counted noun's lemma, where there is one
    qualifier: Qualifier | None = None
    change_from: bool = False  # "с X до Y": X is where it starts
    change_to: bool = False  # … and Y where it is meant to get
    inherited: bool = False  # the unit came from a neighbour ("36 крупных, 67 средних")
    number_start: int = 0
    tags: frozenset[str] = field(default_factory=frozenset)


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    number: Decimal
    scale: int
    unit: str | None
    noun: str | None
    tail_end: int
    is_year: bool = False
    is_time: bool = False
    per_day: bool = False


def parse_number(integer: str, fraction: str | None) -> Decimal:
    digits = integer.replace(" ", "")
    return Decimal(f"{digits}.{fraction}") if fraction else Decimal(digits)


OF_THEM = re.compile(r"\s*из\s+(?:них|которых|этого\s+числа|этих)\b", re.IGNORECASE)


def find_numbers(
    text: str,
    sentence_lemmas: frozenset[str] = frozenset(),
    before: NumberMention | None = None,
) -> list[NumberMention]:
    """Mentions in one sentence; `before` is the last mention of the sentence
    before it, for "3 из них" that counts what that one counted."""
    raws = [_read(text, match, sentence_lemmas) for match in NUMBER.finditer(text)]
    raws = _merge_compounds(text, [raw for raw in raws if not raw.is_time])
    _link_ranges(text, raws)
    mentions: list[NumberMention] = []
    previous: NumberMention | None = None
    if before is not None and raws and OF_THEM.match(text, raws[0].end):
        previous = replace(before, start=0, end=0)
    for index, raw in enumerate(raws):
        if raw.is_year:
            continue
        unit, noun, inherited = raw.unit, raw.noun, False
        if unit is None:
            if previous is not None and _may_inherit(text, previous, raw):
                unit, noun, inherited = previous.unit, previous.noun, True
            else:
                continue
        value = raw.number * raw.scale
        qualifier = _qualifier(text, raw.start)
        change_from = change_to = False
        if index + 1 < len(raws) and _joined(text, raw, raws[index + 1]):
            change_from = _starts_change(text, raw.start)
            if qualifier is Qualifier.FROM:
                qualifier = Qualifier.FROM
        if index > 0 and _joined(text, raws[index - 1], raw):
            change_to = _starts_change(text, raws[index - 1].start)
            if change_to or qualifier is Qualifier.UP_TO:
                qualifier = None if change_to else qualifier
        start = raw.start
        prefix = u.PREFIX_CURRENCY.search(text[max(0, raw.start - 8) : raw.start])
        if prefix and unit is None:
            unit = u.CURRENCY_CODES[prefix.group(1)]
        mention = NumberMention(
            start=start,
            end=raw.tail_end,
            value=value,
            unit=unit,
            noun=noun,
            qualifier=qualifier,
            change_from=change_from,
            change_to=change_to,
            inherited=inherited,
            number_start=raw.start,
        )
        mentions.append(mention)
        previous = mention
    return mentions


def _merge_compounds(text: str, raws: list[_Raw]) -> list[_Raw]:
    """ "1 трлн 250 млрд тенге", "2 млрд 300 млн тенге": one amount in two parts, the
    larger scale first and the unit after the last."""
    merged: list[_Raw] = []
    for raw in raws:
        head = merged[-1] if merged else None
        if (
            head is not None
            and head.scale > raw.scale > 1
            and head.unit is None
            and not head.is_year
            and not text[head.tail_end : raw.start].strip()
        ):
            total = head.number * head.scale + raw.number * raw.scale
            merged[-1] = replace(raw, start=head.start, number=total, scale=1)
            continue
        merged.append(raw)
    return merged


def _read(text: str, match: re.Match[str], lemmas: frozenset[str]) -> _Raw:
    number = parse_number(match.group(1), match.group(2))
    start, pos = match.start(), match.end()
    raw = _Raw(start, pos, number, 1, None, None, pos)
    multiplier = u.MULTIPLIER.match(text, pos)
    if multiplier:
        raw.scale = _multiplier_value(multiplier.group(1))
        pos = multiplier.end()
    raw.tail_end = pos
    prefix = u.PREFIX_CURRENCY.search(text[max(0, start - 8) : start])
    if prefix:
        raw.unit = u.CURRENCY_CODES[prefix.group(1)]
        return raw
    currency = u.CURRENCY.match(text, pos)
    if currency:
        code = _currency_code(currency.group(1))
        raw.tail_end = currency.end()
        per = u.PER_UNIT.match(text, currency.end())
        if per:
            code = f"{code}/{_per_unit_code(per.group(1))}"
            raw.tail_end = per.end()
        raw.unit = code
        return raw
    percent = u.PERCENT.match(text, pos)
    if percent:
        raw.unit, raw.tail_end = "percent", percent.end()
        return raw
    times = u.TIMES.match(text, pos)
    if times and re.search(r"\bв\s*$", text[:start], re.IGNORECASE):
        raw.unit, raw.tail_end = "times", times.end()
        return raw
    for pattern, code in u.SYMBOL_UNITS:
        symbol = pattern.match(text, pos)
        if symbol:
            raw.unit, raw.tail_end = code, symbol.end()
            return raw
    noun, noun_end, after = _noun_phrase(text, pos)
    if _is_year(match, raw, noun, text):
        raw.is_year = True
        return raw
    if noun is None:
        return raw
    if noun in u.TIME_NOUNS:
        raw.is_time = True
        return raw
    raw.noun, raw.tail_end = noun, noun_end
    raw.unit = _noun_unit(noun, after, text, noun_end, lemmas)
    return raw


def _multiplier_value(word: str) -> int:
    key = fold(word).rstrip(".")
    # The longest stem the word starts with: "миллиардов" is a "миллиард", not a "милл…".
    stems = [stem for stem in u.MULTIPLIERS if key.startswith(stem)]
    return u.MULTIPLIERS[max(stems, key=len)] if stems else 1


def _currency_code(word: str) -> str:
    key = fold(word).rstrip(".")
    for stem, code in u.CURRENCY_CODES.items():
        if key.startswith(stem):
            return code
    return "KZT"


def _per_unit_code(word: str) -> str:
    key = fold(word)
    for stem, code in u.PER_UNIT_CODES:
        if key.startswith(stem):
            return code
    return key


def _noun_phrase(text: str, pos: int) -> tuple[str | None, int, list[str]]:
    """The first noun after `pos`, skipping adjectives: (lemma, end offset, lemmas after it)."""
    adjectives: list[str] = []
    for token in PHRASE_TOKEN.finditer(text, pos, min(len(text), pos + 120)):
        word = token.group()
        if word in PHRASE_GLUE:
            continue
        if not word[0].isalpha():
            return None, pos, []
        analyses = parses(word)
        first_pos = analyses[0][1]
        if word[0].isupper() and first_pos != "NOUN" and not adjectives:
            return None, pos, []
        if first_pos == "NOUN":
            noun = analyses[0][0]
            if noun == "место" and "рабочий" in adjectives:
                noun = "рабочее место"
            after = [
                parses(t.group())[0][0]
                for t in PHRASE_TOKEN.finditer(text, token.end(), min(len(text), token.end() + 60))
                if t.group()[0].isalpha()
            ][:4]
            return noun, token.end(), after
        if first_pos in ADJECTIVAL:
            adjectives.append(analyses[0][0])
            if len(adjectives) > 3:
                return None, pos, []
            continue
        # "рабочих мест": pymorphy3 may read "рабочих" as a noun first
        return None, pos, []
    return None, pos, []


def _noun_unit(
    noun: str, after: list[str], text: str, noun_end: int, lemmas: frozenset[str]
) -> str:
    if noun == "рабочее место":
        return "jobs"
    if noun == "пара" and after and after[0] in {"поезд", "состав", "грузовой", "пассажирский"}:
        daily = re.search(r"в сутки|ежесуточн|в день|за сутки", text, re.IGNORECASE)
        return "train pairs/day" if daily else "train pairs"
    if noun in u.PEOPLE_NOUNS:
        return "jobs" if lemmas & u.JOB_CONTEXT else "people"
    return u.NOUN_UNITS.get(noun, "count")


def _is_year(match: re.Match[str], raw: _Raw, noun: str | None, text: str) -> bool:
    token = match.group(0)
    if match.group(2) or " " in token or raw.scale != 1:
        return False
    if not (len(token) == 4 and 1900 <= int(token) <= 2100):
        return False
    if noun is None or noun in u.TIME_NOUNS:
        return True
    return noun not in u.NOUN_UNITS and noun != "рабочее место"


def _may_inherit(text: str, previous: NumberMention, raw: _Raw) -> bool:
    """A bare number after a counted one counts the same thing when nothing but
    adjectives, a conjunction or "из них" stands between ("36 крупных, 67 средних")."""
    if previous.unit in {"percent", "times"} or previous.unit.startswith(("KZT", "USD", "EUR")):
        return _joined_by_range(text, previous.end, raw.start)
    between = text[previous.end : raw.start]
    return len(between) <= 120


def _joined_by_range(text: str, left_end: int, right_start: int) -> bool:
    return bool(RANGE_JOIN.search(text[left_end:right_start])) and right_start - left_end <= 6


def _joined(text: str, left: _Raw, right: _Raw) -> bool:
    return right.start - left.tail_end <= 6 and bool(
        RANGE_JOIN.search(text[left.tail_end : right.start])
    )


def _link_ranges(text: str, raws: list[_Raw]) -> None:
    """In "5–10 процентов" or "с 15 тыс. до 200 тыс. тонн" the first number borrows
    the unit (and, when it has none, the scale) of the second."""
    for left, right in pairwise(raws):
        if left.unit is None and not left.is_year and _joined(text, left, right):
            if right.is_year:
                continue
            left.unit, left.noun = right.unit, right.noun
            if left.scale == 1 and right.scale != 1 and left.number < right.number * 1000:
                left.scale = right.scale


def _starts_change(text: str, start: int) -> bool:
    return bool(re.search(r"(?:^|\s)с\s*$", text[:start], re.IGNORECASE))


def _qualifier(text: str, start: int) -> Qualifier | None:
    before = text[max(0, start - 40) : start]
    match = QUALIFIER_BEFORE.search(before)
    if match:
        key = re.sub(r"\s+", " ", match.group(1).lower())
        if key == "до" and CHANGE_VERB_BEFORE.search(before[: match.start(1)]):
            return None  # "выросло до 19": the new level, not a bound
        return QUALIFIERS.get(key)
    if EXCEED_BEFORE.search(before):
        return Qualifier.MORE_THAN
    return None


def with_unit(mention: NumberMention, unit: str) -> NumberMention:
    return replace(mention, unit=unit)
