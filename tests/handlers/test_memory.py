"""What the bot keeps per user in memory stays bounded however many users it has seen."""

from __future__ import annotations

from bot.app.fsm import CompactMemoryStorage
from tests.handlers.harness import BotDriver

USERS = 300


async def test_conversation_state_is_kept_only_while_there_is_some(driver: BotDriver) -> None:
    storage = driver.dispatcher.fsm.storage
    assert isinstance(storage, CompactMemoryStorage)
    for number in range(USERS):
        user = driver.new_user(f"u{number}")
        await driver.send("/help", user=user)
        press = await driver.send("/lang", user=user)
        await driver.press(press.reply, "lang:kk", user=user)
    # Every update asked for its chat's state; none of them left a record behind.
    assert len(storage.storage) == 0
