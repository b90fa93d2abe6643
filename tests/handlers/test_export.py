"""/export: the facts as a CSV document that parses back to the same facts."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import DatePrecision, Fact, Period, Qualifier, Source, Status, Topic
from bot.render.format import format_period
from bot.render.html import html_problems, telegram_length
from bot.render.i18n import LANGUAGES, create_i18n
from bot.render.labels import metric_label, status_label, topic_label
from bot.storage.repositories import FactRepository
from tests.handlers.answers import assert_valid, plain
from tests.handlers.harness import BotDriver
from tools.emulator.world import StoredMessage

HEADERS = {
    "ru": [
        "ID", "Тема", "topic", "Объект (как в источнике)", "Название", "entity_key",
        "Показатель", "metric", "Значение", "qualifier", "Единица", "Период", "period_key",
        "Статус", "status", "Как в ответе бота", "Источник", "outlet", "Ссылка",
        "Опубликовано (ISO)", "date_precision", "Дата публикации", "Цитата", "Файл документа",
        "object", "per", "value_max", "part_of", "lang", "document_lang",
    ],
    "kk": [
        "ID", "Тақырып", "topic", "Нысан (дереккөздегідей)", "Атауы", "entity_key",
        "Көрсеткіш", "metric", "Мәні", "qualifier", "Өлшем бірлігі", "Кезең", "period_key",
        "Мәртебе", "status", "Бот жауабындағыдай", "Дереккөз", "outlet", "Сілтеме",
        "Жарияланды (ISO)", "date_precision", "Жарияланған күні", "Дәйексөз", "Құжат файлы",
        "object", "per", "value_max", "part_of", "lang", "document_lang",
    ],
}  # fmt: skip

# The translated headers of the columns that hold stored values, by what they hold.
COLUMNS = {
    "ru": {
        "topic": "Тема", "subject": "Объект (как в источнике)", "metric": "Показатель",
        "value": "Значение", "unit": "Единица", "period": "Период", "status": "Статус",
        "source": "Источник", "link": "Ссылка", "published": "Опубликовано (ISO)",
        "quote": "Цитата", "document": "Файл документа",
    },
    "kk": {
        "topic": "Тақырып", "subject": "Нысан (дереккөздегідей)", "metric": "Көрсеткіш",
        "value": "Мәні", "unit": "Өлшем бірлігі", "period": "Кезең", "status": "Мәртебе",
        "source": "Дереккөз", "link": "Сілтеме", "published": "Жарияланды (ISO)",
        "quote": "Дәйексөз", "document": "Құжат файлы",
    },
}  # fmt: skip


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The export's language; the translated labels are rendered in it for comparison."""
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale(request.param):
        yield request.param


async def stored_facts(
    factory: async_sessionmaker[AsyncSession], topic: Topic | None = None
) -> dict[int, Fact]:
    async with factory() as session:
        return {fact.id: fact for fact in await FactRepository(session).list(topic=topic)}


def read_csv(message: StoredMessage) -> list[dict[str, str]]:
    """The attached document: UTF-8 with a BOM, semicolons, one header row."""
    assert message.document is not None
    content = message.document.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def fact_from_row(row: dict[str, str], language: str) -> Fact:
    """A fact rebuilt from its row alone: the code columns and the stored values."""
    column = COLUMNS[language]
    published, _, published_to = row[column["published"]].partition("/")
    source = Source(
        id=0,
        file_name=row[column["document"]],
        outlet=row["outlet"] or None,
        url=row[column["link"]] or None,
        published=date.fromisoformat(published) if published else None,
        precision=DatePrecision(row["date_precision"]),
        published_to=date.fromisoformat(published_to) if published_to else None,
        lang=row["document_lang"] or None,
    )
    return Fact(
        id=int(row["ID"]),
        source=source,
        topic=Topic(row["topic"]),
        subject=row[column["subject"]],
        entity_key=row["entity_key"] or None,
        metric=row["metric"],
        value=Decimal(row[column["value"]]),
        unit=row[column["unit"]],
        period=Period.from_key(row["period_key"]),
        status=Status(row["status"]),
        qualifier=Qualifier(row["qualifier"]) if row["qualifier"] else None,
        quote=row[column["quote"]],
        start=0,
        end=0,
        object=row["object"] or None,
        per=row["per"] or None,
        value_max=Decimal(row["value_max"]) if row["value_max"] else None,
        part_of=int(row["part_of"]) if row["part_of"] else None,
        lang=row["lang"],
    )


def exported_part(fact: Fact) -> Fact:
    """The stored fact without what the export leaves out: the offsets of the quote in
    its document, the source's id in the store and its title."""
    return replace(fact, start=0, end=0, source=replace(fact.source, id=0, title=None))


