"""Kazakh written in Latin letters, read through Cyrillic.

Some outlets and many company names write Kazakh in one of the Latin alphabets
(2021: ä, ğ, ñ, ū, ş; 2018–2019: á, ǵ, ń, ý, sh). The pipeline's numbers, units and
names are Cyrillic, so a line in Latin Kazakh is transliterated before it is read;
English and Latin company names in Russian lines are left as they are. The quote
a fact keeps is the line as written: `to_cyrillic_lines` returns, for each line,
where every Cyrillic character came from, and `restore_quotes` maps facts back.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from bot.domain import ExtractedFact
from bot.pipeline.noise import Line
from bot.pipeline.vocabulary import entry, words

LATIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Stands for a 2017-style letter ("g'", "n'") while a line is probed.
APOSTROPHE_LETTER = "\u01dd"


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    common = dict(entry("latin", "common"))
    return (
        {**common, **entry("latin", "v2021")},
        {**common, **entry("latin", "v2018")},
        {**common, **entry("latin", "v2017")},
    )


def _is_latin(char: str) -> bool:
    return char.isalpha() and (char.isascii() or "\u00c0" <= char <= "\u024f")


def is_latin_kazakh(text: str) -> bool:
    """The line is Kazakh written in Latin letters: mostly Latin words, with letters
    or words only Kazakh Latin has."""
    probe = text.lower().replace("’", "'")
    for mark in entry("latin", "detect", "v2017_marks"):
        probe = probe.replace(mark, APOSTROPHE_LETTER)
    found = LATIN_WORD.findall(probe)
    latin = [word for word in found if all(_is_latin(char) for char in word)]
    if len(latin) < int(entry("latin", "detect", "min_words")) or len(latin) * 2 <= len(found):
        return False
    letters = set(str(entry("latin", "detect", "letters")))
    known = words("latin", "detect", "words")
    marked = sum(
        1 for word in latin if letters & set(word) or APOSTROPHE_LETTER in word or word in known
    )
    # Apostrophes alone are English too ("O'Brien's"): a 2017-style line must also
    # have a Kazakh word, a Kazakh letter, or a "q" without "u" (qala, Qazaqstan).
    kazakh = any(
        letters & set(word) or word in known or re.search("q(?!u)", word) for word in latin
    )
    return kazakh and marked >= 2 and marked * 5 >= len(latin)


@dataclass(frozen=True, slots=True)
class Transliterated:
    text: str
    origin: tuple[int, ...]  # for each character of `text`, its offset in the original


def transliterate(text: str) -> Transliterated:
    """`text` in Cyrillic, letter by letter, in the alphabet its marks point to."""
    v2021, v2018, v2017 = _tables()
    marks = set(str(entry("latin", "detect", "v2018_marks")))
    lowered = text.lower().replace("’", "'")
    if any(mark in lowered for mark in entry("latin", "detect", "v2017_marks")):
        table = v2017
    elif marks & set(lowered) or "sh" in lowered or "ch" in lowered:
        table = v2018
    else:
        table = v2021
    digraphs = {key for key in table if len(key) == 2}
    after_vowel = dict(entry("latin", "after_vowel"))
    vowels = str(after_vowel.pop("vowels"))
    out: list[str] = []
    origin: list[int] = []
    index = 0
    while index < len(text):
        pair = lowered[index : index + 2]
        if pair in digraphs:
            letter, width = table[pair], 2
        else:
            letter, width = table.get(lowered[index], text[index]), 1
        if letter == "и" and index and lowered[index - 1] in vowels:
            letter = after_vowel.get(lowered[index], letter)
        if text[index].isupper():
            letter = letter.upper()
        elif width == 1 and lowered[index] not in table:
            letter = text[index]
        out.append(letter)
        origin.append(index)
        index += width
    return Transliterated("".join(out), tuple(origin))


@cache
def _mixed_word() -> re.Pattern[str]:
    """A word with at least one Cyrillic letter."""
    letters = "".join(sorted(str(entry("kazakh", "detect", "letters"))))
    return re.compile(rf"[^\W\d_]*[а-яё{letters}][^\W\d_]*", re.IGNORECASE)


def fix_lookalikes(text: str) -> str:
    """Latin letters typed inside Cyrillic words ("бiр") in Cyrillic; same length."""
    table: dict[str, str] = dict(entry("latin", "lookalikes"))
    if not any(letter in text for letter in table):
        return text
    return _mixed_word().sub(lambda m: "".join(table.get(c, c) for c in m.group()), text)


def _read_line(line: str) -> str:
    return transliterate(line).text if is_latin_kazakh(line) else fix_lookalikes(line)


def to_cyrillic(text: str) -> str:
    """Every line of Latin Kazakh in `text` in Cyrillic, Latin look-alike letters in
    Cyrillic words fixed; other text as it is."""
    return "\n".join(_read_line(line) for line in text.split("\n"))


@dataclass(frozen=True, slots=True)
class ReadLines:
    lines: list[Line]
    # line index → (the line as written, where each character of its Cyrillic came from)
    originals: Mapping[int, tuple[Line, tuple[int, ...]]]


def to_cyrillic_lines(lines: Sequence[Line]) -> ReadLines:
    """The lines with Latin Kazakh read in Cyrillic. A line keeps its start; its
    Cyrillic text is never longer than the original, so lines do not overlap."""
    read: list[Line] = []
    originals: dict[int, tuple[Line, tuple[int, ...]]] = {}
    for index, line in enumerate(lines):
        if is_latin_kazakh(line.text):
            result = transliterate(line.text)
            originals[index] = (line, result.origin)
            read.append(replace(line, text=result.text, end=line.start + len(result.text)))
            continue
        fixed = fix_lookalikes(line.text)
        if fixed != line.text:
            originals[index] = (line, tuple(range(len(line.text))))
            read.append(replace(line, text=fixed))
        else:
            read.append(line)
    return ReadLines(read, originals)


def restore_quotes(facts: Sequence[ExtractedFact], read: ReadLines) -> list[ExtractedFact]:
    """Facts from transliterated lines get their quote and offsets as written."""
    if not read.originals:
        return list(facts)
    changed = sorted(read.originals.values(), key=lambda item: item[0].start)
    starts = [line.start for line, _ in changed]
    restored = []
    for fact in facts:
        index = bisect_right(starts, fact.start) - 1
        if index >= 0:
            line, origin = changed[index]
            if fact.start < line.start + len(origin):
                fact = _as_written(fact, line, origin)
        restored.append(fact)
    return restored


def _as_written(fact: ExtractedFact, line: Line, origin: tuple[int, ...]) -> ExtractedFact:
    """The fact's span (`start`..`end`) as written; what its quote holds before the span
    (a list item's lead sentence) is kept."""
    lead = fact.quote[: max(0, len(fact.quote) - (fact.end - fact.start))]
    start = origin[fact.start - line.start]
    last = min(fact.end - line.start, len(origin)) - 1
    end = origin[last] + 1 if last >= 0 else start
    # a final digraph ("sh") spans two letters of the original
    while (
        end < len(line.text)
        and line.text[end].isalpha()
        and (last + 1 >= len(origin) or end < origin[last + 1])
    ):
        end += 1
    return replace(
        fact, quote=lead + line.text[start:end], start=line.start + start, end=line.start + end
    )
