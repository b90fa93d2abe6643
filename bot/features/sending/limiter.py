"""The outgoing limiter: how fast bulk sends may go without Telegram's flood control.

Telegram's guidance: about 30 messages a second overall, one a second in a chat, 20 a
minute in a group. Telegram counts a request when it *arrives*, somewhere between when we
send it and when its answer is back. Counting every window from the answers of earlier
requests to the departure of the next keeps each rule whatever the network does in
between, at the price of one round trip per window.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol


class Clock(Protocol):
    """Monotonic seconds and a way to wait for them."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


@dataclass(frozen=True, slots=True)
class ScaledClock:
    """Time that runs `factor` times faster than the wall: tests and benchmarks keep
    Telegram's limits (per second, per minute) but wait a fraction of the time. Share it
    with the emulator (`EmulatorConfig(clock=clock.now)`) so both count the same seconds."""

    factor: float

    def now(self) -> float:
        return time.monotonic() * self.factor

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.factor)


@dataclass(frozen=True, slots=True)
class SendLimits:
    overall_per_second: int = 30
    chat_per_second: float = 1.0
    group_per_minute: int = 20
    margin: float = 0.01  # clock granularity and rounding

    @property
    def window(self) -> float:
        return 1.0 + self.margin

    @property
    def overall_interval(self) -> float:
        return self.window / self.overall_per_second

    @property
    def chat_interval(self) -> float:
        return (1.0 + self.margin) / self.chat_per_second

    @property
    def group_window(self) -> float:
        return 60.0 + self.margin


@dataclass(eq=False)
class _Departure:
    left_at: float
    answered_at: float | None = None
    answered: asyncio.Event = field(default_factory=asyncio.Event)


PRUNE_FROM = 4096  # chats remembered before the idle ones are forgotten
# A "retry after" in this many different chats at once is Telegram's flood control for
# the whole bot, not for one chat: then everyone waits.
FLOODED_CHATS_FOR_ALL = 3


@dataclass
class _ChatState:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    ready_at: float = 0.0  # the earliest time of the next send
    paused_until: float = 0.0  # Telegram said "retry after" for this chat
    group_sends: deque[float] = field(default_factory=deque)
    users: int = 0  # holders and waiters of the lock


