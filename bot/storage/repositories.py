"""Repositories: the only place that speaks SQL. They return `bot.domain` dataclasses."""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.domain import (
    Citation,
    DatePrecision,
    DocumentMeta,
    ExtractedFact,
    Fact,
    Period,
    Qualifier,
    Source,
    Status,
    Topic,
)
from bot.storage.engine import store_of
from bot.storage.fulltext import BUMP_VERSION, STATE_TABLE, SearchPage
from bot.storage.languages import LanguageCache
from bot.storage.models import ChatRecord, DocumentRecord, FactRecord, FactSourceRecord
from bot.storage.postgres_writes import PostgresNewDocument, is_postgresql
from bot.storage.searches import fact_search
from bot.storage.sqlite_writes import SqliteNewDocument, is_sqlite, sqlite_rows, sqlite_states_of
from bot.storage.writes import DOCUMENTS, FACT_SOURCES, FACTS, FactWriter

# Fact ids per statement when reading their sources (within every driver's parameter limit).
CHUNK = 5000

# The order of every answer: the newest document first, undated ones last.
NEWEST_DOCUMENTS_FIRST = (DocumentRecord.published.desc().nulls_last(), DocumentRecord.file_name)


def to_source(record: DocumentRecord) -> Source:
    return Source(
        id=record.id,
        file_name=record.file_name,
        outlet=record.outlet,
        url=record.url,
        published=record.published,
        precision=DatePrecision(record.date_precision),
        published_to=record.published_to,
        title=record.title,
        lang=record.lang,
    )


def to_fact(record: FactRecord, source: Source, citations: tuple[Citation, ...] = ()) -> Fact:
    return Fact(
        id=record.id,
        source=source,
        topic=Topic(record.topic),
        subject=record.subject,
        entity_key=record.entity_key,
        metric=record.metric,
        value=record.value,
        unit=record.unit,
        period=Period.from_key(record.period),
        status=Status(record.status),
        qualifier=Qualifier(record.qualifier) if record.qualifier else None,
        quote=record.quote,
        start=record.start,
        end=record.end,
        added_at=record.added_at,
        object=record.object,
        per=record.per,
        value_max=record.value_max,
        part_of=record.part_of,
        lang=record.lang,
        citations=citations,
    )


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: int
    sha256: str


