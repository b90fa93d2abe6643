"""What a query means: words of the other language, letters typed either way, names with
a typo, years and plan words as filters, a region found by its city's name, words that
are not found lowering the rank, and newer facts first among equals. Over a small store
of sentences written for these tests, on every backend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Period, PeriodKind, Status, Topic
from bot.pipeline.search_terms import Filters, parse_query
from bot.storage.fulltext import SearchPage
from bot.storage.searches import fact_search
from tests.factories import Document, make_fact, make_meta, store_documents


def year(value: int) -> Period:
    return Period(PeriodKind.YEAR, year=value)


def documents() -> list[Document]:
    region = {"subject": "Карагандинская область", "entity_key": "karaganda_region"}
    qarmet = {"subject": "Qarmet", "entity_key": "qarmet"}
    zone = {"subject": "Индустриальная зона «Сарань»", "entity_key": "iz_saran"}
    return [
        Document(
            make_meta("coal.txt", published=date(2025, 3, 1)),
            [
                make_fact(
                    **region, topic=Topic.PRODUCTION, metric="volume", unit="t",
                    value=Decimal(1_200_000), period=None, status=Status.ACTUAL,
                    quote="Запасы угля на электростанциях региона достигли 1,2 млн тонн.",
                )
            ],
        ),
        Document(
            make_meta("heat.txt", published=date(2025, 2, 1)),
            [
                make_fact(
                    **region, topic=Topic.OTHER, metric="growth", unit="%",
                    value=Decimal(20), period=None, status=Status.ACTUAL,
                    quote="Зимой спрос на тепло в городах вырос на 20%.",
                )
            ],
        ),
        Document(
            make_meta("terminal_kk.txt", published=date(2025, 4, 1)),
            [
                make_fact(
                    subject="Балқаш", entity_key="balkhash", topic=Topic.CARGO, metric="cargo",
                    unit="t", value=Decimal(50_000), period=year(2026), status=Status.PLAN,
                    quote="Балқаш қаласында жылына 50 мың тонна жүк өңдейтін терминал салынады.",
                )
            ],
        ),
        Document(
            make_meta("mine_kk.txt", published=date(2025, 5, 1)),
            [
                make_fact(
                    subject="Шахтинск", entity_key=None, topic=Topic.PRODUCTION,
                    metric="growth", unit="%", value=Decimal(3), period=None,
                    status=Status.ACTUAL,
                    quote="Шахтинск кеніштерінде көмір өндіру 3 пайызға өсті.",
                )
            ],
        ),
        Document(
            make_meta("steel.txt", published=date(2024, 5, 1)),
            [
                make_fact(
                    **qarmet, topic=Topic.PRODUCTION, metric="growth", unit="%",
                    value=Decimal(5), period=year(2023), status=Status.ACTUAL,
                    quote="Комбинат в Темиртау за прошлый год увеличил выпуск стали на 5%.",
                )
            ],
        ),
        Document(
            make_meta("workshops.txt", published=date(2025, 6, 1)),
            [
                make_fact(
                    **qarmet, topic=Topic.INVESTMENTS, metric="investment", unit="KZT",
                    value=Decimal(90_000_000_000), period=year(2024), status=Status.ACTUAL,
                    quote="В прошлом году компания вложила 90 млрд тенге в новые цеха.",
                )
            ],
        ),
        Document(
            make_meta("city_jobs.txt", published=date(2025, 7, 1)),
            [
                make_fact(
                    subject="Караганда", entity_key="karaganda", topic=Topic.JOBS,
                    metric="jobs", unit="jobs", value=Decimal(3000),
                    period=Period(PeriodKind.BY, year=2030), status=Status.PLAN,
                    quote="К концу десятилетия в городе откроют 3 000 рабочих мест.",
                )
            ],
        ),
        Document(
            make_meta("company.txt", published=date(2025, 9, 1)),
            [
                make_fact(
                    subject="ТОО «Жолдастар Логистик»", entity_key=None, topic=Topic.CARGO,
                    metric="cargo", unit="t", value=Decimal(7000), period=None,
                    status=Status.ACTUAL,
                    quote="Склад перевалил 7 тысяч тонн грузов за квартал.",
                )
            ],
        ),
        *(
            Document(
                make_meta(f"zone_{published.year}.txt", published=published),
                [
                    make_fact(
                        **zone, topic=Topic.ZONES, metric="participants", unit="participants",
                        value=Decimal(count), period=None, status=Status.ACTUAL,
                        quote=f"Участниками зоны стали {count} предприятий.",
                    )
                ],
            )
            for published, count in ((date(2023, 1, 1), 9), (date(2025, 8, 1), 14))
        ),
    ]  # fmt: skip


@pytest.fixture
async def session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncSession:
    await store_documents(session_factory, documents())
    async with session_factory() as session:
        yield session  # type: ignore[misc]


async def find(session: AsyncSession, query: str, language: str = "ru") -> SearchPage:
    return await fact_search(session).find(query, language, limit=20)


def quotes(page: SearchPage) -> list[str]:
    return [fact.quote for fact in page.facts]


@pytest.mark.parametrize(("query", "language"), [("көмір", "kk"), ("көмір қоры", "kk")])
async def test_a_kazakh_word_finds_the_russian_facts(
    session: AsyncSession, query: str, language: str
) -> None:
    found = quotes(await find(session, query, language))
    assert any(quote.startswith("Запасы угля") for quote in found)


async def test_a_russian_word_finds_the_kazakh_facts(session: AsyncSession) -> None:
    assert "Шахтинск кеніштерінде" in " ".join(quotes(await find(session, "уголь")))
    assert "терминал салынады" in " ".join(quotes(await find(session, "грузы")))


@pytest.mark.parametrize("query", ["Балхаш", "Балқаш", "БАЛКАШ", "Balkhash", "балхаша"])
async def test_letters_and_scripts_are_folded(session: AsyncSession, query: str) -> None:
    page = await find(session, query)
    assert [fact.entity_key for fact in page.facts] == ["balkhash"]
    assert page.corrected == ()


@pytest.mark.parametrize(
    ("query", "name", "entity_key"),
    [("Балхащ", "Балхаш", "balkhash"), ("Темиртаю", "Темиртау", "qarmet"),
     ("Кормет", "Кармет", "qarmet")],
)  # fmt: skip
async def test_a_name_with_a_typo_is_corrected_and_said(
    session: AsyncSession, query: str, name: str, entity_key: str
) -> None:
    page = await find(session, query)
    assert page.corrected == (name,)
    assert page.facts and all(fact.entity_key == entity_key for fact in page.facts)


async def test_a_stored_subject_the_gazetteer_does_not_know_is_corrected_too(
    session: AsyncSession,
) -> None:
    page = await find(session, "Жолдастр")
    assert page.corrected == ("Жолдастар",)
    assert [fact.value for fact in page.facts] == [7000]


async def test_a_word_far_from_every_name_is_not_corrected(session: AsyncSession) -> None:
    page = await find(session, "Жезказганский")
    assert page.corrected == ()


async def test_a_year_filters_by_period_not_by_the_sentence(session: AsyncSession) -> None:
    # Neither sentence spells its year.
    assert [f.value for f in (await find(session, "Qarmet 2024")).facts] == [90_000_000_000]
    assert [f.value for f in (await find(session, "Qarmet 2023")).facts] == [5]
    assert parse_query("Qarmet 2024").filters == Filters(years=(2024,))


@pytest.mark.parametrize("query", ["план", "планы", "жоспар", "жоспарлар"])
async def test_plan_words_ask_for_plans(session: AsyncSession, query: str) -> None:
    found = (await find(session, query)).facts
    assert {fact.quote[:10] for fact in found} == {"Балқаш қал", "К концу де"}
    assert all(fact.status is Status.PLAN for fact in found)


async def test_plan_and_year_together(session: AsyncSession) -> None:
    assert [f.value for f in (await find(session, "планы до 2030")).facts] == [3000]


async def test_a_filter_that_finds_nothing_is_dropped(session: AsyncSession) -> None:
    # No figure about the zone has a period: the year gives way to the words.
    found = (await find(session, "Сарань 2019")).facts
    assert found and all(fact.entity_key == "iz_saran" for fact in found)


@pytest.mark.parametrize("query", ["Караганда", "Қарағанды", "Караганды"])
async def test_the_city_name_finds_the_region_too(session: AsyncSession, query: str) -> None:
    keys = {fact.entity_key for fact in (await find(session, query)).facts}
    assert {"karaganda", "karaganda_region"} <= keys


async def test_a_word_not_found_lowers_the_rank_instead_of_emptying(
    session: AsyncSession,
) -> None:
    # "зимой" is in the store, never beside the coal: the coal reserves still come.
    found = quotes(await find(session, "запасы угля зимой"))
    assert found and found[0].startswith("Запасы угля")


async def test_a_topic_word_narrows_by_topic(session: AsyncSession) -> None:
    found = (await find(session, "Qarmet инвестиции")).facts
    assert [fact.topic for fact in found] == [Topic.INVESTMENTS]


async def test_newer_first_among_equals(session: AsyncSession) -> None:
    found = (await find(session, "участники Сарань")).facts
    assert [fact.value for fact in found] == [14, 9]
