"""The fetcher's records: feed state, pages seen, further sources, the fetch lease."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.feeds.models import (
    DocumentSourceRecord,
    FeedStateRecord,
    LeaseRecord,
    WebPageRecord,
)
from bot.storage.models import DocumentRecord


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    name: str | None
    etag: str | None
    last_modified: str | None
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    newest_article: date | None


@dataclass(frozen=True, slots=True)
class DocumentSource:
    url: str
    outlet: str | None
    published: date | None


class FeedStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def feed_state(self, url: str) -> FeedState | None:
        record = await self.session.get(FeedStateRecord, url)
        return _state(record) if record else None

    async def feed_states(self) -> list[FeedState]:
        records = await self.session.scalars(select(FeedStateRecord).order_by(FeedStateRecord.name))
        return [_state(record) for record in records]

    async def save_feed_fetch(
        self,
        url: str,
        name: str,
        at: datetime,
        *,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        newest_article: date | None = None,
    ) -> None:
        """A fetch of the feed: a success keeps the validators for the next conditional
        request and moves the newest article date on; a failure keeps what was known."""
        record = await self.session.get(FeedStateRecord, url)
        if record is None:
            record = FeedStateRecord(url=url)
            self.session.add(record)
        record.name = name
        record.last_fetch_at = at
        record.last_error = error
        if error is None:
            record.last_success_at = at
            if etag is not None or last_modified is not None:
                record.etag, record.last_modified = etag, last_modified
            if newest_article and (
                record.newest_article is None or newest_article > record.newest_article
            ):
                record.newest_article = newest_article

    async def is_known(self, canonical_url: str) -> bool:
        found = await self.session.scalar(
            select(WebPageRecord.id).where(WebPageRecord.canonical_url == canonical_url)
        )
        return found is not None

    async def document_with_text(self, text_sha256: str) -> str | None:
        """The file name of the document already ingested from a page with this text."""
        return await self.session.scalar(
            select(WebPageRecord.file_name)
            .where(
                WebPageRecord.text_sha256 == text_sha256,
                WebPageRecord.file_name.is_not(None),
            )
            .limit(1)
        )

    async def record_page(
        self,
        canonical_url: str,
        outcome: str,
        *,
        text_sha256: str | None = None,
        file_name: str | None = None,
        feed_url: str | None = None,
    ) -> None:
        if await self.is_known(canonical_url):
            return
        self.session.add(
            WebPageRecord(
                canonical_url=canonical_url,
                outcome=outcome,
                text_sha256=text_sha256,
                file_name=file_name,
                feed_url=feed_url,
            )
        )

    async def add_source(
        self, file_name: str, url: str, outlet: str | None, published: date | None
    ) -> bool:
        """Another address of the document: True if it was new."""
        document_id = await self.session.scalar(
            select(DocumentRecord.id).where(DocumentRecord.file_name == file_name)
        )
        if document_id is None:
            return False
        exists = await self.session.scalar(
            select(DocumentSourceRecord.id).where(
                DocumentSourceRecord.document_id == document_id, DocumentSourceRecord.url == url
            )
        )
        if exists is not None:
            return False
        self.session.add(
            DocumentSourceRecord(
                document_id=document_id, url=url, outlet=outlet, published=published
            )
        )
        return True

    async def other_sources(self, file_name: str) -> list[DocumentSource]:
        rows = await self.session.execute(
            select(
                DocumentSourceRecord.url,
                DocumentSourceRecord.outlet,
                DocumentSourceRecord.published,
            )
            .join(DocumentRecord, DocumentRecord.id == DocumentSourceRecord.document_id)
            .where(DocumentRecord.file_name == file_name)
            .order_by(DocumentSourceRecord.id)
        )
        return [DocumentSource(url, outlet, published) for url, outlet, published in rows]


class Leases:
    """Named leases in the store, so that of several replicas one does a job at a time.
    A holder that dies loses its lease when it expires."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        expires = now + ttl
        taken = await self.session.execute(
            update(LeaseRecord)
            .where(
                LeaseRecord.name == name,
                (LeaseRecord.expires_at < now) | (LeaseRecord.holder == holder),
            )
            .values(holder=holder, expires_at=expires)
        )
        if taken.rowcount:  # type: ignore[attr-defined]
            return True
        try:
            async with self.session.begin_nested():
                self.session.add(LeaseRecord(name=name, holder=holder, expires_at=expires))
        except IntegrityError:
            return False
        return True

    async def release(self, name: str, holder: str) -> None:
        await self.session.execute(
            delete(LeaseRecord).where(LeaseRecord.name == name, LeaseRecord.holder == holder)
        )


def _state(record: FeedStateRecord) -> FeedState:
    return FeedState(
        url=record.url,
        name=record.name,
        etag=record.etag,
        last_modified=record.last_modified,
        last_fetch_at=record.last_fetch_at,
        last_success_at=record.last_success_at,
        last_error=record.last_error,
        newest_article=record.newest_article,
    )
