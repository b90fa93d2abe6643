"""Shared factories: facts and documents built by hand and stored through the
real repository, for tests that need a small, known store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import (
    DatePrecision,
    DocumentMeta,
    ExtractedFact,
    Fact,
    Period,
    PeriodKind,
    Qualifier,
    Source,
    Status,
    Topic,
)
from bot.storage.fulltext import FTS_TABLE
from bot.storage.repositories import DocumentRepository

REGION = "Карагандинская область"
BY_2028 = Period(PeriodKind.BY, year=2028)


def make_fact(
    *,
    topic: Topic = Topic.INVESTMENTS,
    subject: str = "Qarmet",
    entity_key: str | None = "qarmet",
    metric: str = "investment",
    value: Decimal | int | str = Decimal("1600000000000"),
    unit: str = "KZT",
    period: Period | None = BY_2028,
    status: Status = Status.PLAN,
    qualifier: Qualifier | None = None,
    quote: str = "Инвестиции в модернизацию составят 1,6 трлн тенге до 2028 года.",
    object: str | None = None,
    per: str | None = None,
    value_max: Decimal | int | str | None = None,
    part_of: int | None = None,
    lang: str = "ru",
) -> ExtractedFact:
    return ExtractedFact(
        topic=topic,
        subject=subject,
        entity_key=entity_key,
        metric=metric,
        value=Decimal(value),
        unit=unit,
        period=period,
        status=status,
        qualifier=qualifier,
        quote=quote,
        start=0,
        end=len(quote),
        object=object,
        per=per,
        value_max=None if value_max is None else Decimal(value_max),
        part_of=part_of,
        lang=lang,
    )


def make_meta(
    file_name: str,
    *,
    outlet: str | None = "BAQ.kz",
    url: str | None = "https://rus.baq.kz/news",
    published: date | None = date(2025, 9, 11),
    precision: DatePrecision = DatePrecision.EXACT,
    published_to: date | None = None,
) -> DocumentMeta:
    return DocumentMeta(
        file_name=file_name,
        sha256=hashlib.sha256(file_name.encode()).hexdigest(),
        outlet=outlet,
        url=url,
        published=published,
        precision=precision,
        published_to=published_to,
    )


def make_source(**overrides: object) -> Source:
    values: dict[str, object] = {
        "id": 1,
        "file_name": "doc.txt",
        "outlet": "BAQ.kz",
        "url": "https://rus.baq.kz/news",
        "published": date(2025, 9, 11),
        "precision": DatePrecision.EXACT,
    }
    values.update(overrides)
    return Source(**values)  # type: ignore[arg-type]


def stored(extracted: ExtractedFact, *, fact_id: int = 1, source: Source | None = None) -> Fact:
    """An extracted fact as the repository would return it."""
    return Fact(
        id=fact_id,
        source=source or make_source(),
        topic=extracted.topic,
        subject=extracted.subject,
        entity_key=extracted.entity_key,
        metric=extracted.metric,
        value=extracted.value,
        unit=extracted.unit,
        period=extracted.period,
        status=extracted.status,
        qualifier=extracted.qualifier,
        quote=extracted.quote,
        start=extracted.start,
        end=extracted.end,
        object=extracted.object,
        per=extracted.per,
        value_max=extracted.value_max,
        lang=extracted.lang,
    )


@dataclass
class Document:
    meta: DocumentMeta
    facts: list[ExtractedFact] = field(default_factory=list)


def sample_documents() -> list[Document]:
    """A small store shaped like the seed documents: one subject with figures
    from several documents (a timeline), plan and actual, each kind of date."""
    zakon = make_meta(
        "000_zakon.txt",
        outlet="Zakon.kz",
        url="https://www.zakon.kz/sobytiia/6490508.html",
        published=date(2025, 9, 11),
    )
    baq_dec = make_meta(
        "001_baq.txt", outlet="BAQ.kz", url="https://rus.baq.kz/001", published=date(2025, 12, 20)
    )
    baq_est = make_meta(
        "002_baq.txt",
        outlet="BAQ.kz",
        url="https://rus.baq.kz/002",
        published=date(2025, 8, 1),
        published_to=date(2025, 9, 30),
        precision=DatePrecision.ESTIMATED,
    )
    unknown = make_meta("005_unknown.txt", outlet=None, url=None, published=None,
                        precision=DatePrecision.UNKNOWN)  # fmt: skip
    return [
        Document(
            zakon,
            [
                make_fact(
                    subject=REGION,
                    entity_key="karaganda_region",
                    metric="projects",
                    value=29,
                    unit="projects",
                    period=Period(PeriodKind.YEAR, year=2025),
                    quote="В 2025 году планируется реализовать 29 проектов.",
                ),
                make_fact(
                    topic=Topic.ZONES,
                    subject="СЭЗ «Сарыарка»",
                    entity_key="sez_saryarka",
                    metric="participants",
                    value=24,
                    unit="participants",
                    period=None,
                    status=Status.ACTUAL,
                    quote="Участниками СЭЗ «Сарыарка» являются 24 компании.",
                ),
                make_fact(
                    topic=Topic.CARGO,
                    subject="Аэропорт Сары-Арка",
                    entity_key="airport_saryarka",
                    metric="cargo",
                    value=200000,
                    unit="t",
                    period=Period(PeriodKind.BY, year=2030),
                    quote="К 2030 году грузооборот аэропорта вырастет до 200 тыс. тонн.",
                    qualifier=Qualifier.UP_TO,
                ),
            ],
        ),
        Document(
            baq_dec,
            [
                make_fact(
                    subject=REGION,
                    entity_key="karaganda_region",
                    metric="projects",
                    value=25,
                    unit="projects",
                    period=Period(PeriodKind.YEAR, year=2025),
                    status=Status.ACTUAL,
                    quote="В 2025 году запущено 25 новых производств.",
                ),
                make_fact(
                    subject=REGION,
                    entity_key="karaganda_region",
                    topic=Topic.JOBS,
                    metric="jobs",
                    value=2800,
                    unit="jobs",
                    period=Period(PeriodKind.YEAR, year=2025),
                    status=Status.ACTUAL,
                    qualifier=Qualifier.MORE_THAN,
                    quote="Создано более 2 800 рабочих мест.",
                ),
            ],
        ),
        Document(
            baq_est,
            [
                make_fact(),
                make_fact(
                    value=Decimal("572900000000"),
                    period=Period(PeriodKind.YEAR, year=2024),
                    status=Status.ACTUAL,
                    quote="В 2024 году вложено 572,9 млрд тенге.",
                ),
                make_fact(
                    topic=Topic.ZONES,
                    subject="Индустриальная зона «Сарань»",
                    entity_key="iz_saran",
                    metric="investment",
                    value=Decimal("312500000000"),
                    period=None,
                    status=Status.PLAN,
                    quote="В индустриальной зоне Сарань реализуются проекты на 312,5 млрд тенге.",
                ),
            ],
        ),
        Document(
            unknown,
            [
                make_fact(
                    topic=Topic.PRODUCTION,
                    subject="Завод <шин> & Co",
                    entity_key=None,
                    metric="units_produced",
                    value=Decimal("28200000"),
                    unit="units",
                    period=Period(PeriodKind.MONTHS, year=2025, months=8),
                    status=Status.ACTUAL,
                    quote='Выпущено 28,2 млн шин — "рекорд" <b>года</b>.',
                ),
            ],
        ),
    ]


async def keep_every_segment(session_factory: async_sessionmaker[AsyncSession]) -> bool:
    """Turns FTS5's own merging of the index's segments off, so that every transaction
    that writes the index leaves a segment, as many stay in a store of a million facts;
    False on a store whose index has no segments (PostgreSQL)."""
    async with session_factory() as session:
        if session.get_bind().dialect.name != "sqlite":
            return False
        await session.execute(
            text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('automerge', 0)")
        )
        await session.commit()
    return True


async def store_documents(
    session_factory: async_sessionmaker[AsyncSession], documents: list[Document]
) -> None:
    async with session_factory() as session:
        repository = DocumentRepository(session)
        for document in documents:
            await repository.store(document.meta, document.facts)
        await session.commit()


def timeline_documents() -> list[Document]:
    """Three documents, months apart, each giving the participants of the Saran zone:
    a timeline with three points (one of them at an estimated date)."""
    saran = {
        "topic": Topic.ZONES,
        "subject": "Индустриальная зона «Сарань»",
        "entity_key": "iz_saran",
        "metric": "participants",
        "unit": "participants",
        "period": None,
        "status": Status.ACTUAL,
    }
    dates = [
        ("010_saran.txt", date(2025, 3, 14), None, DatePrecision.EXACT, 12),
        ("011_saran.txt", date(2025, 6, 1), date(2025, 7, 31), DatePrecision.ESTIMATED, 15),
        ("012_saran.txt", date(2025, 11, 5), None, DatePrecision.EXACT, 18),
    ]
    return [
        Document(
            make_meta(
                name,
                outlet="inkaraganda.kz",
                url=f"https://inkaraganda.kz/{name}",
                published=published,
                published_to=published_to,
                precision=precision,
            ),
            [
                make_fact(
                    **saran,  # type: ignore[arg-type]
                    value=value,
                    quote=f"В индустриальной зоне «Сарань» зарегистрировано {value} участников.",
                )
            ],
        )
        for name, published, published_to, precision, value in dates
    ]
