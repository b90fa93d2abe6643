"""One figure, one fact: a figure several documents state is stored once, with every
document as a source; removing a document takes away only what it alone stated."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Period, PeriodKind, Status, Topic
from bot.storage.models import FactSourceRecord
from bot.storage.repositories import DocumentRepository, FactRepository
from tests.factories import Document, make_fact, make_meta, store_documents

YEAR = Period(PeriodKind.YEAR, year=2024)


def smelting(value: str, quote: str, **extra: object) -> object:
    values: dict[str, object] = {
        "topic": Topic.PRODUCTION,
        "subject": "АО «Qarmet»",
        "entity_key": "qarmet",
        "metric": "volume",
        "value": value,
        "unit": "t",
        "period": YEAR,
        "status": Status.ACTUAL,
        "object": "чугун",
        "quote": quote,
    }
    values.update(extra)
    return make_fact(**values)  # type: ignore[arg-type]


def restating() -> list[Document]:
    first = Document(
        make_meta("first.txt", published=date(2025, 2, 1)),
        [smelting("3450000", "Комбинат выплавил 3,45 млн тонн чугуна в 2024 году.")],
    )
    second = Document(
        make_meta("second.txt", published=date(2025, 3, 1), outlet="Kazinform"),
        [
            smelting("3452000", "В прошлом году выплавлено 3 452 тыс. тонн чугуна."),
            smelting("4100000", "Стали выплавлено 4,1 млн тонн.", object="сталь"),
        ],
    )
    return [first, second]


async def test_a_restated_figure_is_one_fact_with_both_sources(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await store_documents(session_factory, restating())
    async with session_factory() as session:
        facts = await FactRepository(session).list()
    assert sorted((f.object, f.value) for f in facts) == [
        ("сталь", Decimal("4100000")),
        ("чугун", Decimal("3450000")),
    ]
    (iron,) = [f for f in facts if f.object == "чугун"]
    assert iron.source.file_name == "first.txt"
    assert [(c.source.file_name, c.quote[:14]) for c in iron.all_citations] == [
        ("first.txt", "Комбинат выпла"),
        ("second.txt", "В прошлом году"),
    ]
    (steel,) = [f for f in facts if f.object == "сталь"]
    assert [c.source.file_name for c in steel.all_citations] == ["second.txt"]


async def test_different_values_of_one_indicator_stay_side_by_side(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    documents = restating()
    documents[1].facts[0] = smelting("3200000", "Выплавка чугуна составила 3,2 млн тонн.")
    await store_documents(session_factory, documents)
    async with session_factory() as session:
        facts = await FactRepository(session).list()
    assert sorted(f.value for f in facts if f.object == "чугун") == [
        Decimal("3200000"),
        Decimal("3450000"),
    ]


async def test_removing_a_document_keeps_what_others_state(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await store_documents(session_factory, restating())
    async with session_factory() as session, session.begin():
        assert await DocumentRepository(session).remove("first.txt")
    async with session_factory() as session:
        facts = await FactRepository(session).list()
        counts = await DocumentRepository(session).fact_counts()
        links = await session.scalar(select(func.count()).select_from(FactSourceRecord))
    iron = next(f for f in facts if f.object == "чугун")
    assert (iron.source.file_name, iron.quote[:14]) == ("second.txt", "В прошлом году")
    assert iron.all_citations == (iron.all_citations[0],)
    assert len(facts) == 2 and list(counts.values()) == [2] and links == 0
    async with session_factory() as session, session.begin():
        assert await DocumentRepository(session).remove("second.txt")
    async with session_factory() as session:
        assert await FactRepository(session).list() == []
        assert await session.scalar(select(func.count()).select_from(FactSourceRecord)) == 0


async def test_a_replaced_document_drops_only_its_own_sources(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    first, second = restating()
    await store_documents(session_factory, [first, second])
    changed = Document(
        make_meta("second.txt", published=date(2025, 3, 1)),
        [smelting("900", "Прочие 900 тонн.", object="ферросплавы")],
    )
    changed.meta = replace(changed.meta, sha256="0" * 64)
    await store_documents(session_factory, [changed])
    async with session_factory() as session:
        facts = await FactRepository(session).list()
    assert sorted(str(f.object) for f in facts) == ["ферросплавы", "чугун"]
    iron = next(f for f in facts if f.object == "чугун")
    assert [c.source.file_name for c in iron.all_citations] == ["first.txt"]


async def test_new_fields_and_parts_are_stored(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    whole = make_fact(
        topic=Topic.JOBS,
        metric="jobs",
        unit="jobs",
        value=40,
        quote="Создано 40 мест, в том числе 15 в промышленности.",
    )
    part = make_fact(
        topic=Topic.JOBS,
        metric="jobs",
        unit="jobs",
        value=15,
        object="промышленность",
        part_of=0,
        quote=whole.quote,
    )
    share = make_fact(
        topic=Topic.PRODUCTION,
        metric="growth",
        unit="percent",
        value=5,
        value_max=10,
        per="year",
        lang="kk",
        quote="Өндіріс жылына 5–10 пайызға өседі.",
    )
    meta = replace(make_meta("parts.txt"), lang="ru")
    await store_documents(session_factory, [Document(meta, [whole, part, share])])
    async with session_factory() as session:
        facts = {f.value: f for f in await FactRepository(session).list()}
        source = await DocumentRepository(session).get_by_name("parts.txt")
    assert facts[Decimal(15)].part_of == facts[Decimal(40)].id
    assert facts[Decimal(40)].part_of is None
    assert (facts[Decimal(5)].value_max, facts[Decimal(5)].per, facts[Decimal(5)].lang) == (
        Decimal(10),
        "year",
        "kk",
    )
    assert source is not None and source.lang == "ru"
