"""Sentences with their offsets: blank lines and line breaks first, then razdel."""

from __future__ import annotations

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


def split_sentences(lines: list[Line]) -> list[Sentence]:
    """Sentences of the article's body lines. A short line after a line that ends
    with a colon is a list item: it keeps that line as its lead."""
    sentences: list[Sentence] = []
    lead: str | None = None
    for index, line in enumerate(lines):
        if line.kind is not LineKind.BODY:
            lead = None
            continue
        item_lead = lead if lead is not None and _is_list_item(line.text) else None
        if item_lead is None:
            lead = None
        for piece in sentenize(line.text):
            sentences.append(
                Sentence(
                    start=line.start + piece.start,
                    end=line.start + piece.stop,
                    text=piece.text,
                    paragraph=index,
                    lead=item_lead,
                )
            )
        if line.text.endswith(":"):
            lead = line.text
    return sentences


def _is_list_item(text: str) -> bool:
    return len(text.split()) <= 20 and not text.endswith(":")
