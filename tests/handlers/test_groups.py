"""Group chats through the emulator: the greeting, commands with and without the bot's
name, the group's language and who may set it, and silence for what is not for the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver
from tools.emulator import MemberStatus
from tools.emulator.world import Chat

BOT = "karaganda_facts_bot"


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


async def new_group(driver: BotDriver, *, admin_bot: bool = False) -> Chat:
    status = MemberStatus.ADMINISTRATOR if admin_bot else MemberStatus.MEMBER
    group, _ = await driver.add_to_group(status=status, supergroup=True)
    return group


async def test_added_to_a_group_it_greets_once_in_both_languages(driver: BotDriver) -> None:
    group, turn = await driver.add_to_group()
    text = assert_valid(turn.reply)
    assert turn.reply.chat is group
    assert text.startswith("Здравствуйте! Я знаю цифры экономики Карагандинской области")
    assert "Сәлеметсіз бе! Мен Қарағанды облысы экономикасының" in text
    assert f"@{BOT}" in text
    assert "/lang" in text and "/zones" in text
    # Made an administrator later: no second greeting.
    _, promoted = await driver.add_to_group(chat=group, status=MemberStatus.ADMINISTRATOR)
    assert not promoted.sent


async def test_no_greeting_for_private_chats_or_leaving(driver: BotDriver) -> None:
    group, _ = await driver.add_to_group()
    left = await driver.feed(driver.emulator.remove_bot_from_group(driver.user, group))
    assert not left.sent
    blocked = await driver.block()
    assert not blocked.sent


@pytest.mark.parametrize("command", ["/zones", f"/zones@{BOT}", f"/zones@{BOT.upper()}"])
async def test_commands_with_and_without_the_bots_name(driver: BotDriver, command: str) -> None:
    group = await new_group(driver)
    turn = await driver.send(command, chat=group)
    assert assert_valid(turn.reply).startswith("🏭 Экономические зоны · Карагандинская область")
    assert turn.reply.chat is group


async def test_search_in_a_group(driver: BotDriver) -> None:
    group = await new_group(driver)
    turn = await driver.send(f"/search@{BOT} Сарани", chat=group)
    assert "Индустриальная зона «Сарань»" in assert_valid(turn.reply)


async def test_commands_for_another_bot_get_no_answer(driver: BotDriver) -> None:
    # With privacy mode Telegram does not even deliver them…
    group = await new_group(driver)
    assert (await driver.send("/zones@other_bot", chat=group)).update is None
    # …but an administrator bot sees everything, and still keeps quiet.
    admin_group = await new_group(driver, admin_bot=True)
    for text in ("/zones@other_bot", "/nope@other_bot", "Сарань", "привет всем"):
        turn = await driver.send(text, chat=admin_group)
        assert turn.update is not None
        assert not turn.sent, text


async def test_replies_to_the_bot_in_a_group_get_no_chatter(driver: BotDriver) -> None:
    group = await new_group(driver)
    answer = await driver.send("/jobs", chat=group)
    reply = await driver.send("спасибо!", chat=group, reply_to=answer.reply)
    assert reply.update is not None
    assert not reply.sent


async def test_the_callers_language_without_a_group_language(driver: BotDriver) -> None:
    group = await new_group(driver)
    kazakh = driver.new_user("Айгерім", language_code="kk")
    russian = driver.new_user("Иван", language_code="ru")
    kk = await driver.send("/cargo", user=kazakh, chat=group)
    assert assert_valid(kk.reply).startswith("✈️ Жүк және логистика")
    ru = await driver.send("/cargo", user=russian, chat=group)
    assert assert_valid(ru.reply).startswith("✈️ Грузы и логистика")


async def test_the_group_language_set_by_an_administrator_wins(driver: BotDriver) -> None:
    admin = driver.new_user("Admin", language_code="ru")
    member = driver.new_user("Member", language_code="ru")
    group = driver.emulator.create_group("Chamber", creator=admin, members=(member,))
    await driver.add_to_group(user=admin, chat=group)
    menu = await driver.send(f"/lang@{BOT}", user=admin, chat=group)
    chosen = await driver.press(menu.reply, text="Қазақша", user=admin)
    assert assert_valid(chosen.reply) == "Тіл: Қазақша"
    # A member whose own Telegram speaks Russian gets the group's Kazakh.
    turn = await driver.send("/jobs", user=member, chat=group)
    assert assert_valid(turn.reply).startswith("👷 Жұмыс орындары")
    # The group's choice does not follow the member into a private chat.
    private = await driver.send("/jobs", user=member)
    assert assert_valid(private.reply).startswith("👷 Рабочие места")


async def test_only_administrators_set_the_group_language(driver: BotDriver) -> None:
    creator = driver.new_user("Creator")
    admin = driver.new_user("Admin")
    member = driver.new_user("Member", language_code="kk")
    group = driver.emulator.create_group(
        "Class", creator=creator, admins=(admin,), members=(member,)
    )
    await driver.add_to_group(user=creator, chat=group)
    refused = await driver.send("/lang", user=member, chat=group)
    assert assert_valid(refused.reply) == "Топтың тілін тек оның әкімшілері өзгерте алады."
    assert any(c.method == "getChatMember" for c in refused.calls)
    menu = await driver.send("/lang", user=admin, chat=group)
    pressed = await driver.press(menu.reply, text="Русский", user=member)
    assert pressed.callback_answer.show_alert and not pressed.edited
    chosen = await driver.press(menu.reply, text="Русский", user=admin)
    assert assert_valid(chosen.reply) == "Язык: Русский"
    # Now the Kazakh-speaking member reads the group's Russian.
    turn = await driver.send("/zones", user=member, chat=group)
    assert assert_valid(turn.reply).startswith("🏭 Экономические зоны")
