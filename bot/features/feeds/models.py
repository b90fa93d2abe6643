"""The tables of the fetcher (migration 0008_feeds)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class FeedStateRecord(Base):
    """One feed: what its server said last time (for conditional GET) and how fresh it is."""

    __tablename__ = "feed_states"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255))
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    last_fetch_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    newest_article: Mapped[date | None] = mapped_column(Date)


class WebPageRecord(Base):
    """An article page seen once, whatever became of it, so it is not fetched again."""

    __tablename__ = "web_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    outcome: Mapped[str] = mapped_column(String(16))
    text_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    file_name: Mapped[str | None] = mapped_column(String(255))
    feed_url: Mapped[str | None] = mapped_column(String(2048))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DocumentSourceRecord(Base):
    """Another address the same article was published at: a second source of its facts."""

    __tablename__ = "document_sources"
    __table_args__ = (
        UniqueConstraint("document_id", "url", name="uq_document_sources_document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    outlet: Mapped[str | None] = mapped_column(String(255))
    published: Mapped[date | None] = mapped_column(Date)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LeaseRecord(Base):
    """A named lease: the holder may do the work until it expires or is given back."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
