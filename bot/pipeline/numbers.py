"""Numeric mentions in a sentence: the number, its scale, its unit and its hedge.

"1,6 трлн тенге" → 1600000000000 KZT; "2 800 рабочих мест" → 2800 jobs;
"с 15 тыс. до 200 тыс. тонн" → 15000 t and 200000 t, linked as a change;
"2,3 мыңнан астам адам" → more than 2300 people; "екі есе" → 2 times.

The words are data (`data/vocab/units.toml`, `data/vocab/numbers.toml`). Every
look around a number is bounded (a few words before or after it, or one pass
over the sentence), so a sentence of thousands of numbers is read in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from itertools import pairwise

from bot.domain import Qualifier
from bot.pipeline import units as u
from bot.pipeline.endings import is_ending_chain
from bot.pipeline.language import KAZAKH, sentence_language
from bot.pipeline.morph import parses
from bot.pipeline.phrases import Found, PhraseTable
from bot.pipeline.vocabulary import entry, normalise, words


@cache
def _number_pattern() -> re.Pattern[str]:
    """A number: digits with optional space-grouped thousands and a decimal part.
    Not glued to letters ("COVID-19", "Агро-2018"), not part of a date ("2025-03-01")
    or a time, not a Russian ordinal ("2-й"); a hyphen between numbers is a range
    ("30-40"); a Kazakh ending after a hyphen is read by `_read`."""
    ordinals = "|".join(
        re.escape(e)
        for e in sorted(entry("numbers", "digits", "russian_ordinal"), key=len, reverse=True)
    )
    return re.compile(
        r"(?<![\w.,/№:])(?<![^\W\d_]-)(?!(?<=\d{4}-)\d\d(?!\d))(?<!\d{4}-\d\d-)(?<!№ )"
        r"(\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:[.,](\d+))?(?!\d)(?!-\d\d-\d)"
        rf"(?![\d%]?[.,:]\d)(?!-?(?:{ordinals})\b)(?![a-zA-Zа-яА-Я])"
    )


@cache
def _range_join() -> re.Pattern[str]:
    joins = "|".join(re.escape(w) for w in entry("numbers", "ranges", "joins"))
    return re.compile(rf"\s*(?:[–—-]|\s+(?:{joins})\s+)\s*$", re.IGNORECASE)


HYPHEN_ENDING = re.compile(r"-([^\W\d_]{1,6})(?![^\W\d_])")
PHRASE_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|[^\s\w]", re.UNICODE)
KAZAKH_WORD = re.compile(r"[^\W\d_]+|\d|[^\s\w«»\"“”]")
ADJECTIVAL = frozenset({"ADJF", "PRTF", "NUMR", "ADJS"})
# Marks that may stand between a number and its noun without ending the phrase.
PHRASE_GLUE = frozenset({"«", "»", '"', "“", "”"})
# How far a look before or after a number reaches, in characters.
LOOK_BEFORE = 40
LOOK_AFTER = 30
KAZAKH_NOUN_WORDS = 4  # words between a Kazakh number and its noun ("800-ге жуық жүк вагоны")


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
    qualifier: Qualifier | None = None  # a Kazakh hedge after the number ("100-ден астам")
    ablative: bool = False  # "5-тен 10-ға дейін": where a Kazakh range starts


@dataclass(slots=True)
class _Sentence:
    """What a sentence says once, for all its numbers."""

    text: str
    lemmas: frozenset[str]
    kazakh: bool
    _jobs: bool | None = None

    def about_jobs(self) -> bool:
        if self._jobs is None:
            if self.kazakh:
                self._jobs = u.kazakh_job_context().search(self.text) is not None
            else:
                self._jobs = bool(self.lemmas & u.job_context_lemmas())
        return self._jobs


def parse_number(integer: str, fraction: str | None) -> Decimal:
    digits = integer.replace(" ", "")
    return Decimal(f"{digits}.{fraction}") if fraction else Decimal(digits)


@cache
def _qualifiers_before() -> re.Pattern[str]:
    hedges = sorted(entry("numbers", "qualifiers", "before"), key=len, reverse=True)
    glue = "|".join(re.escape(w) for w in entry("numbers", "qualifiers", "before_glue", "words"))
    alternatives = "|".join(r"\s+".join(map(re.escape, h.split())) for h in hedges)
    return re.compile(rf"(?:^|[\s(«\"])({alternatives})(?:\s+(?:{glue}))?\s*$", re.IGNORECASE)


@cache
def _qualifier_values() -> dict[str, Qualifier]:
    table = {**entry("numbers", "qualifiers", "before"), **entry("numbers", "qualifiers", "after")}
    return {normalise(key): Qualifier(value) for key, value in table.items()}


@cache
def _qualifiers_after() -> PhraseTable[Qualifier]:
    table = entry("numbers", "qualifiers", "after")
    return PhraseTable({key: Qualifier(value) for key, value in table.items()})


@cache
def _change_verbs() -> tuple[PhraseTable[bool], PhraseTable[bool], PhraseTable[bool]]:
    table = entry("numbers", "change_verbs")
    return tuple(
        PhraseTable({p: True for p in table[key]}) for key in ("before", "after", "exceed")
    )  # type: ignore[return-value]


@cache
def _of_them() -> PhraseTable[bool]:
    return PhraseTable({p: True for p in entry("numbers", "of_them", "ru")})


@cache
def _ordinal_endings() -> frozenset[str]:
    return words("kazakh", "digits", "ordinal")


@cache
def _number_words() -> tuple[dict[str, Decimal], re.Pattern[str]]:
    table = entry("numbers", "number_words")
    values = {
        normalise(word): Decimal(str(value))
        for language in ("ru", "kk")
        for word, value in table[language].items()
    }
    halves = {normalise(word) for word in table["half"]}
    names = sorted({*values, *halves}, key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in names)
    pattern = re.compile(
        rf"(?<![^\W\d_])(?:{alternatives})(?:\s+(?:{alternatives}))*(?![^\W\d_])", re.IGNORECASE
    )
    return values, pattern


def _word_value(phrase: str) -> Decimal | None:
    """ "бір жарым" 1.5, "екі жүз" 200, "два" 2; None when the words are no number."""
    values, _ = _number_words()
    hundreds = words("numbers", "number_words", "hundreds")
    halves = words("numbers", "number_words", "half")
    total = Decimal(0)
    for word in normalise(phrase).split():
        if word in halves:
            total += Decimal("0.5")
        elif word in hundreds:
            total = max(total, Decimal(1)) * values[word]
        elif word in values:
            total += values[word]
    return total or None


def find_numbers(
    text: str,
    sentence_lemmas: frozenset[str] = frozenset(),
    before: NumberMention | None = None,
) -> list[NumberMention]:
    """Mentions in one sentence; `before` is the last mention of the sentence
    before it, for "3 из них" that counts what that one counted."""
    sentence = _Sentence(text, sentence_lemmas, sentence_language(text) == KAZAKH)
    raws = [
        raw
        for match in _number_pattern().finditer(text)
        if (raw := _read(sentence, match.start(), match.end(), _value(match))) is not None
    ]
    raws = sorted(raws + _word_numbers(sentence), key=lambda raw: raw.start)
    raws = _merge_compounds(text, [raw for raw in raws if not raw.is_time])
    _link_ranges(text, raws)
    mentions: list[NumberMention] = []
    previous: NumberMention | None = None
    if before is not None and raws and _of_them().match(text, raws[0].end):
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
        unit = _rate(sentence, raw, unit)
        value = raw.number * raw.scale
        qualifier = raw.qualifier or _qualifier(text, raw.start)
        change_from = change_to = False
        if index + 1 < len(raws) and _joined(text, raw, raws[index + 1]):
            change_from = _starts_change(text, raw.start)
        if index > 0 and _joined(text, raws[index - 1], raw):
            change_to = _starts_change(text, raws[index - 1].start)
            if change_to:
                qualifier = None
        mention = NumberMention(
            start=raw.start,
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


def _value(match: re.Match[str]) -> Decimal:
    return parse_number(match.group(1), match.group(2))


def _word_numbers(sentence: _Sentence) -> list[_Raw]:
    """Numbers written in words, where a multiplier or "раз"/"есе" follows them."""
    _, pattern = _number_words()
    found = []
    for match in pattern.finditer(sentence.text):
        value = _word_value(match.group())
        if value is None:
            continue
        pos = match.end()
        has_scale = u.multipliers().match(sentence.text, pos) is not None
        if not has_scale and _times(sentence.text, match.start(), pos) is None:
            continue
        raw = _read(sentence, match.start(), pos, value)
        if raw is not None and raw.unit is not None:
            found.append(raw)
    return found


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


def _read(sentence: _Sentence, start: int, pos: int, number: Decimal) -> _Raw | None:
    """The number at text[start:pos] with what follows it; None for an ordinal."""
    text = sentence.text
    ending = HYPHEN_ENDING.match(text, pos)
    if ending is not None:
        tail = normalise(ending.group(1))
        if any(
            tail.startswith(ordinal) and is_ending_chain(tail[len(ordinal) :])
            for ordinal in _ordinal_endings()
        ):
            return None  # "3-ші", "2-інші": a position in a list, not an amount
        if is_ending_chain(tail):
            pos = ending.end()  # "800-ге", "100-ден": the case does not change the value
    raw = _Raw(start, pos, number, 1, None, None, pos)
    raw.ablative = ending is not None and pos == ending.end() and _is_ablative(ending.group(1))
    multiplier = u.multipliers().match(text, pos)
    if multiplier:
        raw.scale = multiplier.value
        pos = multiplier.end
    pos = _hedge_after(sentence, raw, pos)
    raw.tail_end = pos
    prefix = _prefix_currency(text, start)
    if prefix:
        raw.unit = prefix
        return raw
    currency = u.currencies().match(text, pos)
    if currency:
        code, raw.tail_end = currency.value, currency.end
        per = u.per_words().match(text, currency.end)
        per_unit = u.per_units().match(text, per.end) if per else None
        if per_unit:
            code, raw.tail_end = f"{code}/{per_unit.value}", per_unit.end
        raw.unit = code
        raw.tail_end = _hedge_after(sentence, raw, raw.tail_end)
        return raw
    for table in (u.percent(), u.symbols()):
        found = table.match(text, pos)
        if found and not _phrase_abbreviation(text, found.pattern, found.end):
            raw.unit, raw.tail_end = found.value, found.end
            raw.tail_end = _hedge_after(sentence, raw, raw.tail_end)
            return raw
    times = _times(text, start, pos)
    if times is not None:
        raw.unit, raw.tail_end = "times", times
        return raw
    if sentence.kazakh:
        return _kazakh_noun(sentence, raw, pos)
    return _russian_noun(sentence, raw, pos)


def _hedge_after(sentence: _Sentence, raw: _Raw, pos: int) -> int:
    """A Kazakh hedge after the number or its unit ("мыңнан астам", "тоннаға жуық");
    a bound that a verb of change follows is the level reached, no hedge."""
    if not sentence.kazakh or raw.qualifier is not None:
        return pos
    hedge = _qualifiers_after().match(sentence.text, pos)
    if hedge is None:
        return pos
    _, after_verbs, _ = _change_verbs()
    if hedge.value is Qualifier.UP_TO and after_verbs.match(sentence.text, hedge.end):
        return hedge.end
    raw.qualifier = hedge.value
    return hedge.end


def _prefix_currency(text: str, start: int) -> str | None:
    """A currency symbol right before the number ("$1,2 млрд"), looked for in the
    few characters before it only."""
    before = text[max(0, start - 4) : start].rstrip()
    return u.prefix_currencies().get(before[-1:]) if before else None


def _phrase_abbreviation(text: str, pattern: str, end: int) -> bool:
    """ "т. е.", "т. д.": a one-letter abbreviation that opens a phrase, not a unit."""
    return pattern.endswith(".") and re.match(r"\s*[^\W\d_]\.", text[end : end + 4]) is not None


def _times(text: str, start: int, pos: int) -> int | None:
    """The end of "раз"/"есе" after the number ("в 3 раза", "екі есе"), if there."""
    after_preposition, plain, preposition = u.times()
    found = plain.match(text, pos)
    if found:
        return found.end
    found = after_preposition.match(text, pos)
    before = text[max(0, start - 8) : start].split()
    if found and before and normalise(before[-1]) == preposition:
        return found.end
    return None


def _russian_noun(sentence: _Sentence, raw: _Raw, pos: int) -> _Raw:
    text = sentence.text
    noun, noun_end, after = _noun_phrase(text, pos)
    if _is_year(text, raw, noun):
        raw.is_year = True
        return raw
    if noun is None:
        return raw
    if noun in u.time_lemmas():
        raw.is_time = True
        return raw
    raw.noun, raw.tail_end = noun, noun_end
    raw.unit = _noun_unit(sentence, noun, after)
    return raw


def _kazakh_noun(sentence: _Sentence, raw: _Raw, pos: int) -> _Raw:
    """The counted noun of a Kazakh number: the first word of the next few that the
    noun table knows ("36 инвестициялық жоба", "800-ге жуық жүк вагоны"). A word of
    time right after the number makes it a date or a duration ("2025 жылы", "5 жыл")."""
    text = sentence.text
    for index, word in enumerate(KAZAKH_WORD.finditer(text, pos, min(len(text), pos + 80))):
        if index >= KAZAKH_NOUN_WORDS or not word.group()[0].isalpha():
            break
        if normalise(word.group()) in u.kazakh_stop_words():
            break
        noun = u.kazakh_nouns().match(text, word.start(), skip_space=False)
        if noun is not None and _adjectival(text, noun):
            continue  # "контейнерлік пойыз": the noun made an adjective describes the next
        # a counted noun that looks like a word of time ("қазандық", boiler house,
        # beside "қазан", October) is the noun
        if (
            noun is None
            and index == 0
            and u.kazakh_time().match(text, word.start(), skip_space=False)
        ):
            if _four_digit_year(text, raw):
                raw.is_year = True
            else:
                raw.is_time = True
            return raw
        if noun:
            raw.unit, raw.noun = noun.value, text[word.start() : noun.end]
            raw.tail_end = _hedge_after(sentence, raw, noun.end)
            return raw
        if u.kazakh_people().match(text, word.start(), skip_space=False):
            raw.unit = "jobs" if sentence.about_jobs() else "people"
            raw.noun = word.group()
            raw.tail_end = word.end()
            return raw
    if _four_digit_year(text, raw):
        raw.is_year = True
    return raw


@cache
def _attributive_endings() -> tuple[str, ...]:
    return tuple(normalise(e) for e in entry("kazakh", "endings", "attributive"))


def _adjectival(text: str, found: Found[str]) -> bool:
    """The matched noun ends in an ending that makes an adjective of it (-лық, -дағы)."""
    stem = normalise(found.pattern.split()[-1].rstrip("~*."))
    word = normalise(text[found.start : found.end].split()[-1].split("-")[0])
    tail = word[len(stem) :] if word.startswith(stem) else ""
    return bool(tail) and tail.endswith(_attributive_endings())


def _four_digit_year(text: str, raw: _Raw) -> bool:
    token = text[raw.start : raw.end].split("-")[0]
    return raw.scale == 1 and len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2100


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
            phrases = u.russian_noun_phrases()
            for adjective in adjectives:
                if (adjective, noun) in phrases:
                    noun = phrases[(adjective, noun)][1]
                    break
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


def _noun_unit(sentence: _Sentence, noun: str, after: list[str]) -> str:
    for unit, label in u.russian_noun_phrases().values():
        if noun == label:
            return unit
    pairs = entry("units", "nouns", "pairs")
    if noun == pairs["noun"] and after and after[0] in pairs["of"]:
        return str(pairs["unit"])  # a rate when "в сутки" stands beside it (`_rate`)
    if noun in u.people_lemmas():
        return "jobs" if sentence.about_jobs() else "people"
    return u.russian_nouns().get(noun, "count")


def _rate(sentence: _Sentence, raw: _Raw, unit: str) -> str:
    """Wagons, trains or tonnes with "в сутки", "күн сайын" beside them are a rate;
    centners where the sentence speaks of hectares are a yield."""
    text = sentence.text
    if unit == "c" and u.per_area().search(text, max(0, raw.start - 80), raw.tail_end + 60):
        return "c/ha"
    rates, rate_units = u.rate_tables()
    if unit not in rate_units:
        return unit
    found = rates.search(text, raw.tail_end, min(len(text), raw.tail_end + LOOK_AFTER))
    if found is None:
        found = rates.search(text, _clause_start(text, raw.start), raw.start)
    return f"{unit}{found.value}" if found else unit


def _clause_start(text: str, start: int) -> int:
    """Where the clause of the number at `start` begins, at most 80 characters back."""
    window = max(0, start - 80)
    marks = [text.rfind(mark, window, start) for mark in ",;:()—"]
    return max([window, *(mark + 1 for mark in marks if mark >= 0)])


def _is_year(text: str, raw: _Raw, noun: str | None) -> bool:
    if (
        not _four_digit_year(text, raw)
        or text[raw.start : raw.end].count(",")
        or "." in text[raw.start : raw.end]
    ):
        return False
    if noun is None or noun in u.time_lemmas():
        return True
    phrase_labels = {label for _, label in u.russian_noun_phrases().values()}
    return noun not in u.russian_nouns() and noun not in phrase_labels


def _may_inherit(text: str, previous: NumberMention, raw: _Raw) -> bool:
    """A bare number after a counted one counts the same thing when nothing but
    adjectives, a conjunction or "из них" stands between ("36 крупных, 67 средних")."""
    if previous.unit in {"percent", "times"} or previous.unit.startswith(("KZT", "USD", "EUR")):
        return _joined_by_range(text, previous.end, raw.start)
    return raw.start - previous.end <= 120


def _joined_by_range(text: str, left_end: int, right_start: int) -> bool:
    return right_start - left_end <= 6 and bool(_range_join().search(text[left_end:right_start]))


def _joined(text: str, left: _Raw, right: _Raw) -> bool:
    between = text[left.tail_end : right.start]
    if left.ablative and left.unit is None and not between.strip():
        return True  # "5-тен 10-ға дейін"
    return right.start - left.tail_end <= 6 and bool(_range_join().search(between))


@cache
def _ablative_endings() -> frozenset[str]:
    return frozenset(normalise(e) for e in entry("kazakh", "endings", "ablative"))


def _is_ablative(ending: str) -> bool:
    return normalise(ending) in _ablative_endings()


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
    """ "с 15 тыс. до …": the first number is where a change starts."""
    before = text[max(0, start - 6) : start].split()
    return bool(before) and normalise(before[-1]) == normalise(
        entry("numbers", "ranges", "change_start")
    )


def _qualifier(text: str, start: int) -> Qualifier | None:
    before = text[max(0, start - LOOK_BEFORE) : start]
    match = _qualifiers_before().search(before)
    change_before, _, exceed = _change_verbs()
    if match:
        key = normalise(re.sub(r"\s+", " ", match.group(1)))
        qualifier = _qualifier_values().get(key)
        if qualifier is Qualifier.UP_TO and _verb_before(change_before, before[: match.start(1)]):
            return None  # "выросло до 19": the new level, not a bound
        return qualifier
    if _verb_before(exceed, before):
        return Qualifier.MORE_THAN
    return None


def _verb_before(verbs: PhraseTable[bool], before: str) -> bool:
    """One of `verbs` among the last three words of `before`."""
    tail = before.split()[-3:]
    joined = " ".join(tail)
    offset = 0
    for word in tail:
        position = joined.index(word, offset)
        if verbs.match(joined, position, skip_space=False):
            return True
        offset = position + len(word)
    return False


def with_unit(mention: NumberMention, unit: str) -> NumberMention:
    return replace(mention, unit=unit)
