"""One bot's update queue with getUpdates semantics: offsets, limits, long polling."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from typing import Any

from tools.emulator.errors import ApiError

# What Telegram sends when allowed_updates was never given.
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
TERMINATED = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)


def update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    def __init__(self) -> None:
        self._pending: deque[dict[str, Any]] = deque()
        self._next_id = 1
        self._waiter: asyncio.Future[None] | None = None
        self._allowed: frozenset[str] | None = None
        self._closed = False

    def push(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queues one update (`{"message": {...}}`); returns it with its update_id."""
        update = {"update_id": self._next_id, **payload}
        self._next_id += 1
        self._pending.append(update)
        self._wake()
        return update

    @property
    def pending(self) -> list[dict[str, Any]]:
        return list(self._pending)

    def clear(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        """Answers a waiting getUpdates at once (empty), so the server can stop."""
        self._closed = True
        self._wake()

    def reopen(self) -> None:
        self._closed = False

    async def get(
        self,
        offset: int | None,
        limit: int,
        wait: float,
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates) or None
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(ApiError.conflict(TERMINATED))
        self._confirm(offset)
        ready = self._ready(limit)
        if ready or wait <= 0 or self._closed:
            return ready
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiter = waiter
        try:
            # A newer getUpdates fails this one with 409, as on Telegram.
            await asyncio.wait_for(asyncio.shield(waiter), wait)
        except TimeoutError:
            pass
        finally:
            if self._waiter is waiter:
                self._waiter = None
        return self._ready(limit)

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
            return
        while self._pending and self._pending[0]["update_id"] < offset:
            self._pending.popleft()

    def _ready(self, limit: int) -> list[dict[str, Any]]:
        # Unwanted types are dropped, as Telegram does once allowed_updates excludes them.
        kept: deque[dict[str, Any]] = deque()
        for update in self._pending:
            kind = update_type(update)
            if (self._allowed is None and kind in DEFAULT_EXCLUDED) or (
                self._allowed is not None and kind not in self._allowed
            ):
                continue
            kept.append(update)
        self._pending = kept
        return list(itertools.islice(kept, max(1, min(limit, 100))))

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
