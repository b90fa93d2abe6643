"""Topic commands over the store built from the seed documents, in both languages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.handlers.answers import assert_valid, plain
from tests.handlers.harness import BotDriver
from tools.emulator import StoredMessage, User

TOPICS = ("investments", "zones", "cargo", "production", "jobs")
HEADERS = {
    "ru": {
        "investments": "💼 Инвестиции · Карагандинская область",
        "zones": "🏭 Экономические зоны · Карагандинская область",
        "cargo": "✈️ Грузы и логистика · Карагандинская область",
        "production": "⚙️ Производство · Карагандинская область",
        "jobs": "👷 Рабочие места · Карагандинская область",
    },
    "kk": {
        "investments": "💼 Инвестициялар · Қарағанды облысы",
        "zones": "🏭 Экономикалық аймақтар · Қарағанды облысы",
        "cargo": "✈️ Жүк және логистика · Қарағанды облысы",
        "production": "⚙️ Өндіріс · Қарағанды облысы",
        "jobs": "👷 Жұмыс орындары · Қарағанды облысы",
    },
}


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The handlers see the store the real pipeline built from the five seed documents."""
    yield seeded_session_factory


def arrows(message: StoredMessage) -> list[str]:
    return [b.text for b in message.flat_buttons if b.text in {"◀", "▶"}]


def user_for(driver: BotDriver, language: str) -> User:
    return driver.new_user("Айгерім", language_code=language)


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("topic", TOPICS)
async def test_every_topic_answers_with_valid_pages(
    driver: BotDriver, language: str, topic: str
) -> None:
    turn = await driver.send(f"/{topic}", user=user_for(driver, language))
    text = assert_valid(turn.reply)
    assert text.splitlines()[0] == HEADERS[language][topic]
    assert turn.calls[-1].method == "sendMessage"


async def test_kazakh_investments_show_qarmet_in_tenge(driver: BotDriver) -> None:
    turn = await driver.send("/investments", user=user_for(driver, "kk"))
    text = assert_valid(turn.reply)
    assert "Инвестициялар: 1,6 трлн ₸" in text
    assert "1,6 трлн ₸ 2028 жылға дейін (жоспар)" in text
    assert "572,9 млрд ₸ 2024 ж. (нақты)" in text
    assert "644,7 млрд ₸ 2025 жылғы 8 айда (нақты)" in text
    assert "күні көрсетілмеген (≈ 2025 ж. тамыз – қыркүйек)" in text
    # Quotes stay in the language of the source.
    assert "1,6 трлн тенге" in text


async def test_russian_investments_keep_older_figures_as_a_timeline(driver: BotDriver) -> None:
    turn = await driver.send("/investments")
    text = assert_valid(turn.reply)
    assert "Qarmet" in text
    assert "Инвестиции: 1,6 трлн ₸ (план)" in text
    assert "Ранее:" in text
    # The same sum by 2028 is a figure of its own period, with its part under it.
    assert "Инвестиции: 1,6 трлн ₸ до 2028 г. (план)\n  ↳ из них Инвестиции: 572,9 млрд ₸" in text
    assert "25 проектов в 2025 г. (факт)" in text
    assert "Источник: Zakon.kz, 11 сентября 2025 г." in text
    html = turn.reply.html or ""
    assert '<a href="https://www.zakon.kz/' in html
    assert "<blockquote expandable>" in html


async def test_jobs_and_production(driver: BotDriver) -> None:
    jobs = assert_valid((await driver.send("/jobs")).reply)
    assert "20 000 рабочих мест (план)" in jobs
    production = assert_valid((await driver.send("/production")).reply)
    assert "3 трлн ₸ в 2024 г. (факт)" in production


async def test_long_topic_pages_edit_in_place(driver: BotDriver) -> None:
    first = await driver.send("/production", user=user_for(driver, "kk"))
    message = first.reply
    page_one = assert_valid(message)
    assert "1/" not in page_one.splitlines()[0]
    assert arrows(message) == ["▶"]
    forward = await driver.press(message, text="▶")
    assert forward.calls[-2].method == "editMessageText"
    assert forward.callback_answer is not None
    page_two = assert_valid(forward.reply)
    assert forward.reply.message_id == message.message_id
    assert page_two != page_one
    assert "беттің 2-беті" in page_two
    assert arrows(forward.reply) == ["◀"]
    back = await driver.press(forward.reply, text="◀")
    assert assert_valid(back.reply) == page_one


async def test_zones_offer_a_card_per_zone(driver: BotDriver) -> None:
    turn = await driver.send("/zones")
    message = turn.reply
    names = [b.text for b in message.flat_buttons]
    assert "СЭЗ «Сарыарка»" in names
    assert "Индустриальная зона «Сарань»" in names
    card = await driver.press(message, text="СЭЗ «Сарыарка»")
    assert card.callback_answer is not None
    text = assert_valid(card.reply)
    assert card.reply.message_id != message.message_id  # the list stays
    assert text.splitlines()[0] == "🏭 СЭЗ «Сарыарка»"
    assert "Участники: 24 участника (факт)" in text
    assert "211 млрд ₸" in text and "258 млрд ₸" in text
    assert "более 1 300 рабочих мест" in text
    back = await driver.press(card.reply, text="🏭 Экономические зоны")
    assert assert_valid(back.reply).startswith("🏭 Экономические зоны")


async def test_kazakh_cargo_card_for_the_airport(driver: BotDriver) -> None:
    user = user_for(driver, "kk")
    turn = await driver.send("/cargo", user=user)
    airport = "«Сарыарқа» әуежайы (CargoHUB Karaganda)"
    assert airport in [b.text for b in turn.reply.flat_buttons]
    card = await driver.press(turn.reply, text=airport, user=user)
    text = assert_valid(card.reply)
    assert airport in text.splitlines()[0]
    assert "200 000 т жылына 2030 жылға дейін (жоспар)" in text
    assert "15 000 т (нақты)" in text


async def test_deep_links_open_a_topic(driver: BotDriver) -> None:
    for language in ("ru", "kk"):
        for topic in TOPICS:
            turn = await driver.send(f"/start {topic}", user=user_for(driver, language))
            assert assert_valid(turn.reply).splitlines()[0] == HEADERS[language][topic]


async def test_a_stale_page_gets_a_polite_answer(driver: BotDriver) -> None:
    turn = await driver.send("/zones")
    message = turn.reply
    message.reply_markup = {
        "inline_keyboard": [
            [{"text": "▶", "callback_data": "page:zones:7"}],
            [{"text": "x", "callback_data": "card:zones:no_such_zone"}],
            [{"text": "y", "callback_data": "page:nonsense:1"}],
            [{"text": "z", "callback_data": "cardpage:cargo:airport_saryarka:-3"}],
            [{"text": "w", "callback_data": "garbage"}],
        ]
    }
    for data in message.callback_data:
        press = await driver.press(message, data)
        assert not press.edited and not press.sent
        assert press.callback_answer.text == "Эта кнопка устарела. Отправьте команду ещё раз."


async def test_pressing_the_page_already_shown_is_harmless(driver: BotDriver) -> None:
    turn = await driver.send("/production")
    message = turn.reply
    message.reply_markup = {
        "inline_keyboard": [[{"text": "1", "callback_data": "page:production:0"}]]
    }
    press = await driver.press(message, "page:production:0")
    assert press.callback_answer is not None
    assert plain(press.edited[0].content if press.edited else message.content) == plain(
        message.content
    )
