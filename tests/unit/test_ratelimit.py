"""The outgoing limiter on a fast clock: Telegram's rules hold wherever in a request's
flight Telegram counts it."""

from __future__ import annotations

import asyncio
import itertools
import random

from bot.features.sending.limiter import OutgoingLimiter, ScaledClock, SendLimits

Span = tuple[float, float]  # (left, answered) in clock seconds


async def send(limiter: OutgoingLimiter, spans: list[Span], latency: float) -> None:
    async with limiter.sending():
        left = limiter.clock.now()
        await limiter.clock.sleep(latency)
    spans.append((left, limiter.clock.now()))


def assert_rate_holds(spans: list[Span], rate: int, window: float = 1.0) -> None:
    """Whatever moment of its flight Telegram counts each request at, no `window` holds
    more than `rate`: the request `rate` places later left a window after this one's answer."""
    spans = sorted(spans)
    for earlier, later in zip(spans, spans[rate:], strict=False):
        assert later[0] >= earlier[1] + window, (earlier, later)


async def test_the_overall_rate_holds() -> None:
    # Ten times faster than the wall: the event loop's timer stays finer than the spacing.
    # How close to the allowed rate the limiter keeps is measured by `make bench`.
    clock = ScaledClock(10)
    limiter = OutgoingLimiter(SendLimits(overall_per_second=30), clock)
    spans: list[Span] = []
    random.seed(7)
    await asyncio.gather(*(send(limiter, spans, random.uniform(0.0, 0.05)) for _ in range(300)))
    assert len(spans) == 300
    assert_rate_holds(spans, 30)


async def test_a_chat_gets_one_message_a_second() -> None:
    clock = ScaledClock(50)
    limiter = OutgoingLimiter(SendLimits(), clock)
    spans: list[Span] = []

    async def to_chat() -> None:
        async with limiter.chat(42, is_group=False):
            await send(limiter, spans, 0.01)

    await asyncio.gather(*(to_chat() for _ in range(5)))
    spans.sort()
    for earlier, later in itertools.pairwise(spans):
        assert later[0] >= earlier[1] + 1.0


async def test_a_group_gets_twenty_messages_a_minute() -> None:
    clock = ScaledClock(100)
    limiter = OutgoingLimiter(SendLimits(), clock)
    spans: list[Span] = []

    async def to_group() -> None:
        async with limiter.chat(-100, is_group=True):
            await send(limiter, spans, 0.01)

    await asyncio.gather(*(to_group() for _ in range(45)))
    assert_rate_holds(spans, 20, window=60.0)
    # 45 messages: two full minutes, then the last five a second apart.
    assert spans[-1][0] - spans[0][0] < 2 * 60 + 20


async def test_retry_after_stops_every_sender() -> None:
    clock = ScaledClock(50)
    limiter = OutgoingLimiter(SendLimits(), clock)
    limiter.pause(2.0)
    paused_at = clock.now()
    spans: list[Span] = []
    await asyncio.gather(*(send(limiter, spans, 0.0) for _ in range(3)))
    assert min(left for left, _ in spans) >= paused_at + 2.0


async def test_idle_chats_are_forgotten() -> None:
    clock = ScaledClock(1000)
    limiter = OutgoingLimiter(SendLimits(), clock)
    for chat_id in range(5000):
        async with limiter.chat(chat_id, is_group=False):
            pass
    await clock.sleep(2.0)
    async with limiter.chat(-1, is_group=False):
        pass
    assert len(limiter._chats) < 5000


async def test_one_chats_flood_pauses_that_chat_several_pause_everyone() -> None:
    clock = ScaledClock(10)
    limiter = OutgoingLimiter(SendLimits(), clock)
    limiter.flood(1, 5.0)
    assert limiter._paused_until <= clock.now()  # the others go on
    assert limiter._chats[1].paused_until > clock.now()
    limiter.flood(2, 5.0)
    limiter.flood(3, 5.0)  # three chats at once: the bot's own limit
    assert limiter._paused_until > clock.now()


async def test_answered_requests_are_forgotten_once_they_hold_nothing_back() -> None:
    # A rate far above what is sent (a local Bot API server): the limiter keeps no
    # record of each request for ever, only of those still inside their window.
    clock = ScaledClock(100)
    limiter = OutgoingLimiter(SendLimits(overall_per_second=100_000), clock)
    spans: list[Span] = []
    for _ in range(50):
        await send(limiter, spans, 0.0)
    await clock.sleep(limiter.limits.window)
    await send(limiter, spans, 0.0)
    assert len(spans) == 51
    assert len(limiter._departures) == 1
