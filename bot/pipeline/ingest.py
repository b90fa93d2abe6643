"""Ingest: documents in, facts stored. One transaction per document, so a failure
leaves the store as it was and the other documents still go in."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import IntegrityError
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
    async with _one_connection(session_factory) as session:
        for path in document_paths(paths if paths else [DOCUMENTS_DIR]):
            try:
                document = read_document(path, manifest)
            except DocumentError as error:
                reports.append(IngestReport(path.name, Outcome.FAILED, error=str(error)))
                continue
            reports.append(
                await ingest_document(session_factory, document, gazetteer, session=session)
            )
    return reports


async def ingest_documents(
    session_factory: async_sessionmaker[AsyncSession],
    documents: Iterable[LoadedDocument],
    gazetteer: Gazetteer,
) -> list[IngestReport]:
    """Documents one after another on one connection, each in its own transactions."""
    async with _one_connection(session_factory) as session:
        return [
            await ingest_document(session_factory, document, gazetteer, session=session)
            for document in documents
        ]


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


@asynccontextmanager
async def _one_connection(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session that keeps one connection through its transactions: the check and the
    write do not hand it back and take it again (on PostgreSQL, a ping each time)."""
    engine = session_factory.kw["bind"]
    async with engine.connect() as connection, session_factory(bind=connection) as session:
        yield session


async def ingest_document(
    session_factory: async_sessionmaker[AsyncSession],
    document: LoadedDocument,
    gazetteer: Gazetteer,
    *,
    session: AsyncSession | None = None,
) -> IngestReport:
    """One document, on `session` (one connection kept through a run of documents)
    or on a session of its own."""
    if session is None:
        async with _one_connection(session_factory) as own:
            return await _ingest(own, document, gazetteer)
    return await _ingest(session, document, gazetteer)


async def _ingest(
    session: AsyncSession, document: LoadedDocument, gazetteer: Gazetteer
) -> IngestReport:
    name = document.meta.file_name
    documents = DocumentRepository(session)
    current = await documents.state_of(name)
    # Where a transaction's start dates its facts (PostgreSQL), the check's ends
    # before the analysis, so the writing one stays short and digests wait only a
    # few seconds for facts to settle. SQLite dates each statement and begins at
    # the first write: there one transaction serves both.
    if documents.dated_by_transaction:
        await session.commit()
    if current is not None and current.sha256 == document.meta.sha256:
        return IngestReport(name, Outcome.UNCHANGED)
    try:
        analysis = analyse(document, gazetteer)
    except DocumentError as error:
        return IngestReport(name, Outcome.FAILED, error=str(error))
    try:
        result = await documents.store(analysis.meta, analysis.facts, current=current)
        await session.commit()
    except IntegrityError:
        # Another ingest stored the same new file meanwhile: store over it.
        await session.rollback()
        result = await documents.store(analysis.meta, analysis.facts)
        await session.commit()
    if result.unchanged:  # stored meanwhile by another ingest
        return IngestReport(name, Outcome.UNCHANGED)
    outcome = Outcome.REPLACED if result.existed else Outcome.ADDED
    by_topic = Counter(fact.topic for fact in analysis.facts)
    log.info("ingested %s: %d facts", name, len(analysis.facts))
    return IngestReport(name, outcome, len(analysis.facts), by_topic)
