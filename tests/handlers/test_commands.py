"""/start, /help, /sources, /search, /lang and the command menu, in both languages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.commands import set_bot_commands
from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver
from tools.emulator import MemberStatus


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


async def test_start_greets_in_the_users_language(driver: BotDriver) -> None:
    ru = await driver.send("/start")
    text = assert_valid(ru.reply)
    assert text.startswith("Здравствуйте, Dana!")
    assert [b.text for b in ru.reply.flat_buttons] == [
        "💼 Инвестиции",
        "🏭 Экономические зоны",
        "✈️ Грузы и логистика",
        "⚙️ Производство",
        "👷 Рабочие места",
    ]
    kk = await driver.send("/start", user=driver.new_user("Айгерім", language_code="kk"))
    assert assert_valid(kk.reply).startswith("Сәлеметсіз бе, Айгерім!")
    assert kk.reply.flat_buttons[0].text == "💼 Инвестициялар"


async def test_a_topic_button_answers_below_the_greeting(driver: BotDriver) -> None:
    start = await driver.send("/start")
    turn = await driver.press(start.reply, text="🏭 Экономические зоны")
    assert turn.callback_answer is not None
    assert assert_valid(turn.reply).startswith("🏭 Экономические зоны · Карагандинская область")
    assert turn.reply.message_id != start.reply.message_id


async def test_start_escapes_the_users_name(driver: BotDriver) -> None:
    turn = await driver.send("/start", user=driver.new_user("<b>Bob</b> & co"))
    assert assert_valid(turn.reply).startswith("Здравствуйте, <b>Bob</b> & co!")


@pytest.mark.parametrize(
    ("language", "title", "line"),
    [
        ("ru", "Что я умею", "/zones — Специальные экономические и индустриальные зоны"),
        ("kk", "Мен не істей аламын", "/zones — Арнайы экономикалық және индустриялық аймақтар"),
    ],
)
async def test_help_lists_the_commands(
    driver: BotDriver, language: str, title: str, line: str
) -> None:
    turn = await driver.send("/help", user=driver.new_user(language_code=language))
    text = assert_valid(turn.reply)
    assert text.startswith(title)
    assert line in text
    for command in ("investments", "cargo", "production", "jobs", "search", "sources", "lang"):
        assert f"/{command} — " in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", ["Zakon.kz, 11 сентября 2025 г.", "дата не указана (≈ август – сентябрь 2025 г.)",
                "inkaraganda.kz, 8 сентября 2025 г.", "фактов"]),
        ("kk", ["Zakon.kz, 2025 ж. 11 қыркүйек", "күні көрсетілмеген (≈ 2025 ж. тамыз – қыркүйек)",
                "дерек"]),
    ],
)  # fmt: skip
async def test_sources_list_the_documents(
    driver: BotDriver, language: str, expected: list[str]
) -> None:
    turn = await driver.send("/sources", user=driver.new_user(language_code=language))
    text = assert_valid(turn.reply)
    assert text.splitlines()[0] == ("📚 Источники" if language == "ru" else "📚 Дереккөздер")
    for piece in expected:
        assert piece in text
    assert text.count("BAQ.kz") == 2
    assert '<a href="https://rus.baq.kz/' in (turn.reply.html or "")


@pytest.mark.parametrize("query", ["/search Сарани", "Сарань", "Saran", "/search Саран"])
async def test_search_finds_the_saran_zone(driver: BotDriver, query: str) -> None:
    turn = await driver.send(query)
    text = assert_valid(turn.reply)
    assert text.startswith("🔎 По запросу")
    assert "Индустриальная зона «Сарань»" in text
    assert "472 млрд ₸" in text


async def test_search_in_kazakh(driver: BotDriver) -> None:
    turn = await driver.send("Qarmet", user=driver.new_user(language_code="kk"))
    text = assert_valid(turn.reply)
    assert text.startswith("🔎 «Qarmet» бойынша")
    assert "1,6 трлн ₸" in text


async def test_search_without_words_or_matches(driver: BotDriver) -> None:
    prompt = await driver.send("/search")
    assert assert_valid(prompt.reply).startswith("Отправьте /search и слова для поиска")
    nothing = await driver.send("/search <нет такого>")
    assert assert_valid(nothing.reply) == "🔎 По запросу «<нет такого>» ничего не найдено."


async def test_lang_switches_and_is_remembered(driver: BotDriver) -> None:
    menu = await driver.send("/lang")
    assert [b.text for b in menu.reply.flat_buttons] == ["Русский", "Қазақша"]
    chosen = await driver.press(menu.reply, text="Қазақша")
    assert assert_valid(chosen.reply) == "Тіл: Қазақша"
    after = await driver.send("/jobs")
    assert assert_valid(after.reply).startswith("👷 Жұмыс орындары")
    back = await driver.press((await driver.send("/lang")).reply, text="Русский")
    assert assert_valid(back.reply) == "Язык: Русский"
    assert assert_valid((await driver.send("/jobs")).reply).startswith("👷 Рабочие места")


async def test_in_groups_only_administrators_change_the_language(driver: BotDriver) -> None:
    admin = driver.new_user("Admin")
    member = driver.new_user("Member")
    group, _ = await driver.add_to_group(user=admin, status=MemberStatus.MEMBER)
    driver.emulator.set_member(group, member, MemberStatus.MEMBER)
    refused = await driver.send("/lang", user=member, chat=group)
    assert assert_valid(refused.reply) == "Язык группы могут менять только её администраторы."
    menu = await driver.send("/lang", user=admin, chat=group)
    # A member pressing the administrator's buttons is refused too.
    press = await driver.press(menu.reply, text="Қазақша", user=member)
    assert press.callback_answer.show_alert
    assert not press.edited
    chosen = await driver.press(menu.reply, text="Қазақша", user=admin)
    assert assert_valid(chosen.reply) == "Тіл: Қазақша"
    topic = await driver.send("/zones", user=member, chat=group)
    assert assert_valid(topic.reply).startswith("🏭 Экономикалық аймақтар")


async def test_command_menu_per_language_and_scope(
    driver: BotDriver, bot: Bot, dispatcher: Dispatcher
) -> None:
    await set_bot_commands(bot, dispatcher["i18n"])
    private = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert private[0].command == "start"
    assert {c.command for c in private} >= {"investments", "zones", "cargo", "lang", "search"}
    kk = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="kk")
    zones = next(c for c in kk if c.command == "zones")
    assert zones.description == "Арнайы экономикалық және индустриялық аймақтар"
    groups = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats())
    assert "start" not in {c.command for c in groups}
    assert "zones" in {c.command for c in groups}
