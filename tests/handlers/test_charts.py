"""/chart, the 📊 button and the timeline charts under subject cards, over the seed store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aiogram import Dispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.charts.draw import render
from bot.features.charts.service import ChartService
from bot.features.charts.spec import CAPTION_LIMIT, ChartSpec
from bot.render.html import html_problems, telegram_length
from tests.factories import store_documents, timeline_documents
from tests.handlers.answers import assert_valid, plain
from tests.handlers.harness import BotDriver
from tools.emulator.world import StoredMessage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class CountingRenderer:
    """The real renderer, counting how often it draws."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, chart: ChartSpec) -> bytes:
        self.calls += 1
        return render(chart)


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


@pytest.fixture
def renderer() -> CountingRenderer:
    return CountingRenderer()


@pytest.fixture
def dispatcher(dispatcher: Dispatcher, renderer: CountingRenderer) -> Iterator[Dispatcher]:
    """A fresh chart cache per test: file ids belong to one emulator."""
    dispatcher.workflow_data["charts"] = ChartService(renderer)
    yield dispatcher


def assert_chart(message: StoredMessage) -> str:
    """The message is a real PNG photo of sensible size with a valid caption; returns
    the caption's plain text."""
    assert message.photo is not None
    content = message.photo.content
    assert content[:8] == PNG_SIGNATURE
    width, height = int.from_bytes(content[16:20]), int.from_bytes(content[20:24])
    assert width == 1200
    assert 400 <= height <= 2400
    assert 10_000 < len(content) < 10_000_000
    html = message.html or ""
    assert not html_problems(html)
    assert telegram_length(html) <= CAPTION_LIMIT
    return plain(message.content)


@pytest.mark.parametrize(
    ("language", "topic", "title", "sources"),
    [
        ("ru", "investments", "📊 Инвестиции по объектам", "Источники: Zakon.kz"),
        ("kk", "investments", "📊 Нысандар бойынша инвестициялар", "Дереккөздер: Zakon.kz"),
        ("ru", "cargo", "📊 Грузы: сейчас и цель", "Источник: Zakon.kz, 11 сентября 2025 г."),
        ("kk", "cargo", "📊 Жүк: қазір және мақсат", "Дереккөз: Zakon.kz, 2025 ж. 11 қыркүйек"),
        ("ru", "zones", "📊 Сравнение экономических зон", "Источники: BAQ.kz"),
        ("kk", "zones", "📊 Экономикалық аймақтарды салыстыру", "Дереккөздер: BAQ.kz"),
    ],
)
async def test_chart_command_sends_a_photo(
    driver: BotDriver, language: str, topic: str, title: str, sources: str
) -> None:
    user = driver.new_user("Айгерім", language_code=language)
    turn = await driver.send(f"/chart {topic}", user=user)
    assert turn.calls[-1].method == "sendPhoto"
    caption = assert_chart(turn.reply)
    heading, listed = caption.split("\n")
    assert heading == title
    assert listed.startswith(sources)


async def test_topic_names_in_either_language(driver: BotDriver) -> None:
    for words in ("Инвестиции", "инвест", "инвестициялар"):
        turn = await driver.send(f"/chart {words}")
        assert assert_chart(turn.reply).startswith("📊 Инвестиции по объектам")


async def test_the_chart_button_under_a_topic(driver: BotDriver) -> None:
    topic = await driver.send("/zones")
    assert [b.text for b in topic.reply.flat_buttons][-1] == "📊 График"
    press = await driver.press(topic.reply, text="📊 График")
    assert press.callback_answer is not None
    assert press.calls[-1].method == "sendPhoto"
    assert assert_chart(press.reply).startswith("📊 Сравнение экономических зон")
    kk = driver.new_user("Айгерім", language_code="kk")
    topic = await driver.send("/cargo", user=kk)
    press = await driver.press(topic.reply, text="📊 Диаграмма", user=kk)
    assert assert_chart(press.reply).startswith("📊 Жүк: қазір және мақсат")


async def test_topics_without_a_chart_have_no_button(driver: BotDriver) -> None:
    topic = await driver.send("/jobs")
    assert "📊 График" not in [b.text for b in topic.reply.flat_buttons]


async def test_a_repeat_neither_draws_nor_uploads_again(
    driver: BotDriver, renderer: CountingRenderer
) -> None:
    first = await driver.send("/chart cargo")
    assert renderer.calls == 1
    assert first.calls[-1].files  # the PNG was uploaded
    again = await driver.send("/chart cargo")
    assert renderer.calls == 1
    request = again.calls[-1]
    assert request.method == "sendPhoto" and not request.files
    assert first.reply.photo is not None
    assert request.params["photo"] == first.reply.photo.file_id
    assert assert_chart(again.reply) == assert_chart(first.reply)
    # Another language is another picture.
    await driver.send("/chart cargo", user=driver.new_user("Айгерім", language_code="kk"))
    assert renderer.calls == 2


