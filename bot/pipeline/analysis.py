"""Analysis: what the pipeline learns from one loaded document, without a store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.domain import DocumentMeta, ExtractedFact
from bot.pipeline.documents import DocumentError, LoadedDocument
from bot.pipeline.extract import extract_from_lines
from bot.pipeline.gazetteer import Gazetteer
from bot.pipeline.noise import LineKind, classify_lines, title_of


@dataclass(frozen=True, slots=True)
class Analysis:
    meta: DocumentMeta
    facts: list[ExtractedFact]


def analyse(document: LoadedDocument, gazetteer: Gazetteer) -> Analysis:
    """Everything the pipeline learns from one document, without touching the store."""
    lines = classify_lines(document.text, document.body_start)
    if not any(line.kind is LineKind.BODY for line in lines):
        raise DocumentError(f"{document.meta.file_name}: no article text, only page noise")
    year = document.meta.published.year if document.meta.published else None
    facts = extract_from_lines(lines, gazetteer, year)
    title = title_of(lines) or _first_sentence(lines)
    return Analysis(replace(document.meta, title=title, lang=document_language(facts)), facts)


def document_language(facts: Sequence[ExtractedFact]) -> str | None:
    """The language most of a document's figures are written in (the first seen on a
    tie); None for a document without figures."""
    counts = Counter(fact.lang for fact in facts)
    return counts.most_common(1)[0][0] if counts else None


def _first_sentence(lines: Sequence) -> str | None:
    for line in lines:
        if line.kind is LineKind.BODY:
            text = line.text
            cut = text.find(". ")
            text = text[: cut + 1] if 0 < cut < 200 else text
            return text if len(text) <= 200 else text[:199].rstrip() + "…"
    return None
