"""/search through the dispatcher: pages with ◀ ▶ that keep the query in their buttons
(or a key to it, when it is too long), even page sizes, and the note when a misspelt
name was corrected, in both languages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.render.keyboards import CALLBACK_LIMIT
from bot.render.search import SEARCH_PAGE_SIZE
from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver
from tools.emulator import StoredMessage


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The handlers see the store the real pipeline built from the seed documents."""
    yield seeded_session_factory


def arrows(message: StoredMessage) -> list[str]:
    return [b.text for b in message.flat_buttons if b.text in {"◀", "▶"}]


def facts_on(text: str) -> int:
    return text.count("Источник: ") + text.count("Дереккөз: ")


@pytest.mark.parametrize(
    "query",
    [
        "/search Карагандинская область",
        # Too long for a button's 64 bytes: the button carries a key to it.
        "/search Карагандинская область (Қарағанды облысы), Карагандинский регион",
    ],
)
async def test_search_results_page_in_place(driver: BotDriver, query: str) -> None:
    first = await driver.send(query)
    message = first.reply
    page_one = assert_valid(message)
    assert "результаты 1–5" in page_one.splitlines()[0]
    assert facts_on(page_one) == SEARCH_PAGE_SIZE
    assert arrows(message) == ["▶"]
    assert all(len(data.encode()) <= CALLBACK_LIMIT for data in message.callback_data)
    forward = await driver.press(message, text="▶")
    assert forward.calls[-2].method == "editMessageText"
    page_two = assert_valid(forward.reply)
    assert forward.reply.message_id == message.message_id
    assert "результаты 6–10" in page_two.splitlines()[0]
    assert facts_on(page_two) == SEARCH_PAGE_SIZE
    assert arrows(forward.reply) == ["◀", "▶"]
    back = await driver.press(forward.reply, text="◀")
    assert assert_valid(back.reply) == page_one


async def test_the_last_page_has_no_forward_arrow(driver: BotDriver) -> None:
    message = (await driver.send("/search Qarmet")).reply
    pages = 1
    while "▶" in arrows(message):
        message = (await driver.press(message, text="▶")).reply
        pages += 1
        assert facts_on(assert_valid(message)) >= 1
    assert pages > 1
    assert arrows(message) == ["◀"]


@pytest.mark.parametrize(
    ("language", "note"),
    [("ru", "Показаны результаты для «Темиртау»"),
     ("kk", "«Темиртау» бойынша нәтижелер көрсетілді")],
)  # fmt: skip
async def test_a_corrected_name_is_said(driver: BotDriver, language: str, note: str) -> None:
    turn = await driver.send("/search Темиртаю", user=driver.new_user(language_code=language))
    text = assert_valid(turn.reply)
    assert note in text
    assert "Qarmet" in text


async def test_kazakh_words_find_russian_facts(driver: BotDriver) -> None:
    turn = await driver.send("жұмыссыздық", user=driver.new_user(language_code="kk"))
    text = assert_valid(turn.reply)
    assert "безработицы" in text


@pytest.mark.parametrize(
    ("query", "note"),
    [("/subject Qarmet", None), ("/subject Кормет", "Показаны результаты для «Кармет»")],
)
async def test_subject_opens_its_card(driver: BotDriver, query: str, note: str | None) -> None:
    text = assert_valid((await driver.send(query)).reply)
    assert ("Показаны результаты" in text) is (note is not None)
    if note:
        assert text.startswith(note)
    assert "Qarmet" in text
    assert "1,6 трлн ₸" in text


async def test_subject_without_a_name_asks_for_one(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/subject")).reply)
    assert text.startswith("Отправьте /subject и название")


async def test_search_results_open_the_card_of_their_subject(driver: BotDriver) -> None:
    message = (await driver.send("/search Qarmet")).reply
    assert "📌 Qarmet" in [b.text for b in message.flat_buttons]
    card = await driver.press(message, text="📌 Qarmet")
    text = assert_valid(card.sent[0])
    assert "Qarmet" in text.splitlines()[0]


@pytest.mark.parametrize(
    ("query", "shown", "left_out"),
    [("/subject Qarmet 2024", "572,9 млрд ₸", "1,6 трлн ₸"),
     ("/subject Qarmet план", "1,6 трлн ₸", "572,9 млрд ₸")],
)  # fmt: skip
async def test_a_card_filtered_by_year_or_plan(
    driver: BotDriver, query: str, shown: str, left_out: str
) -> None:
    text = assert_valid((await driver.send(query)).reply)
    assert "Qarmet" in text.splitlines()[0]
    assert shown in text
    assert left_out not in text
