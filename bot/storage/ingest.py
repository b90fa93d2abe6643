"""Ingest: documents in, facts stored. One transaction per document, so a failure
leaves the store as it was and the other documents still go in."""

from __future__ import annotations

import asyncio
import itertools
import logging
import sys
from asyncio import Future
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import DOCUMENTS_DIR
from bot.pipeline.analysis import Analysis, analyse
from bot.pipeline.documents import (
    DocumentError,
    LoadedDocument,
    ManifestEntry,
    load_manifest,
    parse_document,
    read_document,
)
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.storage.fulltext import MERGE_PAGES
from bot.storage.outcomes import IngestReport, Outcome
from bot.storage.repositories import DocumentRepository, StoredDocument
from bot.storage.searches import merge_index_segments

log = logging.getLogger(__name__)
T = TypeVar("T")

# Documents looked up in the store at a time, before those of them not stored as they
# are go to the analysis: one statement (and on PostgreSQL one transaction) for many.
CHECK_BATCH = 32
# Documents handed to the analysis before the writer waits for the first of them: the
# worker is not left idle while the writer stores one, and a run that fails midway has
# not analysed much that it will not write.
AHEAD = 8
# A run that writes this many documents merges the search index's segments into one.
BULK_RUN = 100
# Seconds a thread holding the interpreter runs on before another that waits for it takes
# its turn, while a run's analysis thread is busy (Python's default is 0.005).
HANDOFF = 0.001


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
    on_report: Callable[[IngestReport], None] | None = None,
) -> list[IngestReport]:
    """The documents at `paths` (default: data/documents), one transaction each;
    `on_report` hears of each document as it is done (a progress display)."""
    manifest = load_manifest() if manifest is None else manifest

    def read() -> Iterator[LoadedDocument | IngestReport]:
        for path in document_paths(paths if paths else [DOCUMENTS_DIR]):
            try:
                yield read_document(path, manifest)
            except DocumentError as error:
                yield IngestReport(path.name, Outcome.FAILED, error=str(error))

    return await ingest_documents(
        session_factory, read(), gazetteer or load_gazetteer(), on_report=on_report
    )


async def ingest_documents(
    session_factory: async_sessionmaker[AsyncSession],
    documents: Iterable[LoadedDocument | IngestReport],
    gazetteer: Gazetteer,
    *,
    on_report: Callable[[IngestReport], None] | None = None,
) -> list[IngestReport]:
    """Documents one after another on one connection, each in its own transactions (a
    report given in their place, a document that could not be read, is passed on). The
    store is asked which of them it holds as they are a batch at a time.

    While a document is written, the next ones are analysed in a thread: the store's
    round trips and the reading of the texts overlap, and the event loop never runs the
    analysis. Reports come back in the documents' order, and
    `on_report` hears of them in that order, each as soon as it and those before it are
    done."""
    done: dict[int, IngestReport] = {}
    heard = 0  # the reports `on_report` heard of: every one before this index

    def finish(index: int, report: IngestReport) -> None:
        nonlocal heard
        done[index] = report
        while heard in done:
            if on_report is not None:
                on_report(done[heard])
            heard += 1

    # Documents handed to the analysis and not written yet, in their order.
    writing: deque[tuple[int, LoadedDocument, StoredDocument | None, Future[Analysis]]]
    writing = deque()

    async def write_first() -> None:
        index, document, current, analysed = writing.popleft()
        finish(index, await _write(session, document, current, analysed))

    async with (
        _one_connection(session_factory) as session,
        DocumentRepository(session).durable_at_the_end(),
        _Analyses(gazetteer) as analyses,
    ):
        for batch in _batches(enumerate(documents), CHECK_BATCH):
            stored = await _current(
                session, [d for _, d in batch if not isinstance(d, IngestReport)]
            )
            for index, document in batch:
                if isinstance(document, IngestReport):
                    finish(index, document)
                    continue
                current = stored.get(document.meta.file_name)
                if current is not None and current.sha256 == document.meta.sha256:
                    finish(index, IngestReport(document.meta.file_name, Outcome.UNCHANGED))
                    continue
                writing.append((index, document, current, await analyses.submit(document)))
                while len(writing) > AHEAD:
                    await write_first()
        while writing:
            await write_first()
    reports = [done[index] for index in sorted(done)]
    written = sum(report.outcome in (Outcome.ADDED, Outcome.REPLACED) for report in reports)
    if written:
        # Each document written left the search index a segment more: a run of many
        # merges them all, a few take a bounded step.
        await merge_index_segments(session_factory, None if written >= BULK_RUN else MERGE_PAGES)
    return reports


class _Analyses:
    """The analysis of a run's documents ahead of their writing, one after another in a
    thread of their own: the event loop never runs it, and the store's round trips wait
    while it reads the next texts.

    The analysis keeps the interpreter busy, and the writer gives it up at every round
    trip to the store: at Python's default switch interval, getting it back would cost the
    writer up to 5 ms each time, longer than most round trips. While a run lasts, the
    interval is HANDOFF."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
        self._interval = sys.getswitchinterval()

    async def __aenter__(self) -> _Analyses:
        sys.setswitchinterval(min(self._interval, HANDOFF))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        sys.setswitchinterval(self._interval)
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def submit(self, document: LoadedDocument) -> Future[Analysis]:
        return asyncio.get_running_loop().run_in_executor(
            self._executor, analyse, document, self._gazetteer
        )


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


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` a list of up to `size` at a time, read as they are needed."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


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
    current = (await _current(session, [document])).get(document.meta.file_name)
    if current is not None and current.sha256 == document.meta.sha256:
        return IngestReport(document.meta.file_name, Outcome.UNCHANGED)
    return await _write(session, document, current, _analysed(document, gazetteer))


async def _analysed(document: LoadedDocument, gazetteer: Gazetteer) -> Analysis:
    return analyse(document, gazetteer)


async def _current(
    session: AsyncSession, documents: list[LoadedDocument]
) -> dict[str, StoredDocument]:
    """What the store holds under the documents' names (one look-up for a batch of
    them). Where a transaction's start dates its facts (PostgreSQL), the check's
    transaction ends here, before the analysis, so the writing one stays short and
    digests wait only a few seconds for facts to settle. SQLite dates each statement
    and begins at the first write: there one transaction serves both."""
    if not documents:
        return {}
    repository = DocumentRepository(session)
    current = await repository.states_of(document.meta.file_name for document in documents)
    if repository.dated_by_transaction:
        await session.commit()
    return current


async def _write(
    session: AsyncSession,
    document: LoadedDocument,
    current: StoredDocument | None,
    analysed: Awaitable[Analysis],
) -> IngestReport:
    """The document's analysis (when it is done) written over what `current` was."""
    name = document.meta.file_name
    try:
        analysis = await analysed
    except DocumentError as error:
        return IngestReport(name, Outcome.FAILED, error=str(error))
    documents = DocumentRepository(session)
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
