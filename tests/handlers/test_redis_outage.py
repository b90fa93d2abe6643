"""Redis stopped mid-run (a relay to it closed, not the server others use): updates wait
and are handled once Redis answers, no new updates are taken meanwhile, and the log says
so once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from aiogram import Bot
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.app.dispatcher import GatedDispatcher
from bot.app.fsm import HoldUpdates, RedisGate
from tests.handlers.harness import BotDriver
from tests.relay import Relay


@pytest.fixture
async def relay(redis_url: str) -> Iterator[Relay]:
    target = urlsplit(redis_url)
    running = Relay(target.hostname or "127.0.0.1", target.port or 6379)
    await running.open()
    yield running  # type: ignore[misc]
    await running.close()


async def test_updates_wait_while_redis_is_down(
    driver: BotDriver, bot: Bot, relay: Relay, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = driver.dispatcher
    assert isinstance(dispatcher, GatedDispatcher)
    redis = Redis(host="127.0.0.1", port=relay.port, socket_connect_timeout=1)
    gate = RedisGate(redis, first_wait=0.05)
    saved = dispatcher.fsm.storage, dispatcher.gate
    dispatcher.fsm.storage = RedisStorage(redis)
    dispatcher.gate = gate
    bot.session.middleware(HoldUpdates(gate))
    other = driver.new_user("Other")
    try:
        assert (await driver.send("/lang")).sent  # Redis in the path of every update
        await relay.close()  # Redis goes away
        with caplog.at_level(logging.WARNING):
            waiting = asyncio.create_task(driver.send("/lang", user=other))
            await gate.closed.wait()
            polling = asyncio.create_task(bot.get_updates(timeout=0))
            await asyncio.sleep(0.3)  # a few failed pings
            assert not waiting.done() and not polling.done()
            assert not driver.emulator.calls("getUpdates")  # nothing taken meanwhile
            await relay.open()  # Redis is back
            await waiting
            await polling
        assert driver.emulator.last_sent(other).text.startswith("Выберите язык")
        assert caplog.text.count("Redis does not answer") == 1
        assert caplog.text.count("Redis answers again") == 1
    finally:
        dispatcher.fsm.storage, dispatcher.gate = saved
        await redis.aclose()
