"""Helpers for the answer tests: a seeded store and checks of what Telegram would accept."""

from __future__ import annotations

from bot.render.html import MESSAGE_LIMIT, html_problems, telegram_length
from tools.emulator.world import StoredMessage


def plain(text: str) -> str:
    """Babel's non-breaking and narrow non-breaking spaces as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def assert_valid(message: StoredMessage) -> str:
    """The message is valid Telegram HTML within the length limit; returns its plain text."""
    assert message.html is not None
    assert not html_problems(message.html), html_problems(message.html)
    assert telegram_length(message.html) <= MESSAGE_LIMIT
    assert len(message.content.encode("utf-16-le")) // 2 <= MESSAGE_LIMIT
    return plain(message.content)