class Unknown(Enum):
    """Not looked up yet (for `DocumentRepository.store`)."""

    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What storing one document did."""

    document_id: int
    added: int
    replaced: int
    unchanged: bool
    existed: bool = False


class DocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_by_name(self, file_name: str) -> Source | None:
        record = await self._session.scalar(
            select(DocumentRecord).where(DocumentRecord.file_name == file_name)
        )
        return to_source(record) if record else None

    async def sha256_of(self, file_name: str) -> str | None:
        return await self._session.scalar(
            select(DocumentRecord.sha256).where(DocumentRecord.file_name == file_name)
        )

    @property
    def dated_by_transaction(self) -> bool:
        """Whether facts take their transaction's start as `added_at` (PostgreSQL's
        now()), rather than their statement's time (SQLite)."""
        return not is_sqlite(self._session)

    @asynccontextmanager
    async def durable_at_the_end(self) -> AsyncIterator[None]:
        """A run of commits on this session that do not each wait for the disk, made
        durable together at its end.

        On PostgreSQL the run's commits go with `synchronous_commit` off: a crash of the
        server may lose the last of them (never part of one), as SQLite's WAL with
        `synchronous=NORMAL` may lose the last commits of every store. At the end the
        setting is reset and one commit waits for the disk, which flushes every commit
        before it too. SQLite: nothing changes."""
        if is_sqlite(self._session):
            yield
            return
        await self._session.execute(_COMMIT_WITHOUT_WAITING)
        await self._session.commit()
        try:
            yield
        finally:
            await self._session.rollback()
            await self._session.execute(_COMMIT_WAITING)
            # A transaction id makes the commit write a record, and wait for its flush.
            await self._session.execute(_TRANSACTION_ID)
            await self._session.commit()

    async def state_of(self, file_name: str) -> StoredDocument | None:
        """The id and hash of a stored document, None for one not stored."""
        return (await self.states_of([file_name])).get(file_name)

    async def states_of(self, file_names: Iterable[str]) -> dict[str, StoredDocument]:
        """The id and hash of each of the documents stored under these names (a name
        not stored is left out), one statement for up to `CHUNK` names."""
        names = sorted(set(file_names))
        states: dict[str, StoredDocument] = {}
        for start in range(0, len(names), CHUNK):
            chunk = names[start : start + CHUNK]
            found: Iterable[tuple[str, int, str]]
            if is_sqlite(self._session):
                found = await sqlite_states_of(self._session, chunk)
            else:
                found = await self._session.execute(
                    select(
                        DocumentRecord.file_name, DocumentRecord.id, DocumentRecord.sha256
                    ).where(DocumentRecord.file_name.in_(chunk))
                )
            states.update((name, StoredDocument(id, sha256)) for name, id, sha256 in found)
        return states

    async def store(
        self,
        meta: DocumentMeta,
        facts: Sequence[ExtractedFact],
        *,
        current: StoredDocument | Unknown | None = UNKNOWN,
    ) -> StoreResult:
        """Insert a document with its facts, or replace the facts of a changed one.

        A figure the store already holds from another document (`bot.storage.identity`)
        is not stored again: the document becomes one more of its sources. Every write
        is a bulk statement; the caller's transaction makes it all-or-nothing. A caller
        that has just read the document's `state_of` passes it as `current`.
        """
        found = await self.state_of(meta.file_name) if current is UNKNOWN else current
        if found is not None and found.sha256 == meta.sha256:
            return StoreResult(found.id, 0, 0, unchanged=True, existed=True)
        values = {
            "sha256": meta.sha256,
            "outlet": meta.outlet,
            "url": meta.url,
            "published": meta.published,
            "published_to": meta.published_to,
            "date_precision": meta.precision.value,
            "title": meta.title,
            "lang": meta.lang,
        }
        replaced = 0
        if found is None and is_sqlite(self._session):
            document_id = await SqliteNewDocument(self._session).store(meta, facts)
            return StoreResult(document_id, len(facts), 0, unchanged=False, existed=False)
        if found is None and is_postgresql(self._session):
            stored = await PostgresNewDocument(self._session).store(meta, facts)
            if stored is not None:
                return StoreResult(stored, len(facts), 0, unchanged=False, existed=False)
        if found is None:
            document_id = await self._session.scalar(
                insert(DOCUMENTS)
                .values(file_name=meta.file_name, **values)
                .returning(DOCUMENTS.c.id)
            )
            assert document_id is not None
        else:
            document_id = found.id
            replaced = await self._release(document_id)
            await self._session.execute(
                update(DOCUMENTS)
                .where(DOCUMENTS.c.id == document_id)
                .values(ingested_at=datetime.now(UTC), **values)
            )
        await FactWriter(self._session, document_id).write(facts)
        await self._session.execute(BUMP_VERSION)  # a new or changed document: a new version
        return StoreResult(
            document_id, len(facts), replaced, unchanged=False, existed=found is not None
        )

    async def remove(self, file_name: str) -> bool:
        """Take a document out of the store: the figures only it states go with it,
        those other documents state too stay, with their other sources."""
        document_id = await self._session.scalar(
            select(DocumentRecord.id).where(DocumentRecord.file_name == file_name)
        )
        if document_id is None:
            return False
        await self._release(document_id)
        await self._session.execute(delete(DOCUMENTS).where(DOCUMENTS.c.id == document_id))
        return True

    async def _release(self, document_id: int) -> int:
        """Drop a document as a source of every fact; returns how many it was one of.

        A fact it was the first source of passes to its next source (that source's
        quote too); a fact left without sources is deleted.
        """
        own = select(FACTS.c.id).where(FACTS.c.document_id == document_id)
        stated = (
            await self._session.execute(
                select(
                    select(func.count()).select_from(own.subquery()).scalar_subquery(),
                    select(func.count())
                    .where(FACT_SOURCES.c.document_id == document_id)
                    .scalar_subquery(),
                )
            )
        ).one()
        search = fact_search(self._session)
        await search.remove_document(document_id)
        await self._session.execute(
            delete(FACT_SOURCES).where(FACT_SOURCES.c.document_id == document_id)
        )
        heirs = (
            await self._session.execute(
                select(FACT_SOURCES)
                .where(FACT_SOURCES.c.fact_id.in_(own))
                .order_by(FACT_SOURCES.c.fact_id, FACT_SOURCES.c.document_id)
            )
        ).all()
        next_source: dict[int, Any] = {}
        for row in heirs:
            next_source.setdefault(row.fact_id, row)
        if next_source:
            successors = [
                {
                    "fact_id": row.fact_id,
                    "heir": row.document_id,
                    "heir_quote": row.quote,
                    "heir_start": row.start,
                    "heir_end": row.end,
                    "heir_lang": row.lang,
                }
                for row in next_source.values()
            ]
            await self._session.execute(
                update(FACTS)
                .where(FACTS.c.id == bindparam("fact_id"))
                .values(
                    document_id=bindparam("heir"),
                    quote=bindparam("heir_quote"),
                    start=bindparam("heir_start"),
                    end=bindparam("heir_end"),
                    lang=bindparam("heir_lang"),
                ),
                successors,
            )
            # The heir is now the fact's own document, no longer a further source.
            await self._session.execute(
                delete(FACT_SOURCES).where(
                    FACT_SOURCES.c.fact_id == bindparam("fact_id"),
                    FACT_SOURCES.c.document_id == bindparam("heir"),
                ),
                [{"fact_id": row["fact_id"], "heir": row["heir"]} for row in successors],
            )
        await self._session.execute(delete(FACTS).where(FACTS.c.document_id == document_id))
        for heir in sorted({row.document_id for row in next_source.values()}):
            await search.add_document(heir)
        return int(stated[0] or 0) + int(stated[1] or 0)

    async def list_sources(self) -> list[Source]:
        records = await self._session.scalars(
            select(DocumentRecord).order_by(*NEWEST_DOCUMENTS_FIRST)
        )
        return [to_source(r) for r in records]

    async def fact_counts(self) -> dict[int, int]:
        """How many figures each document states, those other documents state too included."""
        counts: dict[int, int] = {}
        for column in (FactRecord.document_id, FactSourceRecord.document_id):
            rows = await self._session.execute(select(column, func.count()).group_by(column))
            for document_id, count in rows.all():
                counts[document_id] = counts.get(document_id, 0) + count
        return counts


class FactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list(
        self,
        *,
        topic: Topic | None = None,
        entity_key: str | None = None,
        entity_keys: Iterable[str] | None = None,
        subject: str | None = None,
        ids: Iterable[int] | None = None,
        added_after: datetime | None = None,
        topics: Iterable[Topic] | None = None,
    ) -> list[Fact]:
        """Facts matching every given filter, newest document first."""
        query = select(FactRecord).options(selectinload(FactRecord.document))
        if topic is not None:
            query = query.where(FactRecord.topic == topic.value)
        if topics is not None:
            query = query.where(FactRecord.topic.in_([t.value for t in topics]))
        if entity_key is not None:
            query = query.where(FactRecord.entity_key == entity_key)
        if entity_keys is not None:
            query = query.where(FactRecord.entity_key.in_(list(entity_keys)))
        if subject is not None:
            query = query.where(FactRecord.subject == subject)
        if ids is not None:
            query = query.where(FactRecord.id.in_(list(ids)))
        if added_after is not None:
            query = query.where(FactRecord.added_at > added_after)
        query = query.join(FactRecord.document).order_by(*NEWEST_DOCUMENTS_FIRST, FactRecord.start)
        records = (await self._session.scalars(query)).all()
        sources: dict[int, Source] = {}
        for record in records:
            if record.document_id not in sources:
                sources[record.document_id] = to_source(record.document)
        facts = [to_fact(record, sources[record.document_id]) for record in records]
        return await self.with_citations(facts, sources)

    async def with_citations(
        self, facts: builtins.list[Fact], known: dict[int, Source] | None = None
    ) -> builtins.list[Fact]:
        """The facts, those that several documents state with every source: the
        fact's own first, then the others oldest first."""
        known = {} if known is None else known
        links: builtins.list[FactSourceRecord] = []
        ids = [fact.id for fact in facts]
        for chunk in range(0, len(ids), CHUNK):
            links.extend(
                await self._session.scalars(
                    select(FactSourceRecord)
                    .where(FactSourceRecord.fact_id.in_(ids[chunk : chunk + CHUNK]))
                    .order_by(FactSourceRecord.fact_id, FactSourceRecord.document_id)
                )
            )
        if not links:
            return facts
        missing = {link.document_id for link in links} - set(known)
        if missing:
            for record in await self._session.scalars(
                select(DocumentRecord).where(DocumentRecord.id.in_(missing))
            ):
                known[record.id] = to_source(record)
        further: dict[int, builtins.list[Citation]] = {}
        for link in links:
            citation = Citation(known[link.document_id], link.quote, link.lang)
            further.setdefault(link.fact_id, []).append(citation)
        return [
            replace(fact, citations=(*fact.all_citations, *further[fact.id]))
            if fact.id in further
            else fact
            for fact in facts
        ]

    async def newest(
        self, topics: Iterable[Topic], *, documents: int, skip: int = 0
    ) -> builtins.list[builtins.list[Fact]]:
        """The facts of `topics` in the newest documents: `documents` of them after the
        first `skip`, one list each (empty when it has none of those topics), in the
        order of `list`. The facts read are the window's, however large the store, and
        the window comes from the documents' index in this order (`ix_documents_newest`)."""
        window = (
            await self._session.scalars(
                select(DocumentRecord)
                .order_by(*NEWEST_DOCUMENTS_FIRST)
                .limit(documents)
                .offset(skip)
            )
        ).all()
        if not window:
            return []
        sources = {record.id: to_source(record) for record in window}
        records = await self._session.scalars(
            select(FactRecord)
            .where(
                FactRecord.document_id.in_(list(sources)),
                # Not `topic` itself: SQLite would go through the topic index, every
                # fact of the topics, rather than the few documents of the window.
                FactRecord.topic.concat("").in_([topic.value for topic in topics]),
            )
            .order_by(FactRecord.start, FactRecord.id)
        )
        by_document: dict[int, builtins.list[Fact]] = {key: [] for key in sources}
        for record in records:
            by_document[record.document_id].append(to_fact(record, sources[record.document_id]))
        return builtins.list(by_document.values())

    async def search(
        self, text: str, *, language: str = "ru", limit: int = 50, offset: int = 0
    ) -> SearchPage:
        """Facts matching `text`, best first, and the names the query was corrected to
        (see `bot.storage.fulltext`)."""
        return await fact_search(self._session).find(text, language, limit, offset)

    async def get(self, fact_id: int) -> Fact | None:
        facts = await self.list(ids=[fact_id])
        return facts[0] if facts else None

    async def version(self) -> str:
        """Changes whenever facts are added, replaced or removed: a counter the search
        index raises with every change (one row, read by its key; on SQLite straight
        from the driver, one trip to its thread)."""
        if is_sqlite(self._session):
            rows = await sqlite_rows(self._session, str(_VERSION))
            return str(rows[0][0] if rows else 0)
        version = await self._session.scalar(_VERSION)
        return str(version or 0)

    async def remember_query(self, query: str) -> str:
        """A short key for a search query, kept in the store: a button carries the key
        when the query is too long for its callback data. A NUL, which PostgreSQL's text
        cannot hold and no search word contains, is dropped."""
        query = query.replace("\x00", "")
        key = hashlib.sha256(query.encode("utf-8")).hexdigest()[:QUERY_KEY_LENGTH]
        known = await self._session.scalar(_RECALL, {"key": key})
        if known is None:
            await self._session.execute(_REMEMBER, {"key": key, "text": query})
        return key

    async def recall_query(self, key: str) -> str | None:
        """The query `remember_query` gave `key` for; None for a key it never gave."""
        result: str | None = await self._session.scalar(_RECALL, {"key": key})
        return result


