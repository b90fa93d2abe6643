"""Sentences with their offsets: blank lines and line breaks first, then razdel."""

from __future__ import annotations

import re
from dataclasses import dataclass

from razdel import sentenize

from bot.pipeline.noise import Line, LineKind


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index of the line it came from
    lead: str | None = None  # a "…:" line that introduces this list item
    # the lead's last sentence, which the item completes ("Мощность по годам: – 2026 год —
    # 1,3 млн тонн;"): a marked item's figures are quoted with it
    lead_sentence: str | None = None

    @property
    def quote(self) -> str:
        """What a figure of this sentence is quoted with: the sentence, after the
        sentence that leads it when it is a list item. The sentence itself (`start`..`end`)
        ends the quote."""
        if self.lead_sentence is None:
            return self.text
        return f"{self.lead_sentence} {self.text}"


def split_sentences(lines: list[Line]) -> list[Sentence]:
    """Sentences of the article's body lines. A short line after a line that ends
    with a colon is a list item: it keeps that line as its lead."""
    sentences: list[Sentence] = []
    lead: str | None = None
    lead_sentence: str | None = None
    for index, line in enumerate(lines):
        if line.kind is not LineKind.BODY:
            lead = None
            continue
        item = lead is not None and _is_list_item(line.text)
        if not item:
            lead = None
        pieces = list(sentenize(line.text))
        for piece in pieces:
            sentences.append(
                Sentence(
                    start=line.start + piece.start,
                    end=line.start + piece.stop,
                    text=piece.text,
                    paragraph=index,
                    lead=lead if item else None,
                    lead_sentence=lead_sentence if item and _is_marked(line.text) else None,
                )
            )
        if line.text.endswith(":") and pieces:
            lead = line.text
            lead_sentence = pieces[-1].text
    return sentences


# A line set out as an item of a list: a dash, a bullet or a number before it, or a
# semicolon or a comma after it.
LIST_MARK = re.compile(r"\s*(?:[-–—•·▪●*]|\d{1,2}[.)])\s|.*[;,]\s*$")


def _is_marked(text: str) -> bool:
    """A list item that is set out as one, not only a short line after a lead: only such an
    item is quoted with the lead's sentence (see `Sentence.quote`)."""
    return LIST_MARK.match(text) is not None


def _is_list_item(text: str) -> bool:
    return len(text.split()) <= 20 and not text.endswith(":")
