"""ORM records. Repositories turn them into the dataclasses of `bot.domain`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal kept as text, so no dialect rounds it through a float."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: object) -> str | None:
        if value is None:
            return None
        text = format(value.normalize(), "f")
        return text

    def process_result_value(self, value: str | None, dialect: object) -> Decimal | None:
        return None if value is None else Decimal(value)


class DocumentRecord(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    outlet: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    published_to: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16), default="unknown")
    title: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8))
    ingested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    facts: Mapped[list[FactRecord]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class FactRecord(Base):
    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_topic_subject", "topic", "subject"),
        Index("ix_facts_entity_key", "entity_key"),
        Index("ix_facts_identity", "identity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(255))
    entity_key: Mapped[str | None] = mapped_column(String(64))
    metric: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal] = mapped_column(DecimalText())
    unit: Mapped[str] = mapped_column(String(32))
    period: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    qualifier: Mapped[str | None] = mapped_column(String(16))
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    object: Mapped[str | None] = mapped_column(String(255))
    per: Mapped[str | None] = mapped_column(String(16))
    value_max: Mapped[Decimal | None] = mapped_column(DecimalText())
    part_of: Mapped[int | None] = mapped_column(ForeignKey("facts.id", ondelete="SET NULL"))
    lang: Mapped[str] = mapped_column(String(8), default="ru", server_default="ru")
    # The indicator, subject, period, unit and status in one digest (`bot.storage.identity`):
    # a figure another document states again is looked up by it.
    identity: Mapped[str | None] = mapped_column(String(40))

    document: Mapped[DocumentRecord] = relationship(back_populates="facts")


class FactSourceRecord(Base):
    """A further document that states a fact (its first is the fact's own `document_id`,
    with the fact's quote)."""

    __tablename__ = "fact_sources"
    __table_args__ = (Index("ix_fact_sources_document_id", "document_id"),)

    fact_id: Mapped[int] = mapped_column(
        ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(String(8), default="ru", server_default="ru")


class ChatRecord(Base):
    """Per-chat (user or group) preferences."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SubscriptionRecord(Base):
    """A chat's digest subscription: one per chat, kept (inactive) after unsubscribing."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_active_next_due_at", "active", "next_due_at"),)

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_type: Mapped[str] = mapped_column(String(16))
    topics: Mapped[str] = mapped_column(String(128))
    frequency: Mapped[str] = mapped_column(String(8))
    minute_of_day: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Facts added after this instant go into the next digest.
    cursor: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The start of the last period a digest was claimed for.
    last_period: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deactivated_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class DeliveryRecord(Base):
    """One digest for one chat and period: claimed before anything is sent."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (
        UniqueConstraint("chat_id", "period_start", name="uq_digest_deliveries_chat_period"),
        Index("ix_digest_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.chat_id", ondelete="CASCADE", onupdate="CASCADE")
    )
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16))
    chat_type: Mapped[str] = mapped_column(String(16))
    topics: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8))
    window_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    window_to: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    parts_total: Mapped[int | None] = mapped_column(Integer)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
