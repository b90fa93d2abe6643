"""Stopping the sender in the middle of a fan-out and starting it again: each subscriber
has exactly one delivery. Stopped (Ctrl-C, a deploy), the sender finishes the messages in
flight and hands back the rest; killed between a send and its record, it leaves that one
message "maybe sent", which is never sent again.

Thousands of subscribers on a clock a thousand times faster than the wall, through the
emulator in-process (the same Bot API calls, without sockets)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.utils.i18n import I18n

from bot import DOCUMENTS_DIR
from bot.features.digests.fanout import FanoutConfig
from bot.features.sending.limiter import ScaledClock, SendLimits
from bot.storage.ingest import ingest_paths
from bot.storage.subscriptions import DeliveryRepository, DeliveryState
from tests.digests.conftest import Factory, SentCounter, make_fanout, subscribe
from tests.digests.transport import EmulatorSession
from tools.emulator import EmulatorConfig, TelegramEmulator

SUBSCRIBERS = 10_000
KILLED_SUBSCRIBERS = 2_000  # the kill is at one message: fewer subscribers show it as well
# Many senders at once: the fan-out is bound by this process's CPU, not by the clock.
CONFIG = FanoutConfig(workers=128, in_flight=64, batch=500, settle=timedelta(0))
LEASE = timedelta(seconds=30)


class Crash(BaseException):
    """Raised through the sender as if the process were killed at that instant."""


class CrashingSession(EmulatorSession):
    """Kills the sender right after the `after`-th message reached the emulator, before
    the sender could record it."""

    def __init__(self, emulator: TelegramEmulator, after: int) -> None:
        super().__init__(emulator)
        self.after = after
        self.sent = 0

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        result = await super().make_request(bot, method, timeout)
        self.sent += 1
        if self.sent == self.after:
            raise Crash
        return result


@pytest.fixture
async def fast_emulator() -> AsyncIterator[tuple[TelegramEmulator, ScaledClock]]:
    clock = ScaledClock(1000)
    async with TelegramEmulator(EmulatorConfig(clock=clock.now)) as emulator:
        yield emulator, clock


async def subscribers(emulator: TelegramEmulator, factory: Factory, count: int) -> list[int]:
    chats = [emulator.create_user(f"u{n}").id for n in range(count)]
    await subscribe(factory, chats)
    # One short article: a digest of one message for everyone.
    await ingest_paths(factory, [DOCUMENTS_DIR / "004_219ac1dd48b9d0a5.txt"])
    return chats


def in_process_bot(session: EmulatorSession) -> Bot:
    return Bot(
        session.emulator.token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


async def states(factory: Factory) -> tuple[Counter[DeliveryState], int, Counter[int]]:
    async with factory() as session:
        deliveries = DeliveryRepository(session)
        return (
            await deliveries.count_by_state(),
            await deliveries.count_uncertain(),
            await deliveries.periods_per_chat(),
        )


@pytest.mark.slow
async def test_stopped_mid_fan_out_and_restarted_each_subscriber_gets_one(
    fast_emulator: tuple[TelegramEmulator, ScaledClock],
    session_factory: Factory,
    i18n: I18n,
) -> None:
    emulator, clock = fast_emulator
    chats = await subscribers(emulator, session_factory, SUBSCRIBERS)
    counter = SentCounter(emulator)
    bot = in_process_bot(EmulatorSession(emulator))
    limits = SendLimits(overall_per_second=30)

    first = make_fanout(bot, session_factory, i18n, clock, config=CONFIG, limits=limits)
    running = asyncio.create_task(first.run(force=True))
    counter.when(SUBSCRIBERS // 3, running.cancel)
    with pytest.raises(asyncio.CancelledError):
        await running
    stopped_at = counter.total
    assert 0 < stopped_at < SUBSCRIBERS
    by_state, _, _ = await states(session_factory)
    # Stopped cleanly: nothing left in doubt, everything sent is recorded as sent.
    assert DeliveryState.SENDING not in by_state
    assert by_state[DeliveryState.SENT] == stopped_at

    second = make_fanout(bot, session_factory, i18n, clock, config=CONFIG, limits=limits)
    report = await second.run(force=True)
    assert report.messages == SUBSCRIBERS - stopped_at

    assert counter.per_chat == Counter(dict.fromkeys(chats, 1))
    by_state, uncertain, per_chat = await states(session_factory)
    assert by_state == Counter({DeliveryState.SENT: SUBSCRIBERS})
    assert uncertain == 0
    assert per_chat == Counter(dict.fromkeys(chats, 1))
    assert emulator.violations == []


@pytest.mark.slow
async def test_killed_between_send_and_record_the_message_is_not_sent_again(
    fast_emulator: tuple[TelegramEmulator, ScaledClock],
    session_factory: Factory,
    i18n: I18n,
) -> None:
    emulator, clock = fast_emulator
    chats = await subscribers(emulator, session_factory, KILLED_SUBSCRIBERS)
    counter = SentCounter(emulator)
    config = FanoutConfig(workers=256, in_flight=128, batch=500, settle=timedelta(0), lease=LEASE)
    crashing = in_process_bot(CrashingSession(emulator, after=KILLED_SUBSCRIBERS // 2))
    with pytest.raises(BaseExceptionGroup) as died:
        await make_fanout(crashing, session_factory, i18n, clock, config=config).run(force=True)
    assert died.group_contains(Crash)
    by_state, _, _ = await states(session_factory)
    assert by_state[DeliveryState.SENDING] == 1  # the message whose record never came

    # Restarted after the dead sender's lease: that message counts as sent, not resent.
    later = datetime.now(UTC) + LEASE + timedelta(seconds=1)
    bot = in_process_bot(EmulatorSession(emulator))
    restart = make_fanout(bot, session_factory, i18n, clock, config=config, now=lambda: later)
    report = await restart.run(force=True)
    assert report.uncertain == 1

    assert counter.per_chat == Counter(dict.fromkeys(chats, 1))
    by_state, uncertain, per_chat = await states(session_factory)
    assert by_state[DeliveryState.SENT] == KILLED_SUBSCRIBERS
    assert uncertain == 1
    assert per_chat == Counter(dict.fromkeys(chats, 1))


async def test_a_killed_senders_claims_are_taken_within_a_minute(
    fast_emulator: tuple[TelegramEmulator, ScaledClock],
    session_factory: Factory,
    i18n: I18n,
) -> None:
    """With the default lease (renewed by a running sender), a sender killed mid-run
    leaves its claims for at most a minute: another takes them, and the one message in
    flight at the kill is counted, not sent again."""
    emulator, clock = fast_emulator
    count = 200
    chats = await subscribers(emulator, session_factory, count)
    counter = SentCounter(emulator)
    config = FanoutConfig(workers=16, in_flight=8, batch=50, settle=timedelta(0))
    crashing = in_process_bot(CrashingSession(emulator, after=count // 4))
    with pytest.raises(BaseExceptionGroup):
        await make_fanout(crashing, session_factory, i18n, clock, config=config).run(force=True)
    by_state, _, _ = await states(session_factory)
    assert by_state[DeliveryState.PENDING] > 0  # claimed by the dead sender, not started

    within_a_minute = datetime.now(UTC) + timedelta(seconds=59)
    bot = in_process_bot(EmulatorSession(emulator))
    restart = make_fanout(
        bot, session_factory, i18n, clock, config=config, now=lambda: within_a_minute
    )
    report = await restart.run(force=True)
    assert report.uncertain == 1
    assert counter.per_chat == Counter(dict.fromkeys(chats, 1))
    by_state, _, per_chat = await states(session_factory)
    assert by_state == Counter({DeliveryState.SENT: count})
    assert per_chat == Counter(dict.fromkeys(chats, 1))
