"""Word patterns from the vocabulary files, matched in running text.

A vocabulary writes a unit, a multiplier or a period word as it stands in text, one
pattern per line, in a small notation so that the files hold words, not regular
expressions:

- words are separated by one space, which matches any spacing (none after a word
  written with a final period: "кв. м" matches "кв.м");
- a final `*` stands for any ending ("тонн*": тонна, тоннами);
- a final `~` stands for Kazakh endings only ("жоба~": жоба, жобаны, жобалардың,
  but not жобалау), checked against the ending list of `endings.py`;
- a final `.` is optional ("млн." matches "млн" and "млн.");
- anything else is literal, case-insensitive, and must not run on into a letter.

Every pattern also takes a Kazakh case ending after a hyphen ("млн-нан", "км-ге",
"%-ға"), which never changes what the word means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.pipeline.endings import is_ending_chain

T = TypeVar("T")
LETTERS = r"[^\W\d_]"
HYPHEN_ENDING = rf"(?:-{LETTERS}{{1,6}})?"


def compile_pattern(pattern: str) -> tuple[re.Pattern[str], int]:
    """The regular expression of one pattern and how many `~` groups it has."""
    parts: list[str] = []
    kazakh = 0
    words = pattern.split(" ")
    for index, word in enumerate(words):
        if index:
            parts.append(r"\s*" if words[index - 1].endswith(".") else r"\s+")
        if word.endswith("*") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + f"{LETTERS}*")
        elif word.endswith("~") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + f"({LETTERS}*)")
            kazakh += 1
        elif word.endswith(".") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + r"\.?")
        else:
            parts.append(re.escape(word))
    body = "".join(parts)
    # A word pattern must not run on into a letter; a symbol ("%", "$") may touch one.
    last = pattern.rstrip(".*~")[-1:]
    tail = f"(?!{LETTERS})" if last.isalnum() else ""
    return re.compile(f"(?:{body}){tail}{HYPHEN_ENDING}", re.IGNORECASE), kazakh


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    value: T
    start: int
    end: int
    pattern: str


class PhraseTable(Generic[T]):
    """Patterns with the value each stands for; the longest match wins."""

    def __init__(self, table: Mapping[str, T] | Iterable[tuple[str, T]]) -> None:
        items = table.items() if isinstance(table, Mapping) else table
        self._patterns = [(compile_pattern(p), p, v) for p, v in items]

    def match(self, text: str, pos: int, *, skip_space: bool = True) -> Found[T] | None:
        """The pattern that starts at `pos` (after spaces when `skip_space`)."""
        start = pos
        if skip_space:
            while start < len(text) and text[start].isspace() and start - pos < 8:
                start += 1
        best: Found[T] | None = None
        for (regex, groups), pattern, value in self._patterns:
            found = regex.match(text, start)
            if found is None or (best is not None and found.end() <= best.end):
                continue
            if groups and not all(is_ending_chain(found.group(i + 1)) for i in range(groups)):
                continue
            best = Found(value, start, found.end(), pattern)
        return best

    def search(self, text: str, start: int = 0, end: int | None = None) -> Found[T] | None:
        """The first place in text[start:end] where a pattern starts on a word boundary."""
        stop = len(text) if end is None else end
        for position in _word_starts(text, start, stop):
            found = self.match(text, position, skip_space=False)
            if found is not None and found.end <= stop:
                return found
        return None


def _word_starts(text: str, start: int, stop: int) -> Iterable[int]:
    previous_is_word = start > 0 and text[start - 1].isalnum()
    for position in range(start, stop):
        char = text[position]
        if not char.isspace() and not previous_is_word:
            yield position
        previous_is_word = char.isalnum()