async def test_new_facts_draw_a_new_chart(
    driver: BotDriver,
    renderer: CountingRenderer,
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await driver.send("/chart zones")
    await driver.send("/chart zones")
    assert renderer.calls == 1
    await store_documents(seeded_session_factory, timeline_documents())
    turn = await driver.send("/chart zones")
    assert renderer.calls == 2
    assert turn.calls[-1].files  # a new picture, uploaded
    assert "inkaraganda.kz" in assert_chart(turn.reply)


async def test_chart_without_a_topic_offers_the_charts(driver: BotDriver) -> None:
    turn = await driver.send("/chart")
    assert assert_valid(turn.reply) == "Какой график построить?"
    assert [b.text for b in turn.reply.flat_buttons] == [
        "📊 💼 Инвестиции",
        "📊 🏭 Экономические зоны",
        "📊 ✈️ Грузы и логистика",
    ]
    press = await driver.press(turn.reply, text="📊 ✈️ Грузы и логистика")
    assert assert_chart(press.reply).startswith("📊 Грузы: сейчас и цель")


async def test_unknown_topics_and_topics_without_a_chart(driver: BotDriver) -> None:
    turn = await driver.send("/chart production")
    assert assert_valid(turn.reply) == "Для темы «Производство» графика нет."
    assert len(turn.reply.flat_buttons) == 3
    turn = await driver.send("/chart <погода>")
    assert assert_valid(turn.reply) == "Я не знаю темы «<погода>»."
    kk = driver.new_user("Айгерім", language_code="kk")
    turn = await driver.send("/chart өндіріс", user=kk)
    assert assert_valid(turn.reply) == "«Өндіріс» тақырыбына график жоқ."


async def test_a_stale_chart_button(driver: BotDriver) -> None:
    turn = await driver.send("/chart")
    turn.reply.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": "chart:production"}]]
    }
    press = await driver.press(turn.reply, "chart:production")
    assert not press.sent
    assert press.callback_answer.text == "Эта кнопка устарела. Отправьте команду ещё раз."


class TestEmptyStore:
    @pytest.fixture
    async def bot_session_factory(
        self, session_factory: async_sessionmaker[AsyncSession]
    ) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        yield session_factory

    async def test_nothing_to_draw(self, driver: BotDriver, renderer: CountingRenderer) -> None:
        turn = await driver.send("/chart investments")
        assert assert_valid(turn.reply) == "Для этого графика пока мало цифр."
        assert renderer.calls == 0


class TestCardTimeline:
    """A zone whose participants three documents give at different dates."""

    @pytest.fixture
    async def bot_session_factory(
        self, session_factory: async_sessionmaker[AsyncSession]
    ) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        await store_documents(session_factory, timeline_documents())
        yield session_factory

    @pytest.mark.parametrize(
        ("language", "title", "earlier"),
        [
            ("ru", "📊 Индустриальная зона «Сарань» · Участники", "Ранее:"),
            ("kk", "📊 «Саран» индустриялық аймағы · Қатысушылар", "Бұрын:"),
        ],
    )
    async def test_the_card_shows_the_timeline_and_its_chart(
        self, driver: BotDriver, language: str, title: str, earlier: str
    ) -> None:
        user = driver.new_user("Айгерім", language_code=language)
        zones = await driver.send("/zones", user=user)
        saran = next(b for b in zones.reply.flat_buttons if b.value == "card:zones:iz_saran")
        card = await driver.press(zones.reply, saran.value, user=user)
        text_message, photo = card.sent
        text = assert_valid(text_message)
        # Newest first, each with its date and source.
        lines = [line for line in text.splitlines() if "inkaraganda.kz" in line]
        assert len(lines) == 3
        assert earlier in text
        assert text.index("18 ") < text.index("15 ") < text.index("12 ")
        caption = assert_chart(photo)
        assert caption.splitlines()[0] == title
        assert "inkaraganda.kz" in caption

    async def test_reopening_a_card_reuses_its_chart(
        self, driver: BotDriver, renderer: CountingRenderer
    ) -> None:
        zones = await driver.send("/zones")
        card = await driver.press(zones.reply, "card:zones:iz_saran")
        assert len(card.sent) == 2
        again = await driver.press(zones.reply, "card:zones:iz_saran")
        assert len(again.sent) == 2
        assert renderer.calls == 1  # the second card reuses the drawn chart
