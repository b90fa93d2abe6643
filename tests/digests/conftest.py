"""Fan-out fixtures: the emulator on a fast clock shared with the limiter, subscribers made
in bulk, and a fan-out wired as the bot wires it."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.dispatcher import create_bot
from bot.domain import MAIN_TOPICS, Topic
from bot.domain.schedule import Schedule, zone_for
from bot.features.digests.fanout import DigestFanout, FanoutConfig
from bot.features.digests.scheduler import create_fanout
from bot.features.sending.limiter import OutgoingLimiter, ScaledClock, SendLimits
from bot.render.i18n import create_i18n
from bot.storage.models import FactRecord
from bot.storage.subscriptions import DeliveryRepository, NewSubscription, SubscriptionRepository
from tests.handlers.harness import close_bot, make_settings
from tools.emulator import EmulatorConfig, RateLimits, TelegramEmulator
from tools.emulator.records import EmulatorEvent, EventKind

ALMATY = zone_for("Asia/Almaty")
Factory = async_sessionmaker[AsyncSession]


def an_hour_ago() -> datetime:
    return datetime.now(UTC) - timedelta(hours=1)


@pytest.fixture(scope="session")
def i18n() -> I18n:
    return create_i18n()


@pytest.fixture
def clock() -> ScaledClock:
    """Telegram's seconds, ten times faster: limits, retry-after and backoff keep their
    meaning while the tests wait a tenth of it."""
    return ScaledClock(10)


@pytest.fixture
async def emulator(clock: ScaledClock) -> AsyncIterator[TelegramEmulator]:
    """The Bot API answering 429 to anything over Telegram's limits, as the real one would."""
    config = EmulatorConfig(limits=RateLimits(enforce=True), clock=clock.now)
    async with TelegramEmulator(config) as running:
        yield running


@pytest.fixture
async def bot(emulator: TelegramEmulator) -> AsyncIterator[Bot]:
    client = create_bot(emulator.token, api_url=emulator.base_url)
    try:
        yield client
    finally:
        await close_bot(client)


def make_fanout(
    bot: Bot,
    factory: Factory,
    i18n: I18n,
    clock: ScaledClock,
    *,
    config: FanoutConfig | None = None,
    now: Callable[[], datetime] | None = None,
    limits: SendLimits | None = None,
) -> DigestFanout:
    """The fan-out as the bot builds it, on the test's clock."""
    return create_fanout(
        bot,
        factory,
        make_settings(),
        i18n,
        limiter=OutgoingLimiter(limits or SendLimits(), clock),
        # Facts the test just stored count at once.
        config=config or FanoutConfig(settle=timedelta(0)),
        clock=now or (lambda: datetime.now(UTC)),
    )


async def settle_facts(factory: Factory) -> None:
    """Makes the store's facts older than the few seconds a digest lets new facts settle
    (a digest run in another process cannot be told to count them at once), and newer
    than the subscriptions `subscribe` makes."""
    async with factory() as session:
        settled = datetime.now(UTC) - timedelta(minutes=5)
        await session.execute(update(FactRecord).values(added_at=settled))
        await session.commit()


async def subscribe(
    factory: Factory,
    chats: Iterable[int],
    *,
    topics: tuple[Topic, ...] = MAIN_TOPICS,
    chat_type: str = "private",
    language: str = "ru",
    since: datetime | None = None,
) -> None:
    async with factory() as session:
        await SubscriptionRepository(session).add_many(
            [
                NewSubscription(chat_id, chat_type, topics, Schedule(), language)
                for chat_id in chats
            ],
            now=since or an_hour_ago(),
            zone=ALMATY,
        )
        await session.commit()


class SentCounter:
    """Messages the emulator stored, per chat, as they happen."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        self.per_chat: Counter[int] = Counter()
        self.total = 0
        self._watchers: list[tuple[int, Callable[[], None]]] = []
        emulator.subscribe(self._on_event)

    def _on_event(self, event: EmulatorEvent) -> None:
        if event.kind is EventKind.SENT and event.chat is not None:
            self.per_chat[event.chat.id] += 1
            self.total += 1
            for threshold, callback in self._watchers:
                if self.total == threshold:
                    callback()

    def when(self, total: int, callback: Callable[[], None]) -> None:
        self._watchers.append((total, callback))


async def deliveries_per_chat(factory: Factory) -> Counter[int]:
    async with factory() as session:
        return await DeliveryRepository(session).periods_per_chat()
