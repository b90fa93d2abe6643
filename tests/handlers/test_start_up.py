"""Start-up while Telegram is briefly unreachable: connections refused, then 5xx answers;
the bot waits and tries again instead of dying."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

import pytest

from bot.app.dispatcher import create_bot
from bot.app.runner import start_up
from bot.render.i18n import create_i18n
from tests.handlers.harness import close_bot
from tests.relay import Relay
from tools.emulator import FaultKind, TelegramEmulator


async def test_start_up_waits_for_a_server_that_refuses_at_first(
    emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    relay = Relay("127.0.0.1", urlsplit(emulator.base_url).port or 0)  # closed: refused
    bot = create_bot(emulator.token, api_url=f"http://127.0.0.1:{relay.port}")
    # Then the gateway answers 502 twice before Telegram is reached.
    emulator.faults.add(FaultKind.SERVER_ERROR, method="setMyCommands", times=2)
    refusals = 0

    async def open_after_two_refusals(seconds: float) -> None:
        nonlocal refusals
        refusals += 1
        if refusals == 2:
            await relay.open()
        await asyncio.sleep(seconds)

    try:
        with caplog.at_level(logging.WARNING):
            await start_up(bot, create_i18n(), first_wait=0.05, sleep=open_after_two_refusals)
    finally:
        await close_bot(bot)
        await relay.close()
    assert refusals >= 4  # two refused connections, two 502s
    assert emulator.calls("getMe") and emulator.calls("setMyCommands")
    assert "Telegram unreachable" in caplog.text
