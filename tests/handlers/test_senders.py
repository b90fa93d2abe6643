"""Messages sent on behalf of a channel or an anonymous administrator (`sender_chat`)."""

from __future__ import annotations

from aiogram.types import Chat as ApiChat
from aiogram.types import Update
from aiogram.types import User as ApiUser

from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver

# The stand-in user Telegram puts in `from` for messages sent on behalf of a channel.
CHANNEL_BOT = 136817688


def on_behalf_of_a_channel(update: Update, channel_id: int) -> Update:
    assert update.message is not None
    message = update.message.model_copy(
        update={
            "from_user": ApiUser(id=CHANNEL_BOT, is_bot=True, first_name="Channel"),
            "sender_chat": ApiChat(id=channel_id, type="channel", title="News"),
        }
    )
    return update.model_copy(update={"message": message})


async def test_a_channel_sender_is_not_an_administrator(driver: BotDriver) -> None:
    group, _ = await driver.add_to_group(supergroup=True)
    for command in ("/lang", "/subscribe", "/unsubscribe"):
        update = driver.emulator.send_message(driver.user, command, group)
        assert update is not None
        turn = await driver.feed(on_behalf_of_a_channel(update, -1001234))
        # Telegram answered getChatMember with PARTICIPANT_ID_INVALID; the bot says
        # that only administrators may do this instead of failing.
        assert [call.method for call in turn.calls].count("getChatMember") == 1
        assert "администратор" in assert_valid(turn.reply)