def assert_parses_back(rows: list[dict[str, str]], facts: dict[int, Fact], language: str) -> None:
    """Every row rebuilds the stored fact with its id, field for field; the translated
    columns say what the code columns hold."""
    column = COLUMNS[language]
    assert sorted(int(row["ID"]) for row in rows) == sorted(facts)
    for row in rows:
        fact = facts[int(row["ID"])]
        assert fact_from_row(row, language) == exported_part(fact)
        # The value exactly as stored: no rounding, no grouping, no exponent.
        assert row[column["value"]] == format(fact.value, "f")
        assert row[column["topic"]] == topic_label(fact.topic)
        assert row[column["metric"]] == metric_label(fact.metric)
        assert row[column["status"]] == status_label(fact.status)
        assert row[column["period"]] == format_period(fact.period)
        if fact.source.outlet:
            assert row[column["source"]] == fact.source.outlet


def assert_caption(message: StoredMessage) -> str:
    html = message.html or ""
    assert not html_problems(html)
    assert telegram_length(html) <= 1024
    return plain(message.content)


async def test_export_parses_back_to_the_same_facts(
    driver: BotDriver, seeded_session_factory: async_sessionmaker[AsyncSession], language: str
) -> None:
    user = driver.new_user("Айгерім", language_code=language)
    turn = await driver.send("/export", user=user)
    assert turn.calls[-1].method == "sendDocument"
    message = turn.reply
    assert message.document is not None
    assert message.document.file_name == "karaganda-facts-all.csv"
    rows = read_csv(message)
    assert list(rows[0]) == HEADERS[language]
    facts = await stored_facts(seeded_session_factory)
    assert_parses_back(rows, facts, language)
    # The seed store fills each optional column in some rows and leaves it empty in others.
    for code in ("entity_key", "qualifier", "period_key"):
        assert {bool(row[code]) for row in rows} == {True, False}, code
    assert {row["date_precision"] for row in rows} == {"exact", "estimated"}
    assert any("/" in row[COLUMNS[language]["published"]] for row in rows)


async def test_export_of_a_topic(
    driver: BotDriver, seeded_session_factory: async_sessionmaker[AsyncSession]
) -> None:
    turn = await driver.send("/export investments")
    assert turn.calls[-1].method == "sendDocument"
    message = turn.reply
    assert message.document is not None
    assert message.document.file_name == "karaganda-facts-investments.csv"
    facts = await stored_facts(seeded_session_factory, Topic.INVESTMENTS)
    rows = read_csv(message)
    assert list(rows[0]) == HEADERS["ru"]
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale("ru"):
        assert_parses_back(rows, facts, "ru")
    assert {(row["Тема"], row["topic"]) for row in rows} == {("Инвестиции", "investments")}
    qarmet = next(row for row in rows if row["Название"] == "Qarmet" and "2024" in row["Период"])
    assert qarmet["Значение"] == "572900000000"
    assert (qarmet["entity_key"], qarmet["period_key"], qarmet["status"]) == (
        "qarmet",
        "2024",
        "actual",
    )
    assert plain(qarmet["Как в ответе бота"]) == "572,9 млрд ₸ в 2024 г."
    assert qarmet["Опубликовано (ISO)"] == "2025-08-01/2025-09-30"
    assert qarmet["date_precision"] == "estimated"
    assert plain(qarmet["Дата публикации"]) == "дата не указана (≈ август – сентябрь 2025 г.)"
    caption = assert_caption(message)
    assert caption == f"📄 Инвестиции\n{len(facts)} фактов · 4 источника"


async def test_export_everything_in_kazakh(driver: BotDriver) -> None:
    user = driver.new_user("Айгерім", language_code="kk")
    turn = await driver.send("/export", user=user)
    message = turn.reply
    rows = read_csv(message)
    saran = [row for row in rows if row["Атауы"] == "«Саран» индустриялық аймағы"]
    assert saran and all(row["entity_key"] == "iz_saran" for row in saran)
    assert {row["Тақырып"] for row in saran} == {"Экономикалық аймақтар"}
    assert assert_caption(message).startswith("📄 Барлық деректер\n")


async def test_export_by_a_localised_topic_name(driver: BotDriver) -> None:
    turn = await driver.send("/export зоны")
    assert turn.reply.document is not None
    assert turn.reply.document.file_name == "karaganda-facts-zones.csv"
    assert {row["Тема"] for row in read_csv(turn.reply)} == {"Экономические зоны"}


async def test_export_of_an_unknown_topic(driver: BotDriver) -> None:
    turn = await driver.send("/export погода & <b>")
    assert assert_valid(turn.reply) == "Я не знаю темы «погода & <b>»."


class TestEmptyStore:
    @pytest.fixture
    async def bot_session_factory(
        self, session_factory: async_sessionmaker[AsyncSession]
    ) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        yield session_factory

    async def test_nothing_to_export(self, driver: BotDriver) -> None:
        turn = await driver.send("/export")
        assert assert_valid(turn.reply) == "Выгружать пока нечего: в базе ещё нет цифр."
