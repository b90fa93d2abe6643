"""Hostile updates through the dispatcher end without an unhandled exception (the full
run of 10,000: `python -m tools.emulator.fuzz`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.handlers.harness import BotDriver
from tools.emulator.fuzz import fuzz


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


@pytest.mark.slow
async def test_hostile_updates_are_all_handled(driver: BotDriver) -> None:
    report = await fuzz(driver.dispatcher, driver.bot, driver.emulator, 600, seed=7)
    assert report.updates >= 550
    assert report.unhandled == 0, report.failures
    assert {"command", "button", "channel", "inline", "document"} <= set(report.kinds)