_VERSION = text(f"SELECT version FROM {STATE_TABLE} WHERE id = 1")
_COMMIT_WITHOUT_WAITING = text("SET synchronous_commit = off")
_COMMIT_WAITING = text("RESET synchronous_commit")
_TRANSACTION_ID = text("SELECT pg_current_xact_id()")
QUERY_KEY_LENGTH = 12
_RECALL = text("SELECT text FROM search_queries WHERE key = :key")
_REMEMBER = text("INSERT INTO search_queries (key, text) VALUES (:key, :text)")


class ChatRepository:
    """Each chat's language; with a `LanguageCache`, most questions never reach the store."""

    def __init__(self, session: AsyncSession, languages: LanguageCache | None = None) -> None:
        self._session = session
        self._languages = languages

    async def get_language(self, chat_id: int) -> str | None:
        if self._languages is None:
            return await self._stored_language(chat_id)
        store = store_of(self._session)
        known = await self._languages.get(store, chat_id)
        if known is not None:
            return known or None
        stored = await self._stored_language(chat_id)
        await self._languages.put(store, chat_id, stored)
        return stored

    async def _stored_language(self, chat_id: int) -> str | None:
        return await self._session.scalar(
            select(ChatRecord.language).where(ChatRecord.id == chat_id)
        )

    async def set_language(self, chat_id: int, language: str) -> None:
        """Stores the choice and commits it at once: the cache may tell other updates
        (and other replicas) only what the store already holds."""
        record = await self._session.get(ChatRecord, chat_id)
        if record is None:
            self._session.add(ChatRecord(id=chat_id, language=language))
        else:
            record.language = language
        await self._session.commit()
        if self._languages is not None:
            await self._languages.put(store_of(self._session), chat_id, language)