class OutgoingLimiter:
    """Shared by every sender of one bot token in this process."""

    def __init__(self, limits: SendLimits | None = None, clock: Clock | None = None) -> None:
        self.limits = limits or SendLimits()
        self.clock: Clock = clock or SystemClock()
        self._turn = asyncio.Lock()
        self._departures: deque[_Departure] = deque(maxlen=self.limits.overall_per_second)
        self._last = float("-inf")
        self._paused_until = 0.0
        self._chats: dict[int, _ChatState] = {}
        self._prune_at = PRUNE_FROM
        self._floods: deque[tuple[float, int]] = deque(maxlen=64)  # (until, chat)

    # --- overall ------------------------------------------------------------------------

    @asynccontextmanager
    async def sending(self) -> AsyncIterator[None]:
        """Holds one overall slot around a request: waits until it may leave, and counts it
        until its answer is back.

        Telegram counts a request when it arrives, which is after it leaves and before its
        answer is back. So a request may leave only when the one `rate` requests before it
        was answered more than a (widened) second ago: then no second, however Telegram's
        clock and the network place them, holds more than `rate` of them. Waiters are
        served in turn, at least half an even interval apart, so a second's worth is
        spread rather than sent in one burst.
        """
        departure = await self._depart()
        try:
            yield
        finally:
            departure.answered_at = self.clock.now()
            departure.answered.set()

    async def _depart(self) -> _Departure:
        async with self._turn:
            while True:
                now = self.clock.now()
                self._forget_departures(now)
                ready = max(self._paused_until, self._last + self.limits.overall_interval / 2)
                if len(self._departures) == self._departures.maxlen:
                    oldest = self._departures[0]
                    if oldest.answered_at is None:
                        await oldest.answered.wait()
                        continue
                    ready = max(ready, oldest.answered_at + self.limits.window)
                if ready <= now:
                    break
                await self.clock.sleep(ready - now)
            departure = _Departure(now)
            self._departures.append(departure)
            self._last = now
            return departure

    def _forget_departures(self, now: float) -> None:
        """Drops the oldest departures answered more than a window ago: they hold back no
        later request, and a high rate (a bench's, a local Bot API server's) would
        otherwise keep that many of them."""
        departures = self._departures
        while departures:
            answered_at = departures[0].answered_at
            if answered_at is None or answered_at + self.limits.window > now:
                return
            departures.popleft()

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": nothing more leaves until then."""
        self._paused_until = max(self._paused_until, self.clock.now() + seconds)

    async def close(self) -> None:
        """Releases what the limiter holds (nothing here; a shared limiter its Redis)."""

    # --- per chat -----------------------------------------------------------------------

    @asynccontextmanager
    async def chat(self, chat_id: int, *, is_group: bool) -> AsyncIterator[None]:
        """Holds the chat for one send: waits for its interval (and, in a group, for room in
        its minute), then counts the send when it is over."""
        state = self._state(chat_id)
        state.users += 1
        try:
            async with state.lock:
                await self._wait_chat(state, is_group)
                try:
                    yield
                finally:
                    now = self.clock.now()
                    state.ready_at = max(state.ready_at, now + self.limits.chat_interval)
                    if is_group:
                        state.group_sends.append(now)
        finally:
            state.users -= 1

    def pause_chat(self, chat_id: int, seconds: float) -> None:
        state = self._state(chat_id)
        state.paused_until = max(state.paused_until, self.clock.now() + seconds)

    def flood(self, chat_id: int | None, seconds: float) -> None:
        """Telegram answered "retry after" to a request for `chat_id`.

        Telegram does not say whether the limit it met is the chat's or the bot's. One
        chat's 429 pauses that chat only, so the other chats and the digests go on; when
        several chats meet one at once the bot's overall limit is meant, and everyone
        waits. A request for no chat in particular pauses everyone."""
        if chat_id is None:
            self.pause(seconds)
            return
        self.pause_chat(chat_id, seconds)
        now = self.clock.now()
        self._floods.append((now + seconds, chat_id))
        flooded = {chat for until, chat in self._floods if until > now}
        if len(flooded) >= FLOODED_CHATS_FOR_ALL:
            self.pause(seconds)

    async def chat_ready(self, chat_id: int) -> None:
        """Waits while Telegram's "retry after" for the chat lasts (and only for that)."""
        while (state := self._chats.get(chat_id)) is not None:
            wait = state.paused_until - self.clock.now()
            if wait <= 0:
                return
            await self.clock.sleep(wait)

    def _state(self, chat_id: int) -> _ChatState:
        state = self._chats.get(chat_id)
        if state is None:
            if len(self._chats) >= self._prune_at:
                self._prune()
            state = self._chats[chat_id] = _ChatState()
        return state

    def _prune(self) -> None:
        """Forgets chats whose limits no longer constrain anything."""
        now = self.clock.now()
        horizon = now - self.limits.group_window
        for chat_id, state in list(self._chats.items()):
            recent = state.group_sends and state.group_sends[-1] > horizon
            idle = state.ready_at <= now and state.paused_until <= now
            if not state.users and idle and not recent:
                del self._chats[chat_id]
        self._prune_at = max(PRUNE_FROM, 2 * len(self._chats))

    async def _wait_chat(self, state: _ChatState, is_group: bool) -> None:
        window = self.limits.group_window
        while True:
            now = self.clock.now()
            while state.group_sends and state.group_sends[0] <= now - window:
                state.group_sends.popleft()
            ready = max(state.ready_at, state.paused_until)
            if is_group and len(state.group_sends) >= self.limits.group_per_minute:
                ready = max(ready, state.group_sends[-self.limits.group_per_minute] + window)
            if ready <= now:
                return
            await self.clock.sleep(ready - now)
