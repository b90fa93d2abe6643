"""/export: the facts as a CSV document that parses back to the same facts."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Fact, Topic
from bot.emulator.world import StoredMessage
from bot.render.html import html_problems, telegram_length
from bot.storage.repositories import FactRepository
from tests.handlers.answers import assert_valid, plain
from tests.handlers.harness import BotDriver

HEADERS = {
    "ru": [
        "ID", "Тема", "Объект (как в источнике)", "Название", "Показатель", "Значение",
        "Единица", "Период", "Статус", "Как в ответе бота", "Источник", "Ссылка",
        "Опубликовано (ISO)", "Дата публикации", "Цитата", "Файл документа",
    ],
    "kk": [
        "ID", "Тақырып", "Нысан (дереккөздегідей)", "Атауы", "Көрсеткіш", "Мәні",
        "Өлшем бірлігі", "Кезең", "Мәртебе", "Бот жауабындағыдай", "Дереккөз", "Сілтеме",
        "Жарияланды (ISO)", "Жарияланған күні", "Дәйексөз", "Құжат файлы",
    ],
}  # fmt: skip


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


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


def assert_caption(message: StoredMessage) -> str:
    html = message.html or ""
    assert not html_problems(html)
    assert telegram_length(html) <= 1024
    return plain(message.content)


async def test_export_parses_back_to_the_same_facts(
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
    assert sorted(int(row["ID"]) for row in rows) == sorted(facts)
    for row in rows:
        fact = facts[int(row["ID"])]
        # The value exactly as stored: no rounding, no grouping, no exponent.
        assert row["Значение"] == format(fact.value, "f")
        assert Decimal(row["Значение"]) == fact.value
        assert row["Единица"] == fact.unit
        assert row["Объект (как в источнике)"] == fact.subject
        assert row["Тема"] == "Инвестиции"
        assert row["Цитата"] == fact.quote
        assert row["Источник"] == fact.source.outlet
        assert row["Ссылка"] == (fact.source.url or "")
        assert row["Файл документа"] == fact.source.file_name
        published = fact.source.published.isoformat() if fact.source.published else ""
        assert row["Опубликовано (ISO)"].startswith(published)
        assert row["Статус"] in {"план", "факт"}
    qarmet = next(row for row in rows if row["Название"] == "Qarmet" and "2024" in row["Период"])
    assert qarmet["Значение"] == "572900000000"
    assert plain(qarmet["Как в ответе бота"]) == "572,9 млрд ₸ в 2024 г."
    assert qarmet["Опубликовано (ISO)"] == "2025-08-01/2025-09-30"
    assert plain(qarmet["Дата публикации"]) == "дата не указана (≈ август – сентябрь 2025 г.)"
    caption = assert_caption(message)
    assert caption == f"📄 Инвестиции\n{len(facts)} фактов · 4 источника"


async def test_export_everything_in_kazakh(
    driver: BotDriver, seeded_session_factory: async_sessionmaker[AsyncSession]
) -> None:
    user = driver.new_user("Айгерім", language_code="kk")
    turn = await driver.send("/export", user=user)
    message = turn.reply
    assert message.document is not None
    assert message.document.file_name == "karaganda-facts-all.csv"
    rows = read_csv(message)
    assert list(rows[0]) == HEADERS["kk"]
    facts = await stored_facts(seeded_session_factory)
    assert {int(row["ID"]) for row in rows} == set(facts)
    assert all(row["Мәні"] == format(facts[int(row["ID"])].value, "f") for row in rows)
    saran = [row for row in rows if row["Атауы"] == "«Саран» индустриялық аймағы"]
    assert saran and all(row["Тақырып"] == "Экономикалық аймақтар" for row in saran)
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
