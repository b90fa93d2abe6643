"""Answers and digests share one overall send rate."""

from __future__ import annotations

import asyncio

from aiogram import Bot
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    EditMessageText,
    SendChatAction,
    SendMessage,
    SendPhoto,
)

from bot.app.dispatcher import create_bot
from tools.emulator import EmulatorConfig, RateLimits, TelegramEmulator
from bot.features.sending.answers import OverallSendLimit, counts
from bot.features.sending.limiter import OutgoingLimiter, SendLimits

RATE = 10
EACH = 15  # answers, and as many digest messages, at once: three seconds' worth


def test_what_counts_as_a_message_sent() -> None:
    assert counts(SendMessage(chat_id=1, text="a"))
    assert counts(SendPhoto(chat_id=1, photo="id"))
    assert counts(CopyMessage(chat_id=1, from_chat_id=2, message_id=3))
    assert not counts(SendChatAction(chat_id=1, action="typing"))
    assert not counts(AnswerCallbackQuery(callback_query_id="1"))
    assert not counts(EditMessageText(chat_id=1, message_id=2, text="b"))


async def _together(emulator: TelegramEmulator, limited: bool) -> None:
    """A fan-out sending on its limiter while the answering bot sends as well."""
    limiter = OutgoingLimiter(SendLimits(overall_per_second=RATE))
    answers = create_bot(emulator.token, api_url=emulator.base_url)
    digests = create_bot(emulator.token, api_url=emulator.base_url)
    if limited:
        answers.session.middleware(OverallSendLimit(limiter))
    chats = [emulator.create_user(f"c{n}").id for n in range(2 * EACH)]

    async def digest(chat_id: int) -> None:
        async with limiter.sending():
            await digests.send_message(chat_id, "digest")

    async def answer(bot: Bot, chat_id: int) -> None:
        await bot.send_message(chat_id, "answer")

    try:
        await asyncio.gather(
            *(digest(chat_id) for chat_id in chats[:EACH]),
            *(answer(answers, chat_id) for chat_id in chats[EACH:]),
        )
    finally:
        await answers.session.close()
        await digests.session.close()


async def test_answers_and_digests_together_keep_the_overall_rate() -> None:
    config = EmulatorConfig(limits=RateLimits(overall_per_second=RATE))
    async with TelegramEmulator(config) as emulator:
        await _together(emulator, limited=True)
        assert len(emulator.calls("sendMessage")) == 2 * EACH
        assert not [v for v in emulator.violations if v.rule == "overall"]
    # Without the middleware the answers go past the limiter, and Telegram would see it.
    async with TelegramEmulator(config) as emulator:
        await _together(emulator, limited=False)
        assert [v for v in emulator.violations if v.rule == "overall"]
