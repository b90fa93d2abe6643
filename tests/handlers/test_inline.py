"""Inline mode through the emulator: articles, paging, the empty and the hopeless query,
hostile input, and the share button under topic answers."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.render.html import MESSAGE_LIMIT, html_problems, telegram_length, visible_text
from bot.render.inline import DESCRIPTION_LIMIT, PAGE_SIZE, START_PARAMETER, TITLE_LIMIT
from tests.factories import Document, make_fact, make_meta, store_documents
from tests.handlers.answers import assert_valid, plain
from tests.handlers.harness import BotDriver, Turn
from tools.emulator import MemberStatus


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


def message_text(result: dict[str, Any]) -> str:
    content = result["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert not html_problems(content["message_text"])
    return plain(visible_text(content["message_text"]))


def answer_params(turn: Turn) -> dict[str, Any]:
    [call] = [c for c in turn.calls if c.method == "answerInlineQuery"]
    assert call.ok
    return call.params


async def test_a_query_lists_facts_as_articles(driver: BotDriver) -> None:
    turn = await driver.inline("Сарани")
    answer = turn.inline_answer
    assert answer.is_personal
    assert answer.next_offset is None
    assert len(answer.results) > 1
    # The town's card first, then the figures about the zone located there, the newest
    # document's first: its jobs plan of December.
    assert plain(answer.results[0]["title"]) == "Карточка: Сарань"
    assert (
        plain(answer.results[1]["title"]) == "🏭 Индустриальная зона «Сарань» — 2 800 рабочих мест"
    )
    [first] = [result for result in answer.results if "472" in result["title"]]
    assert first["type"] == "article"
    assert plain(first["title"]) == "🏭 Индустриальная зона «Сарань» — 472 млрд ₸"
    assert first["description"] == "Инвестиции · дата не указана (≈ август – сентябрь 2025 г.)"
    text = message_text(first)
    assert text.startswith("🏭 Индустриальная зона «Сарань»\nИнвестиции: 472 млрд ₸ (факт)")
    assert "Источник: " in text
    assert "привлекла 472 млрд тенге инвестиций" in text
    assert all("Сарань" in result["title"] for result in answer.results)


async def test_the_article_in_kazakh(driver: BotDriver) -> None:
    user = driver.new_user("Айгерім", language_code="kk")
    answer = (await driver.inline("Саран", user=user)).inline_answer
    [first] = [result for result in answer.results if "472" in result["title"]]
    assert plain(first["title"]) == "🏭 «Саран» индустриялық аймағы — 472 млрд ₸"
    assert first["description"].startswith("Инвестициялар · күні көрсетілмеген")
    text = message_text(first)
    assert "Дереккөз: " in text
    # The quote stays in the language it was written in.
    assert "привлекла 472 млрд тенге инвестиций" in text


async def test_a_chosen_fact_is_posted_with_its_source(driver: BotDriver) -> None:
    answer = (await driver.inline("грузы аэропорт")).inline_answer
    group = driver.emulator.create_group("Newsroom", creator=driver.user)
    await driver.add_to_group(chat=group)
    posted, turn = await driver.choose_inline(answer, answer.ids[0], chat=group)
    text = assert_valid(posted)
    assert text.startswith("✈️ Аэропорт Сары-Арка (CargoHUB Karaganda)")
    assert "Источник: " in text
    assert posted.via_bot is not None
    assert not turn.sent


async def test_the_empty_query_lists_the_headline_of_every_topic(driver: BotDriver) -> None:
    answer = (await driver.inline("")).inline_answer
    assert 5 <= len(answer.results) <= 50
    emoji = {result["title"].split()[0] for result in answer.results}
    assert emoji == {"💼", "🏭", "✈️", "⚙️", "👷"}
    assert len(set(answer.ids)) == len(answer.ids)
    for result in answer.results:
        assert message_text(result)


@pytest.mark.parametrize("language", ["ru", "kk"])
async def test_nothing_found_offers_to_open_the_bot(driver: BotDriver, language: str) -> None:
    user = driver.new_user(language_code=language)
    turn = await driver.inline("бананы ананасы", user=user)
    [article] = turn.inline_answer.results
    title = {"ru": "Ничего не найдено", "kk": "Ештеңе табылмады"}[language]
    assert article["title"] == title
    assert "бананы ананасы" in message_text(article)
    button = answer_params(turn)["button"]
    assert button["start_parameter"] == START_PARAMETER
    assert button["text"] == {"ru": "Открыть бота", "kk": "Ботты ашу"}[language]
    # The button's deep link opens the bot with its greeting.
    start = await driver.send(f"/start {START_PARAMETER}", user=user)
    assert assert_valid(start.reply)


async def test_pages_follow_next_offset(
    driver: BotDriver, bot_session_factory: async_sessionmaker[AsyncSession]
) -> None:
    facts = [
        make_fact(
            subject="Теміртау өнеркәсіптік паркі",
            entity_key="temirtau_industrial_park",
            metric="participants",
            value=n + 1,
            unit="participants",
            quote=f"В промышленном парке Темиртау участник номер {n + 1}.",
        )
        for n in range(120)
    ]
    await store_documents(bot_session_factory, [Document(make_meta("park.txt"), facts)])
    seen: list[str] = []
    offset = ""
    for expected in (50, 50, 21):  # 120 new facts and the one the seed documents have
        answer = (await driver.inline("Темиртау парк", offset=offset)).inline_answer
        assert len(answer.results) == expected
        seen.extend(answer.ids)
        offset = answer.next_offset or ""
    assert offset == ""
    assert len(seen) == len(set(seen)) == 121


@pytest.mark.parametrize("offset", ["abc", "-5", "1e3", "٣", " 7"])
async def test_a_strange_offset_starts_over(driver: BotDriver, offset: str) -> None:
    first = (await driver.inline("Сарань")).inline_answer
    answer = (await driver.inline("Сарань", offset=offset)).inline_answer
    assert answer.ids == first.ids


@pytest.mark.parametrize("offset", ["end", "1000", "9" * 70])
async def test_an_offset_past_the_end_is_the_end(driver: BotDriver, offset: str) -> None:
    if offset == "end":  # just past the last of the seed store's Saran facts
        offset = str(len((await driver.inline("Сарань")).inline_answer.results))
    answer = (await driver.inline("Сарань", offset=offset)).inline_answer
    assert answer.results == []
    assert answer.next_offset is None


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "NEAR(Сарань, 2) OR *",
        "-Сарань AND (Qarmet",
        "🚀🏭✈️",
        "Сарань 🚀 Saran Саран Сарани",
        "جوجل 中文 ελληνικά Қарағанды",
        "\u200b\u0301",
        "я" * 256,
        ("инвестиции Сарань " * 20)[:256],
    ],
)
async def test_any_query_is_answered(driver: BotDriver, query: str) -> None:
    turn = await driver.inline(query)
    params = answer_params(turn)
    assert 1 <= len(params["results"]) <= 50


ODD_TEXT = st.text(
    st.characters(codec="utf-8"), max_size=320
)  # every code point JSON carries: controls, marks, emoji, RTL, zero-width
QUERY_TEXT = st.one_of(
    ODD_TEXT,
    st.lists(
        st.sampled_from(
            ["Сарань", "Saran", "инвестиции", "жүк", "аймақ", "NEAR", "OR", "*", '"', "-",
             "(", "🏭", "\u200b", "\u0301", "ё", " ", "\n"]
        ),
        max_size=60,
    ).map("".join),
)  # fmt: skip
OFFSETS = st.one_of(
    st.sampled_from(["", "0", "50", "-1", "1000", "999999", "9" * 70, "٣", "1e3", " 7"]),
    st.integers(min_value=-10, max_value=2_000).map(str),
    st.text(max_size=70),
)


@settings(
    max_examples=60,
    deadline=None,
    # Inline queries only read the store, so one per test serves every example.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=QUERY_TEXT, offset=OFFSETS, language=st.sampled_from(["ru", "kk"]))
async def test_any_inline_query_gets_an_answer_telegram_takes(
    driver: BotDriver, query: str, offset: str, language: str
) -> None:
    user = driver.new_user(language_code=language)
    turn = await driver.inline(query, user=user, offset=offset)
    params = answer_params(turn)  # the emulator checked ids, titles and texts as Telegram does
    results = params["results"]
    assert len(results) <= PAGE_SIZE
    ids = [str(result["id"]) for result in results]
    assert len(set(ids)) == len(ids)
    assert all(1 <= len(result_id.encode()) <= 64 for result_id in ids)
    for result in results:
        assert 1 <= len(result["title"]) <= TITLE_LIMIT
        assert len(result.get("description") or "") <= DESCRIPTION_LIMIT
        text = result["input_message_content"]["message_text"]
        assert not html_problems(text)
        assert 1 <= telegram_length(text) <= MESSAGE_LIMIT
    next_offset = params.get("next_offset") or ""
    assert next_offset == "" or (next_offset.isdigit() and len(next_offset) <= 64)


async def test_an_article_follows_its_fact_when_a_document_is_replaced(
    driver: BotDriver, bot_session_factory: async_sessionmaker[AsyncSession]
) -> None:
    fact = make_fact(
        subject="Теміртау өнеркәсіптік паркі",
        entity_key="temirtau_industrial_park",
        metric="participants",
        value=11,
        unit="participants",
        quote="В промышленном парке Темиртау 11 участников.",
    )
    meta = make_meta("park.txt")
    await store_documents(bot_session_factory, [Document(meta, [fact])])
    before = (await driver.inline("Темиртау парк участники")).inline_answer
    assert "11 участников" in plain(before.results[0]["title"])
    # The same document again, changed: its fact is replaced (SQLite may give it the
    # same id), and the answer shows the new figure, not an article rendered before.
    changed = dataclasses.replace(meta, sha256="0" * 64)
    again = dataclasses.replace(fact, value=fact.value + 1, quote=fact.quote.replace("11", "12"))
    await store_documents(bot_session_factory, [Document(changed, [again])])
    after = (await driver.inline("Темиртау парк участники")).inline_answer
    assert "12 участников" in plain(after.results[0]["title"])
    assert "12 участников" in message_text(after.results[0])


async def test_topic_answers_in_private_chats_offer_to_share(driver: BotDriver) -> None:
    turn = await driver.send("/investments")
    [share] = [b for b in turn.reply.flat_buttons if b.kind == "switch_inline_query_chosen_chat"]
    assert share.text == "📤 Отправить в чат"
    assert share.value["query"] == "Инвестиции"
    assert share.value["allow_group_chats"]
    # The query the button opens finds the topic's facts.
    answer = (await driver.inline(share.value["query"])).inline_answer
    assert answer.results and answer.results[0]["title"].startswith("💼")
    kk = await driver.send("/cargo", user=driver.new_user(language_code="kk"))
    kk_share = [b for b in kk.reply.flat_buttons if b.kind == "switch_inline_query_chosen_chat"]
    assert kk_share[0].value["query"] == "Жүк және логистика"


async def test_topic_pages_keep_the_share_button(driver: BotDriver) -> None:
    first = await driver.send("/production")
    forward = await driver.press(first.reply, text="▶")
    kinds = [b.kind for b in forward.reply.flat_buttons]
    assert "switch_inline_query_chosen_chat" in kinds


async def test_topic_answers_in_groups_have_no_share_button(driver: BotDriver) -> None:
    group, _ = await driver.add_to_group(status=MemberStatus.MEMBER)
    turn = await driver.send("/investments", chat=group)
    kinds = [b.kind for b in turn.reply.flat_buttons]
    assert "switch_inline_query_chosen_chat" not in kinds


async def test_a_fact_posted_in_the_private_chat_is_no_search(driver: BotDriver) -> None:
    answer = (await driver.inline("Qarmet")).inline_answer
    posted, update = driver.emulator.post_inline_result(driver.user, answer, answer.ids[0])
    assert update is not None and posted.via_bot is not None
    turn = await driver.feed(update)
    assert not turn.sent
