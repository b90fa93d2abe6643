"""Telegram reached patiently: calls tried again, with growing waits, while Telegram (or
the proxy before it) cannot be reached, so that a start during a short outage only waits."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import ClientDecodeError, TelegramNetworkError, TelegramServerError

log = logging.getLogger(__name__)
T = TypeVar("T")

# Telegram (or the proxy before it) not answering, or answering 5xx: worth waiting for.
UNREACHABLE = (TelegramNetworkError, TelegramServerError, ClientDecodeError)
FIRST_WAIT = 1.0
LONGEST_WAIT = 30.0


async def when_reachable(
    what: str,
    call: Callable[[], Awaitable[T]],
    *,
    first_wait: float = FIRST_WAIT,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """`call()`, tried again with growing waits while Telegram cannot be reached, as
    aiogram's polling does once it runs: a start during a short outage then only waits."""
    wait = first_wait
    while True:
        try:
            return await call()
        except UNREACHABLE as error:
            log.warning("%s: Telegram unreachable (%s), trying again in %.0f s", what, error, wait)
        await sleep(wait)
        wait = min(wait * 2, LONGEST_WAIT)
