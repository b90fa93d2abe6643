"""Browsing by subject and period over the seed store, in both languages: topic answers
and cards narrowed to a year or to plans (buttons and command arguments), cards grouped
by year, cards of towns and of the region, and subject cards from inline mode with the
deep link that opens them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Topic
from bot.render.keyboards import (
    CALLBACK_LIMIT,
    MAX_KEY,
    MAX_PAGE,
    MAX_YEAR,
    CardPage,
    FactPage,
    Shown,
    card_key_of,
    card_payload,
)
from tests.factories import Document, make_fact, make_meta, store_documents
from tests.handlers.answers import assert_valid, plain
from tests.handlers.harness import BotDriver
from tools.emulator import StoredMessage, User

STALE = "Эта кнопка устарела. Отправьте команду ещё раз."
BOT_LINK = "https://t.me/karaganda_facts_bot?start="


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


def kazakh(driver: BotDriver) -> User:
    return driver.new_user("Айгерім", language_code="kk")


def buttons(message: StoredMessage) -> list[str]:
    return [b.text for b in message.flat_buttons]


# ---- callback data and deep links ------------------------------------------------


def test_the_widest_filter_buttons_fit_in_64_bytes() -> None:
    longest_topic = max(Topic, key=lambda topic: len(topic.value.encode()))
    longest_shown = max(Shown, key=lambda shown: len(shown.value.encode()))
    widest = [
        FactPage(topic=longest_topic, page=MAX_PAGE, year=MAX_YEAR, shown=longest_shown),
        CardPage(
            topic=longest_topic,
            key="k" * MAX_KEY,
            page=MAX_PAGE,
            year=MAX_YEAR,
            shown=longest_shown,
        ),
    ]
    for data in widest:
        packed = data.pack()
        assert len(packed.encode("utf-8")) <= CALLBACK_LIMIT, packed
        assert type(data).unpack(packed) == data


@pytest.mark.parametrize("key", ["qarmet", "k" * MAX_KEY, "~0123456789ab"])
def test_a_card_payload_is_safe_and_reads_back(key: str) -> None:
    payload = card_payload(key)
    assert len(payload) <= 64
    assert all(c.isascii() and (c.isalnum() or c in "_-") for c in payload)
    assert card_key_of(payload) == key


@pytest.mark.parametrize(
    "payload",
    ["", "card_", "card-", "card_Qarmet", "card-0123", "card-0123456789abc", "card_a-b",
     "card_" + "k" * 33, "xcard_qarmet", "card_qarmet ", "investments", "card-~0123456789ab"],
)  # fmt: skip
def test_a_payload_we_never_gave_out_names_no_card(payload: str) -> None:
    assert card_key_of(payload) is None


# ---- topic answers narrowed -------------------------------------------------------


async def test_a_year_after_the_command_narrows_the_topic(driver: BotDriver) -> None:
    turn = await driver.send("/investments 2024")
    text = assert_valid(turn.reply)
    lines = text.splitlines()
    assert lines[0] == "💼 Инвестиции · Карагандинская область"
    assert lines[1] == "Отбор: 2024"
    assert "572,9 млрд ₸ в 2024 г. (факт)" in text
    assert "644,7 млрд ₸" not in text and "до 2030" not in text
    names = buttons(turn.reply)
    assert "✓ 2024" in names and "Все цифры" in names


async def test_plans_after_the_command(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/investments план")).reply)
    assert text.splitlines()[1] == "Отбор: план"
    assert "(план)" in text
    assert "(факт)" not in text


async def test_kazakh_plans_of_a_year(driver: BotDriver) -> None:
    turn = await driver.send("/jobs жоспар 2025", user=kazakh(driver))
    text = assert_valid(turn.reply)
    assert text.splitlines()[0] == "👷 Жұмыс орындары · Қарағанды облысы"
    assert text.splitlines()[1] == "Сүзгі: 2025 · жоспар"
    assert "2 500 жұмыс орны 2025 жылдың соңына дейін (жоспар)" in text
    assert "20 000" not in text
    assert {"✓ 2025", "✓ Жоспар", "Барлық деректер"} <= set(buttons(turn.reply))


@pytest.mark.parametrize(
    ("args", "echoed"),
    [("Qarmet", "Qarmet"), ("<b>Qarmet</b> & 2024", "<b>Qarmet</b> & 2024"),
     ("2024 2025", "2024 2025"), ("ы" * 300, "ы" * 63 + "…")],
)  # fmt: skip
async def test_words_after_the_command_it_cannot_use(
    driver: BotDriver, args: str, echoed: str
) -> None:
    text = assert_valid((await driver.send(f"/investments {args}")).reply)
    assert text.startswith("После команды можно указать один год, «план» или «факт»")
    assert "/investments план" in text
    assert f"Не понял: «{echoed}»." in text


async def test_words_it_cannot_use_in_kazakh(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/cargo бірдеңе", user=kazakh(driver))).reply)
    assert "/cargo жоспар" in text
    assert "Түсінбедім: «бірдеңе»." in text


async def test_a_year_without_figures(driver: BotDriver) -> None:
    turn = await driver.send("/investments 1999")
    text = assert_valid(turn.reply)
    assert text.splitlines()[1] == "Отбор: 1999"
    assert "Цифр с таким отбором нет." in text
    back = await driver.press(turn.reply, text="Все цифры")
    assert "Отбор" not in assert_valid(back.reply)


async def test_buttons_narrow_the_topic_in_place_and_back(driver: BotDriver) -> None:
    first = await driver.send("/investments")
    message = first.reply
    assert "Отбор" not in assert_valid(message)
    years = [name for name in buttons(message) if name.isdigit()]
    assert years == sorted(years, reverse=True) and 1 <= len(years) <= 4
    assert {"Факт", "План"} <= set(buttons(message))
    plans = await driver.press(message, text="План")
    assert plans.reply.message_id == message.message_id
    text = assert_valid(plans.reply)
    assert text.splitlines()[1] == "Отбор: план"
    assert "(факт)" not in text
    year = await driver.press(plans.reply, text="2026")
    text = assert_valid(year.reply)
    assert text.splitlines()[1] == "Отбор: 2026 · план"
    assert "15 проектов в 2026 г. (план)" in text
    # The chosen one pressed again is let go; «all» lets everything go.
    again = await driver.press(year.reply, text="✓ 2026")
    assert assert_valid(again.reply).splitlines()[1] == "Отбор: план"
    every = await driver.press(again.reply, text="Все цифры")
    assert plain(every.reply.content) == plain(message.content)


async def test_pages_keep_the_filter(driver: BotDriver) -> None:
    first = await driver.send("/production факт")
    message = first.reply
    assert "▶" in buttons(message)
    forward = await driver.press(message, text="▶")
    text = assert_valid(forward.reply)
    assert text.splitlines()[1] == "Отбор: факт"
    assert "(план)" not in text
    assert "Страница 2 из" in text
    arrows = [b.callback_data or "" for b in forward.reply.flat_buttons if b.text in "◀▶"]
    assert arrows and all(data.endswith(":0:f") for data in arrows)


@pytest.mark.parametrize(
    "data",
    [
        "page:investments:0:1995:a",  # a year no figure names
        "page:investments:0:1500:a",  # a year no query names
        "page:investments:0:2024:x",  # no such status
        "page:investments:0:2024:plan",
        "page:investments:40:2024:a",  # past the last page
        "page:investments:0:2101:a",
        "page:investments:0",  # an old button's shape
        "cpage:investments:qarmet:0:2019:a",
        "cpage:investments:qarmet:7:2024:a",
        "cpage:investments:qarmet:0:2024:z",
        "cpage:investments:nothing_here:0:0:a",
    ],
)
async def test_forged_filter_buttons_are_refused(
    driver: BotDriver, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    message = (await driver.send("/investments")).reply
    before = message.content
    with caplog.at_level(logging.WARNING):
        turn = await driver.feed(driver.emulator.press_forged(message, data))
    assert turn.callback_answer.text == STALE
    assert not turn.sent and not turn.edited
    assert any(record.levelno == logging.WARNING for record in caplog.records)
    assert message.content == before


# ---- cards: by year, narrowed ----------------------------------------------------------


async def test_a_card_groups_its_figures_by_year(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/subject Qarmet")).reply)
    assert text.index("📅 2028 год") < text.index("📅 Без указания периода")
    plan_2028 = text.index("Инвестиции: 1,6 трлн ₸ до 2028 г. (план)")
    assert text.index("📅 2028 год") < plan_2028 < text.index("📅 Без указания периода")
    kk = assert_valid((await driver.send("/subject Qarmet", user=kazakh(driver))).reply)
    assert "📅 2028 жыл" in kk and "📅 Кезеңі көрсетілмеген" in kk


async def test_a_page_that_starts_within_a_year_repeats_its_heading(driver: BotDriver) -> None:
    first = await driver.send("/subject Карагандинская область")
    text = assert_valid(first.reply)
    headings = [line for line in text.splitlines() if line.startswith("📅")]
    years = [int(line.split()[1]) for line in headings if line.split()[1].isdigit()]
    assert years == sorted(years, reverse=True)
    forward = await driver.press(first.reply, text="▶")
    page = assert_valid(forward.reply).split("\n\n", 1)[1]
    assert page.startswith("📅 ")


async def test_card_buttons_narrow_it(driver: BotDriver) -> None:
    card = (await driver.send("/subject Qarmet")).reply
    assert {"2028", "2024", "Факт", "План"} <= set(buttons(card))
    year = await driver.press(card, text="2024")
    text = assert_valid(year.reply)
    assert year.reply.message_id == card.message_id
    assert "Отбор: 2024" in text
    assert "572,9 млрд ₸ в 2024 г. (факт)" in text
    assert "1,6 трлн ₸" not in text
    plans = await driver.press(year.reply, text="Все цифры")
    plans = await driver.press(plans.reply, text="План")
    text = assert_valid(plans.reply)
    assert "Отбор: план" in text and "(факт)" not in text
    assert "💼 Инвестиции" in buttons(plans.reply)  # the way back to the topic stays


async def test_a_card_narrowed_in_kazakh(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/subject Qarmet жоспар", user=kazakh(driver))).reply)
    assert "Сүзгі: жоспар" in text
    assert "(нақты)" not in text


# ---- cards of places ---------------------------------------------------------------


@pytest.mark.parametrize(("language", "query"), [("ru", "Теміртау"), ("kk", "Темиртау")])
async def test_a_town_card_shows_what_is_located_there(
    driver: BotDriver, language: str, query: str
) -> None:
    user = driver.new_user(language_code=language)
    text = assert_valid((await driver.send(f"/subject {query}", user=user)).reply)
    town = {"ru": "Темиртау", "kk": "Теміртау"}[language]
    park = {"ru": "Промышленный парк в Темиртау", "kk": "Теміртаудағы өнеркәсіптік парк"}
    assert text.splitlines()[0].endswith(town)
    assert "Qarmet" in text and park[language] in text
    assert "1,6 трлн ₸" in text and "15 000 га" in text
    assert "Сарыарка" not in text and "Сарыарқа" not in text


async def test_a_misspelt_town(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/subject Темиртаю")).reply)
    assert text.startswith("Показаны результаты для «Темиртау»")
    assert text.splitlines()[2].endswith("Темиртау")


async def test_a_town_without_figures_says_so(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/subject Шахтинск")).reply)
    assert text.splitlines()[0].endswith("Шахтинск")
    assert "Цифр об этом месте и о том, что в нём находится, пока нет." in text
    kk = assert_valid((await driver.send("/subject Шахтинск", user=kazakh(driver))).reply)
    assert "Бұл жер және ондағы нысандар туралы әзірге деректер жоқ." in kk


@pytest.mark.parametrize(
    ("language", "query", "name"),
    [("ru", "Карагандинская область", "Карагандинская область"),
     ("kk", "Қарағанды облысы", "Қарағанды облысы"),
     ("kk", "облыс", "Қарағанды облысы")],
)  # fmt: skip
async def test_the_region_card_shows_its_own_figures(
    driver: BotDriver, language: str, query: str, name: str
) -> None:
    user = driver.new_user(language_code=language)
    text = assert_valid((await driver.send(f"/subject {query}", user=user)).reply)
    assert text.splitlines()[0].endswith(name)
    assert "Qarmet" not in text
    assert "120" in text


async def test_a_town_card_opens_from_a_topic_button_of_its_zone(driver: BotDriver) -> None:
    text = assert_valid((await driver.send("/subject Сарань")).reply)
    assert text.splitlines()[0].endswith("Сарань")
    assert "Индустриальная зона «Сарань»" in text
    assert "472 млрд ₸" in text


# ---- inline: the card first, deep links ---------------------------------------------


async def test_an_inline_name_offers_the_card_first(driver: BotDriver) -> None:
    answer = (await driver.inline("Qarmet")).inline_answer
    card, *facts = answer.results
    assert plain(card["title"]) == "Карточка: Qarmet"
    text = card["input_message_content"]["message_text"]
    assert text.startswith("💼 <b>Qarmet</b>")
    assert "📅 <b>2028 год</b>" in text
    assert len(answer.results) <= 50
    assert facts and all(result["id"].startswith("fact-") for result in facts)
    for result in answer.results:
        [[button]] = result["reply_markup"]["inline_keyboard"]
        assert button["url"] == BOT_LINK + "card_qarmet"
    kk = (await driver.inline("Қармет", user=kazakh(driver))).inline_answer
    assert plain(kk.results[0]["title"]) == "Анықтама: Qarmet"


async def test_an_inline_town_offers_its_card(driver: BotDriver) -> None:
    answer = (await driver.inline("Теміртау", user=kazakh(driver))).inline_answer
    assert plain(answer.results[0]["title"]) == "Анықтама: Теміртау"
    links = {result["reply_markup"]["inline_keyboard"][0][0]["url"] for result in answer.results}
    assert BOT_LINK + "card_temirtau" in links
    assert BOT_LINK + "card_qarmet" in links  # a fact's button opens its own subject


async def test_words_that_name_no_subject_get_no_card(driver: BotDriver) -> None:
    answer = (await driver.inline("инвестиции")).inline_answer
    assert all(result["id"].startswith("fact-") for result in answer.results)


async def test_the_deep_link_opens_the_card(driver: BotDriver) -> None:
    answer = (await driver.inline("Qarmet")).inline_answer
    url = answer.results[0]["reply_markup"]["inline_keyboard"][0][0]["url"]
    turn = await driver.send("/start " + url.removeprefix(BOT_LINK))
    text = assert_valid(turn.reply)
    assert text.splitlines()[0] == "💼 Qarmet"
    assert "📅 2028 год" in text
    assert "2024" in buttons(turn.reply)
    kk = await driver.send("/start card_temirtau", user=kazakh(driver))
    assert assert_valid(kk.reply).splitlines()[0].endswith("Теміртау")


async def test_the_deep_link_of_a_subject_the_gazetteer_does_not_know(
    driver: BotDriver,
) -> None:
    name = "Ветроэлектростанция мощностью 150 МВт"
    answer = (await driver.inline(name)).inline_answer
    assert plain(answer.results[0]["title"]) == f"Карточка: {name}"
    url = answer.results[0]["reply_markup"]["inline_keyboard"][0][0]["url"]
    payload = url.removeprefix(BOT_LINK)
    assert payload.startswith("card-")
    text = assert_valid((await driver.send(f"/start {payload}")).reply)
    assert name in text.splitlines()[0]
    assert "150 МВт" in text


@pytest.mark.parametrize(
    "payload", ["card_no_such_subject", "card-0123456789ab", "card_", "card-~", "card_Qarmet"]
)
async def test_a_forged_deep_link_gets_the_greeting(driver: BotDriver, payload: str) -> None:
    turn = await driver.send(f"/start {payload}")
    text = assert_valid(turn.reply)
    assert text.startswith("Здравствуйте") or text.startswith("Привет")
    assert "Инвестиции" in " ".join(buttons(turn.reply))


async def test_inline_pages_with_the_card_follow_next_offset(
    driver: BotDriver, bot_session_factory: async_sessionmaker[AsyncSession]
) -> None:
    facts = [
        make_fact(
            subject="Промышленный парк в Темиртау",
            entity_key="temirtau_industrial_park",
            metric="participants",
            value=n + 1,
            unit="participants",
            quote=f"В промышленном парке в Темиртау участник номер {n + 1}.",
        )
        for n in range(120)
    ]
    await store_documents(bot_session_factory, [Document(make_meta("park.txt"), facts)])
    seen: list[str] = []
    offset = ""
    sizes = []
    while True:
        answer = (await driver.inline("Промышленный парк в Темиртау", offset=offset)).inline_answer
        sizes.append(len(answer.results))
        seen.extend(answer.ids)
        offset = answer.next_offset or ""
        if not offset:
            break
    # The card takes the first page's first place; no fact is lost or shown twice.
    assert sizes[:2] == [50, 50] and sizes[-1] < 50
    assert seen[0] == "card-temirtau_industrial_park"
    assert len(seen) == len(set(seen))
    assert sum(result_id.startswith("fact-") for result_id in seen) > 121
