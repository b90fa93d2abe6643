"""The fan-out against the local Bot API emulator, which enforces Telegram's limits and
fails requests on cue: every subscriber gets each digest exactly once, none is lost,
chats that are gone lose their subscription, and nothing goes over a limit."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.utils.i18n import I18n

from bot.app.dispatcher import create_bot
from bot.domain import Topic
from bot.features.digests.fanout import FanoutConfig
from bot.features.sending.limiter import ScaledClock
from bot.storage.subscriptions import DeliveryRepository, DeliveryState, SubscriptionRepository
from tests.digests.conftest import (
    Factory,
    SentCounter,
    deliveries_per_chat,
    make_fanout,
    subscribe,
)
from tests.factories import Document, make_fact, make_meta, store_documents
from tests.handlers.answers import assert_valid
from tests.handlers.harness import close_bot
from tools.emulator import (
    EmulatorConfig,
    FaultKind,
    MemberStatus,
    RateLimits,
    TelegramEmulator,
)


async def test_every_subscriber_gets_each_digest_once_through_faults_and_limits(
    emulator: TelegramEmulator,
    bot: Bot,
    seeded_session_factory: Factory,
    i18n: I18n,
    clock: ScaledClock,
) -> None:
    users = [emulator.create_user(f"u{n}") for n in range(40)]
    owner = emulator.create_user("Owner")
    groups = [emulator.create_group(f"g{n}", creator=owner, supergroup=True) for n in range(3)]
    for group in groups:
        emulator.add_bot_to_group(owner, group)
    # Half of them want everything (a digest of several messages), half only jobs.
    everything = [u.id for u in users[:20]] + [g.id for g in groups]
    jobs_only = [u.id for u in users[20:]]
    await subscribe(seeded_session_factory, [u.id for u in users[:20]])
    await subscribe(seeded_session_factory, [g.id for g in groups], chat_type="supergroup")
    await subscribe(seeded_session_factory, jobs_only, topics=(Topic.JOBS,), language="kk")

    flooded, failing, timing_out, blocked, missing, kicked_from = (
        users[0].id,
        users[1].id,
        users[21].id,
        users[2].id,
        users[22].id,
        groups[2],
    )
    emulator.faults.add(FaultKind.RETRY_AFTER, method="sendMessage", chat_id=flooded, times=2)
    emulator.faults.add(FaultKind.SERVER_ERROR, method="sendMessage", chat_id=failing, times=2)
    emulator.faults.add(FaultKind.TIMEOUT, method="sendMessage", chat_id=timing_out, times=2)
    emulator.faults.add(FaultKind.FORBIDDEN, method="sendMessage", chat_id=blocked, times=None)
    emulator.faults.add(FaultKind.CHAT_NOT_FOUND, method="sendMessage", chat_id=missing, times=None)
    emulator.set_member(kicked_from, emulator.bot.user, MemberStatus.KICKED)
    gone = {blocked, missing, kicked_from.id}

    counter = SentCounter(emulator)
    report = await make_fanout(bot, seeded_session_factory, i18n, clock).run(force=True)

    # A digest is as many messages as its text takes: what a subscriber that met no fault
    # got is what every subscriber of the same topics and language must get, once.
    whole, jobs = counter.per_chat[users[5].id], counter.per_chat[users[25].id]
    assert whole >= 2 and jobs >= 1
    for chat in (users[5], users[25]):
        texts = [message.text for message in emulator.sent_messages(chat)]
        assert len(set(texts)) == len(texts)  # no page of the digest sent twice
    expected = {chat: whole for chat in everything} | {chat: jobs for chat in jobs_only}
    for chat in gone:
        expected.pop(chat)
    assert dict(counter.per_chat) == expected
    assert emulator.violations == []
    assert report.gone == 3 and sorted(report.chats_gone) == sorted(gone)
    assert report.digests == len(expected) and report.failed == report.deferred == 0
    assert report.retries >= 6  # two 429s, two 500s, two timeouts

    # In the subscriber's language, whole, in order: page 1, 2 … and the buttons under the
    # last one.
    pages = emulator.sent_messages(users[3])
    assert assert_valid(pages[0]).startswith("📬 Дайджест · Карагандинская область")
    for number, page in enumerate(pages, start=1):
        assert f"Страница {number} из {len(pages)}" in page.content
    assert pages[-1].reply_markup is not None
    assert all(page.reply_markup is None for page in pages[:-1])
    [kazakh, *_] = emulator.sent_messages(users[30])
    assert assert_valid(kazakh).startswith("📬 Дайджест · Қарағанды облысы")
    assert "👷" in kazakh.content and "💼" not in kazakh.content

    async with seeded_session_factory() as session:
        states = await DeliveryRepository(session).count_by_state()
        subscriptions = SubscriptionRepository(session)
        for chat in gone:
            current = await subscriptions.get(chat)
            assert current is not None and not current.active
    assert states == Counter({DeliveryState.SENT: len(expected), DeliveryState.GONE: 3})

    # The next run finds nothing due and sends nothing.
    again = await make_fanout(bot, seeded_session_factory, i18n, clock).run(force=True)
    assert again.messages == 0 and counter.total == sum(expected.values())


async def test_a_long_digest_keeps_a_groups_pace(
    seeded_session_factory: Factory, i18n: I18n
) -> None:
    """Twenty-odd messages of one digest to one group: one a second, twenty a minute, in
    order, and the emulator (enforcing the limits) sees no excess."""
    fast = ScaledClock(200)
    config = EmulatorConfig(limits=RateLimits(enforce=True), clock=fast.now)
    async with TelegramEmulator(config) as emulator:
        owner = emulator.create_user("Owner")
        group = emulator.create_group("newsroom", creator=owner, supergroup=True)
        emulator.add_bot_to_group(owner, group)
        await subscribe(seeded_session_factory, [group.id], chat_type="supergroup")
        await store_documents(seeded_session_factory, [many_facts(900)])
        bot = create_bot(emulator.token, api_url=emulator.base_url)
        try:
            report = await make_fanout(bot, seeded_session_factory, i18n, fast).run(force=True)
        finally:
            await close_bot(bot)
        sent = emulator.sent_messages(group)
        assert report.messages == len(sent) > 20
        pages = [int(re.findall(r"(\d+) из \d+", m.content)[-1]) for m in sent]
        assert pages == list(range(1, len(sent) + 1))
        assert emulator.violations == []
        times = [call.at for call in emulator.calls("sendMessage")]
        assert times[20] - times[0] >= 60


def many_facts(count: int) -> Document:
    return Document(
        make_meta("900_many.txt", published=date(2025, 12, 1)),
        [
            make_fact(
                topic=Topic.PRODUCTION,
                subject=f"Предприятие № {n}",
                entity_key=None,
                metric="units_produced",
                value=1000 + n,
                unit="units",
                quote=f"Предприятие № {n} выпустило {1000 + n} единиц продукции.",
            )
            for n in range(count)
        ],
    )


async def test_a_lost_answer_can_repeat_a_message_as_on_telegram(
    emulator: TelegramEmulator,
    bot: Bot,
    seeded_session_factory: Factory,
    i18n: I18n,
    clock: ScaledClock,
) -> None:
    """The residual case Telegram itself leaves open: the message arrived but its answer
    was lost (a timeout after delivery). A retry repeats it; nothing else can, since the
    Bot API has no idempotency key. The store still holds one delivery."""
    user = emulator.create_user("Dana")
    await subscribe(seeded_session_factory, [user.id], topics=(Topic.JOBS,))
    emulator.faults.add(
        FaultKind.TIMEOUT, method="sendMessage", chat_id=user.id, after_delivery=True
    )
    report = await make_fanout(bot, seeded_session_factory, i18n, clock).run(force=True)
    assert len(emulator.sent_messages(user)) == 2
    assert report.digests == 1
    assert await deliveries_per_chat(seeded_session_factory) == Counter({user.id: 1})


async def test_nothing_new_sends_nothing(
    emulator: TelegramEmulator,
    bot: Bot,
    seeded_session_factory: Factory,
    i18n: I18n,
    clock: ScaledClock,
) -> None:
    user = emulator.create_user("Dana")
    await subscribe(seeded_session_factory, [user.id], since=datetime.now(UTC))
    report = await make_fanout(bot, seeded_session_factory, i18n, clock).run(force=True)
    assert report.empty == 1 and report.messages == 0
    assert emulator.sent_messages(user) == []
    assert await deliveries_per_chat(seeded_session_factory) == Counter({user.id: 1})


async def test_a_message_that_keeps_failing_is_deferred_not_lost(
    emulator: TelegramEmulator,
    bot: Bot,
    seeded_session_factory: Factory,
    i18n: I18n,
    clock: ScaledClock,
) -> None:
    users = [emulator.create_user(f"u{n}") for n in range(3)]
    await subscribe(seeded_session_factory, [u.id for u in users], topics=(Topic.JOBS,))
    emulator.faults.add(
        FaultKind.SERVER_ERROR, method="sendMessage", chat_id=users[0].id, times=None
    )
    emulator.faults.add(FaultKind.SERVER_ERROR, method="sendMessage", chat_id=users[1].id)
    report = await make_fanout(bot, seeded_session_factory, i18n, clock).run(force=True)
    # Four tries, then deferred for later; the others are not held up.
    assert report.deferred == 1 and report.digests == 2
    assert emulator.sent_messages(users[0]) == []
    assert [len(emulator.sent_messages(u)) for u in users[1:]] == [1, 1]
    # Deferred, not lost: it goes out with a run after its time, once the API answers.
    emulator.faults.clear()
    later = make_fanout(
        bot,
        seeded_session_factory,
        i18n,
        clock,
        now=lambda: datetime.now(UTC) + timedelta(minutes=6),
    )
    assert (await later.run()).digests == 1
    assert len(emulator.sent_messages(users[0])) == 1


async def test_a_refused_message_fails_only_its_digest(
    emulator: TelegramEmulator,
    bot: Bot,
    seeded_session_factory: Factory,
    i18n: I18n,
    clock: ScaledClock,
) -> None:
    users = [emulator.create_user(f"u{n}") for n in range(2)]
    await subscribe(seeded_session_factory, [u.id for u in users], topics=(Topic.JOBS,))
    bot.session.middleware(RefuseIn(users[0].id))
    report = await make_fanout(bot, seeded_session_factory, i18n, clock).run(force=True)
    assert report.failed == 1 and report.digests == 1
    async with seeded_session_factory() as session:
        [failed] = await DeliveryRepository(session).for_chat(users[0].id)
        subscription = await SubscriptionRepository(session).get(users[0].id)
    assert failed.state is DeliveryState.FAILED
    assert subscription is not None and subscription.active


class RefuseIn(BaseRequestMiddleware):
    """Telegram refusing a message in one chat as malformed (400, not about the chat)."""

    def __init__(self, chat_id: int) -> None:
        self.chat_id = chat_id

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if getattr(method, "chat_id", None) == self.chat_id:
            raise TelegramBadRequest(method, "Bad Request: can't parse entities")
        return await make_request(bot, method)


async def test_two_senders_at_once_send_each_digest_once(
    emulator: TelegramEmulator,
    bot: Bot,
    seeded_session_factory: Factory,
    i18n: I18n,
    clock: ScaledClock,
) -> None:
    """Two processes sending for the bot (here two fan-outs at once): whichever claims a
    subscriber's period sends its digest, and nobody gets one twice."""
    users = [emulator.create_user(f"u{n}") for n in range(60)]
    await subscribe(seeded_session_factory, [u.id for u in users], topics=(Topic.JOBS,))
    config = FanoutConfig(batch=10, settle=timedelta(0))
    senders = [
        make_fanout(bot, seeded_session_factory, i18n, clock, config=config) for _ in range(2)
    ]
    one, two = await asyncio.gather(*(sender.run(force=True) for sender in senders))
    assert one.digests + two.digests == len(users)
    assert [len(emulator.sent_messages(u)) for u in users] == [1] * len(users)
    assert await deliveries_per_chat(seeded_session_factory) == Counter({u.id: 1 for u in users})
