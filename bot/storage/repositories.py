"""Repositories: the only place that speaks SQL. They return `bot.domain` dataclasses."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.domain import (
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
from bot.storage.fulltext import FactSearch
from bot.storage.languages import LanguageCache
from bot.storage.models import ChatRecord, DocumentRecord, FactRecord

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
    )


def to_fact(record: FactRecord, source: Source) -> Fact:
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
    )


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

    async def store(self, meta: DocumentMeta, facts: Sequence[ExtractedFact]) -> StoreResult:
        """Insert a document with its facts, or replace the facts of a changed one.

        The caller's transaction makes the replacement all-or-nothing.
        """
        record = await self._session.scalar(
            select(DocumentRecord).where(DocumentRecord.file_name == meta.file_name)
        )
        search = FactSearch(self._session)
        replaced = 0
        existed = record is not None
        if record is not None and record.sha256 == meta.sha256:
            return StoreResult(record.id, 0, 0, unchanged=True, existed=True)
        if record is None:
            record = DocumentRecord(file_name=meta.file_name)
            self._session.add(record)
        else:
            replaced = (
                await self._session.scalar(
                    select(func.count()).where(FactRecord.document_id == record.id)
                )
                or 0
            )
            await search.remove_document(record.id)
            await self._session.execute(
                delete(FactRecord).where(FactRecord.document_id == record.id)
            )
            record.ingested_at = datetime.now(UTC)
        record.sha256 = meta.sha256
        record.outlet = meta.outlet
        record.url = meta.url
        record.published = meta.published
        record.published_to = meta.published_to
        record.date_precision = meta.precision.value
        record.title = meta.title
        await self._session.flush()
        if facts:
            await self._session.execute(
                insert(FactRecord),
                [
                    {
                        "document_id": record.id,
                        "topic": fact.topic.value,
                        "subject": fact.subject,
                        "entity_key": fact.entity_key,
                        "metric": fact.metric,
                        "value": fact.value,
                        "unit": fact.unit,
                        "period": fact.period.key() if fact.period else None,
                        "status": fact.status.value,
                        "qualifier": fact.qualifier.value if fact.qualifier else None,
                        "quote": fact.quote,
                        "start": fact.start,
                        "end": fact.end,
                    }
                    for fact in facts
                ],
            )
            await search.add_document(record.id)
        return StoreResult(record.id, len(facts), replaced, unchanged=False, existed=existed)

    async def list_sources(self) -> list[Source]:
        records = await self._session.scalars(
            select(DocumentRecord).order_by(*NEWEST_DOCUMENTS_FIRST)
        )
        return [to_source(r) for r in records]

    async def fact_counts(self) -> dict[int, int]:
        rows = await self._session.execute(
            select(FactRecord.document_id, func.count()).group_by(FactRecord.document_id)
        )
        return {doc_id: count for doc_id, count in rows.all()}


class FactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list(
        self,
        *,
        topic: Topic | None = None,
        entity_key: str | None = None,
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
        if subject is not None:
            query = query.where(FactRecord.subject == subject)
        if ids is not None:
            query = query.where(FactRecord.id.in_(list(ids)))
        if added_after is not None:
            query = query.where(FactRecord.added_at > added_after)
        query = query.join(FactRecord.document).order_by(*NEWEST_DOCUMENTS_FIRST, FactRecord.start)
        records = (await self._session.scalars(query)).all()
        sources: dict[int, Source] = {}
        facts = []
        for record in records:
            source = sources.get(record.document_id)
            if source is None:
                source = sources[record.document_id] = to_source(record.document)
            facts.append(to_fact(record, source))
        return facts

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
    ) -> builtins.list[Fact]:
        """Facts matching `text`, best first (see `bot.storage.fulltext`)."""
        return await FactSearch(self._session).search(text, language, limit, offset)

    async def get(self, fact_id: int) -> Fact | None:
        facts = await self.list(ids=[fact_id])
        return facts[0] if facts else None

    async def count_by_topic(self) -> dict[Topic, int]:
        rows = await self._session.execute(
            select(FactRecord.topic, func.count()).group_by(FactRecord.topic)
        )
        return {Topic(topic): count for topic, count in rows.all()}

    async def version(self) -> str:
        """Changes whenever facts are added, replaced or removed."""
        # Facts are added with new ids and times, and a document whose facts were
        # replaced or removed is ingested again: the newest of each, and the number of
        # documents, tell every change. Each is read from an index's end or from the
        # small documents table, never by counting a million facts.
        row = (
            await self._session.execute(
                select(
                    select(func.max(FactRecord.id)).scalar_subquery(),
                    select(func.max(FactRecord.added_at)).scalar_subquery(),
                    select(func.count()).select_from(DocumentRecord).scalar_subquery(),
                    select(func.max(DocumentRecord.ingested_at)).scalar_subquery(),
                )
            )
        ).one()
        max_id, last_fact, documents, last_document = row
        stamps = (
            t.isoformat() if isinstance(t, datetime) else str(t or "")
            for t in (last_fact, last_document)
        )
        return "-".join([str(max_id or 0), *stamps, str(documents)])


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
