"""4,000 characters after every command: each answer is valid HTML within Telegram's
limits, with the echoed text cut short and escaped."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver

# Markup characters and a character outside the BMP (two UTF-16 units) in every stretch.
LONG = ("<b>&amp;😀 слово " * 400)[:4000]
ONE_WORD = ("<b>&amp;😀слово" * 400)[:4000]
COMMANDS = [
    *("start", "help", "investments", "zones", "cargo", "production", "jobs", "chart"),
    *("export", "search", "sources", "subscribe", "settings", "digest", "unsubscribe"),
    *("lang", "nope"),
]


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


@pytest.mark.parametrize("argument", [LONG, ONE_WORD], ids=["words", "one-word"])
@pytest.mark.parametrize("command", COMMANDS)
async def test_a_long_argument_to_every_command(
    driver: BotDriver, command: str, argument: str
) -> None:
    turn = await driver.send(f"/{command} {argument}")
    assert turn.sent or turn.edited
    for message in turn.sent + turn.edited:
        if message.html is not None and message.content:
            text = assert_valid(message)
            # The echo, if any, is cut with an ellipsis, not sent whole.
            assert argument not in text
    if any("слово" in message.content for message in turn.sent):
        assert any("…" in message.content for message in turn.sent)
