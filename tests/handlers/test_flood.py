"""One chat's "retry after" pauses that chat alone, and its answer is sent when the
pause is over: the other chats are answered meanwhile, and nothing is lost."""

from __future__ import annotations

import asyncio

from aiogram import Bot

from bot.features.sending.answers import OverallSendLimit
from bot.features.sending.limiter import OutgoingLimiter
from tests.handlers.harness import BotDriver
from tools.emulator import FaultKind


def answers_to(driver: BotDriver, chat_id: int) -> list[int]:
    """Positions, in the emulator's log of requests, of the messages the chat received."""
    wanted = (chat_id, str(chat_id))
    return [
        index
        for index, call in enumerate(driver.emulator.requests)
        if call.method == "sendMessage" and call.ok and call.params.get("chat_id") in wanted
    ]


class WatchedLimiter(OutgoingLimiter):
    """Says when Telegram's "retry after" has reached it."""

    def __init__(self) -> None:
        super().__init__()
        self.flooded = asyncio.Event()

    def flood(self, chat_id: int | None, seconds: float) -> None:
        super().flood(chat_id, seconds)
        self.flooded.set()


async def test_one_chats_retry_after_does_not_stop_the_others(driver: BotDriver, bot: Bot) -> None:
    limiter = WatchedLimiter()
    bot.session.middleware(OverallSendLimit(limiter))
    flooded = driver.new_user("Flooded")
    other = driver.new_user("Other")
    driver.emulator.faults.add(
        FaultKind.RETRY_AFTER, method="sendMessage", chat_id=flooded.id, retry_after=1
    )
    first = asyncio.create_task(driver.send("/help", user=flooded))
    await limiter.flooded.wait()
    await driver.send("/help", user=other)
    await first
    [answered_other] = answers_to(driver, other.id)
    [answered_flooded] = answers_to(driver, flooded.id)
    # The other chat was answered while the flooded one waited; the flooded one's answer
    # went out after its pause rather than being dropped.
    assert answered_other < answered_flooded
