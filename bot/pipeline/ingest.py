"""Ingest: documents in, facts stored. One transaction per document, so a failure
leaves the store as it was and the other documents still go in."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import DOCUMENTS_DIR
from bot.domain import DocumentMeta, ExtractedFact, Topic
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.pipeline.documents import (
    DocumentError,
    LoadedDocument,
    ManifestEntry,
    load_manifest,
    parse_document,
    read_document,
)
from bot.pipeline.extract import extract_from_lines
from bot.pipeline.noise import LineKind, classify_lines, title_of
from bot.storage.repositories import DocumentRepository

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class IngestReport:
    file_name: str
    outcome: Outcome
    facts: int = 0
    by_topic: Counter[Topic] = field(default_factory=Counter)
    error: str | None = None


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
    return Analysis(replace(document.meta, title=title), facts)


def _first_sentence(lines: Sequence) -> str | None:
    for line in lines:
        if line.kind is LineKind.BODY:
            text = line.text
            cut = text.find(". ")
            text = text[: cut + 1] if 0 < cut < 200 else text
            return text if len(text) <= 200 else text[:199].rstrip() + "…"
    return None


def document_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files inside folders named, in a stable order."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            )
        else:
            found.append(path)
    return found


async def ingest_paths(
    session_factory: async_sessionmaker[AsyncSession],
    paths: Iterable[str | Path] | None = None,
    *,
    manifest: dict[str, ManifestEntry] | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[IngestReport]:
    manifest = load_manifest() if manifest is None else manifest
    gazetteer = gazetteer or load_gazetteer()
    reports = []
    for path in document_paths(paths if paths else [DOCUMENTS_DIR]):
        try:
            document = read_document(path, manifest)
        except DocumentError as error:
            reports.append(IngestReport(path.name, Outcome.FAILED, error=str(error)))
            continue
        reports.append(await ingest_document(session_factory, document, gazetteer))
    return reports


async def ingest_bytes(
    session_factory: async_sessionmaker[AsyncSession],
    name: str,
    data: bytes,
    *,
    manifest: dict[str, ManifestEntry] | None = None,
    gazetteer: Gazetteer | None = None,
) -> IngestReport:
    """One document that arrived as bytes (e.g. sent to the bot)."""
    manifest = load_manifest() if manifest is None else manifest
    try:
        document = parse_document(name, data, manifest.get(name))
    except DocumentError as error:
        return IngestReport(name, Outcome.FAILED, error=str(error))
    return await ingest_document(session_factory, document, gazetteer or load_gazetteer())


async def ingest_document(
    session_factory: async_sessionmaker[AsyncSession],
    document: LoadedDocument,
    gazetteer: Gazetteer,
) -> IngestReport:
    name = document.meta.file_name
    async with session_factory() as session:
        if await DocumentRepository(session).sha256_of(name) == document.meta.sha256:
            return IngestReport(name, Outcome.UNCHANGED)
    # Analysed before the write transaction opens, so the transaction stays short: on
    # PostgreSQL the facts' `added_at` is its start, and digests wait only a few seconds
    # for facts to settle.
    try:
        analysis = analyse(document, gazetteer)
    except DocumentError as error:
        return IngestReport(name, Outcome.FAILED, error=str(error))
    async with session_factory() as session, session.begin():
        result = await DocumentRepository(session).store(analysis.meta, analysis.facts)
    if result.unchanged:  # stored meanwhile by another ingest
        return IngestReport(name, Outcome.UNCHANGED)
    outcome = Outcome.REPLACED if result.existed else Outcome.ADDED
    by_topic = Counter(fact.topic for fact in analysis.facts)
    log.info("ingested %s: %d facts", name, len(analysis.facts))
    return IngestReport(name, outcome, len(analysis.facts), by_topic)
