"""Subscriptions and deliveries in the store: a period is claimed once, whatever runs the
claim and however often; marks are fenced by the claim; what a dead sender left is
recovered without a second send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Topic
from bot.domain.schedule import Frequency, Schedule, zone_for
from bot.storage.models import SubscriptionRecord
from bot.storage.subscriptions import (
    Delivery,
    DeliveryRepository,
    DeliveryState,
    NewSubscription,
    SendingMark,
    SentMark,
    SubscriptionRepository,
)

ALMATY = zone_for("Asia/Almaty")
LEASE = timedelta(minutes=10)
SETTLE = timedelta(seconds=5)
# Wednesday 12 March 2025, 10:00 in Almaty: the 09:00 slot has come.
WEDNESDAY_10 = datetime(2025, 3, 12, 5, tzinfo=UTC)
WEDNESDAY = datetime(2025, 3, 11, 19, tzinfo=UTC)  # the local day's start
TUESDAY = datetime(2025, 3, 10, 19, tzinfo=UTC)

Factory = async_sessionmaker[AsyncSession]


async def add(factory: Factory, *chats: int, at: datetime, **fields: object) -> None:
    async with factory() as session:
        await SubscriptionRepository(session).add_many(
            [NewSubscription(chat_id, **fields) for chat_id in chats],  # type: ignore[arg-type]
            now=at,
            zone=ALMATY,
        )
        await session.commit()


async def claim(
    factory: Factory, token: str, now: datetime, *, force: bool = False, limit: int = 100
) -> list[Delivery]:
    async with factory() as session:
        claimed = await DeliveryRepository(session).claim_due(
            token, now=now, zone=ALMATY, limit=limit, lease=LEASE, settle=SETTLE, force=force
        )
        await session.commit()
    return claimed


async def subscription(factory: Factory, chat_id: int) -> SubscriptionRecord:
    async with factory() as session:
        record = await session.get(SubscriptionRecord, chat_id)
        assert record is not None
        return record


async def test_a_due_period_is_claimed_once(session_factory: Factory) -> None:
    await add(session_factory, 1, 2, 3, at=WEDNESDAY_10 - timedelta(days=1))
    first = await claim(session_factory, "a/0", WEDNESDAY_10)
    assert sorted(d.chat_id for d in first) == [1, 2, 3]
    assert {d.period_start for d in first} == {WEDNESDAY}
    assert {d.window_to for d in first} == {WEDNESDAY_10 - SETTLE}
    assert all(d.state is DeliveryState.PENDING and d.claimed_by == "a/0" for d in first)
    # Another sender, a restart, the same sender again: nothing more to claim.
    assert await claim(session_factory, "b/0", WEDNESDAY_10) == []
    assert await claim(session_factory, "a/1", WEDNESDAY_10 + timedelta(hours=5)) == []
    moved = await subscription(session_factory, 1)
    assert moved.next_due_at is not None
    assert moved.next_due_at.replace(tzinfo=UTC) == datetime(2025, 3, 13, 4, tzinfo=UTC)


async def test_not_due_before_the_hour_unless_forced(session_factory: Factory) -> None:
    await add(session_factory, 1, at=WEDNESDAY_10 - timedelta(hours=2))  # 08:00
    early = WEDNESDAY_10 - timedelta(hours=1, minutes=30)  # 08:30, before today's 09:00
    assert await claim(session_factory, "a/0", early) == []
    forced = await claim(session_factory, "a/1", early, force=True)
    assert [d.period_start for d in forced] == [WEDNESDAY]
    # Today's slot then finds the period taken; so does a second `--now`.
    assert await claim(session_factory, "a/2", WEDNESDAY_10) == []
    assert await claim(session_factory, "a/3", WEDNESDAY_10, force=True) == []


async def test_missed_slots_make_one_digest(session_factory: Factory) -> None:
    await add(session_factory, 1, at=WEDNESDAY_10 - timedelta(days=5))
    claimed = await claim(session_factory, "a/0", WEDNESDAY_10)
    assert [d.period_start for d in claimed] == [WEDNESDAY]
    assert claimed[0].window_from == WEDNESDAY_10 - timedelta(days=5)


async def test_a_period_held_elsewhere_is_not_claimed_again(session_factory: Factory) -> None:
    """Even if a subscription still looks due (its row was restored, or another process
    raced it), the unique key refuses a second delivery and leaves the cursor alone."""
    await add(session_factory, 1, at=WEDNESDAY_10 - timedelta(days=1))
    [first] = await claim(session_factory, "a/0", WEDNESDAY_10)
    async with session_factory() as session:
        await session.execute(
            update(SubscriptionRecord)
            .where(SubscriptionRecord.chat_id == 1)
            .values(last_period=TUESDAY, next_due_at=WEDNESDAY_10, cursor=first.window_from)
        )
        await session.commit()
    assert await claim(session_factory, "b/0", WEDNESDAY_10) == []
    record = await subscription(session_factory, 1)
    assert record.cursor.replace(tzinfo=UTC) == first.window_from
    assert record.last_period is not None
    assert record.last_period.replace(tzinfo=UTC) == WEDNESDAY


async def test_weekly_and_topics_are_kept(session_factory: Factory) -> None:
    await add(
        session_factory,
        7,
        at=WEDNESDAY_10 - timedelta(days=9),
        topics=(Topic.ZONES, Topic.CARGO),
        schedule=Schedule(Frequency.WEEKLY, 8 * 60),
        chat_type="supergroup",
        language="kk",
    )
    [delivery] = await claim(session_factory, "a/0", WEDNESDAY_10)
    assert delivery.topics == (Topic.ZONES, Topic.CARGO)
    assert delivery.language == "kk"
    assert delivery.is_group
    assert delivery.period_start == datetime(2025, 3, 9, 19, tzinfo=UTC)  # Monday


async def test_marks_are_fenced_by_the_claim(session_factory: Factory) -> None:
    await add(session_factory, 1, 2, at=WEDNESDAY_10 - timedelta(days=1))
    one, two = await claim(session_factory, "a/0", WEDNESDAY_10)
    lease = WEDNESDAY_10 + LEASE
    async with session_factory() as session:
        deliveries = DeliveryRepository(session)
        marked = await deliveries.mark_sending(
            [
                SendingMark(one.id, "a/0", 0, 1, lease),
                SendingMark(two.id, "someone else", 0, 1, lease),
            ]
        )
        assert marked == {one.id}
        # Marking the same part twice is refused: it may already be on its way.
        assert await deliveries.mark_sending([SendingMark(one.id, "a/0", 0, 1, lease)]) == set()
        await deliveries.mark_sent([SentMark(one.id, "a/0", 0, 1, WEDNESDAY_10)])
        await session.commit()
        [sent] = await deliveries.for_chat(1)
        [untouched] = await deliveries.for_chat(2)
    assert sent.state is DeliveryState.SENT and sent.parts_sent == 1 and sent.claimed_by is None
    assert untouched.state is DeliveryState.PENDING


async def test_what_a_dead_sender_left_is_settled_without_a_resend(
    session_factory: Factory,
) -> None:
    await add(session_factory, 1, 2, 3, at=WEDNESDAY_10 - timedelta(days=1))
    one, two, three = await claim(session_factory, "a/0", WEDNESDAY_10)
    lease = WEDNESDAY_10 + LEASE
    async with session_factory() as session:
        deliveries = DeliveryRepository(session)
        # One message of one part in flight; the first of two parts of another in flight.
        await deliveries.mark_sending(
            [SendingMark(one.id, "a/0", 0, 1, lease), SendingMark(two.id, "a/0", 0, 2, lease)]
        )
        await session.commit()
    later = lease + timedelta(seconds=1)
    async with session_factory() as session:
        deliveries = DeliveryRepository(session)
        assert await deliveries.settle_interrupted(now=later) == 2
        await session.commit()
        [settled] = await deliveries.for_chat(1)
        [halfway] = await deliveries.for_chat(2)
    assert settled.state is DeliveryState.SENT and settled.uncertain
    assert halfway.state is DeliveryState.PENDING and halfway.parts_sent == 1
    assert halfway.uncertain and halfway.claimed_by is None
    # What was claimed and never started goes to the next sender after the lease: the
    # untouched one and the rest of the half-sent one.
    async with session_factory() as session:
        taken = await DeliveryRepository(session).reclaim("b/0", now=later, limit=10, lease=LEASE)
        await session.commit()
    assert sorted(d.id for d in taken) == sorted([two.id, three.id])


async def test_a_stopping_sender_hands_back_its_claims(session_factory: Factory) -> None:
    await add(session_factory, 1, 2, at=WEDNESDAY_10 - timedelta(days=1))
    await claim(session_factory, "run.1/0", WEDNESDAY_10)
    async with session_factory() as session:
        deliveries = DeliveryRepository(session)
        assert await deliveries.reclaim("b/0", now=WEDNESDAY_10, limit=10, lease=LEASE) == []
        assert await deliveries.release("run.1/") == 2
        taken = await deliveries.reclaim("b/0", now=WEDNESDAY_10, limit=10, lease=LEASE)
        await session.commit()
    assert len(taken) == 2 and {d.claimed_by for d in taken} == {"b/0"}


async def test_a_gone_chat_loses_its_subscription(session_factory: Factory) -> None:
    await add(session_factory, 1, at=WEDNESDAY_10 - timedelta(days=1))
    [delivery] = await claim(session_factory, "a/0", WEDNESDAY_10)
    async with session_factory() as session:
        deliveries = DeliveryRepository(session)
        assert await deliveries.finish(
            delivery, DeliveryState.GONE, now=WEDNESDAY_10, error="bot was blocked by the user"
        )
        await session.commit()
        current = await SubscriptionRepository(session).get(1)
    assert current is not None and not current.active and current.next_due_at is None
    assert current.deactivated_reason == "bot was blocked by the user"


async def test_a_failed_digest_gives_its_facts_to_the_next_one(session_factory: Factory) -> None:
    subscribed = WEDNESDAY_10 - timedelta(days=1)
    await add(session_factory, 1, 2, at=subscribed)
    failed, later = await claim(session_factory, "a/0", WEDNESDAY_10)
    async with session_factory() as session:
        deliveries = DeliveryRepository(session)
        assert await deliveries.finish(failed, DeliveryState.FAILED, now=WEDNESDAY_10, error="x")
        await session.commit()
    # Chat 1's next digest starts where the failed one did; chat 2's where its own ended.
    thursday_10 = WEDNESDAY_10 + timedelta(days=1)
    nexts = {d.chat_id: d for d in await claim(session_factory, "a/1", thursday_10)}
    assert nexts[1].window_from == failed.window_from == subscribed
    assert nexts[2].window_from == later.window_to
    # Once a later digest was claimed, a failure of the earlier one leaves the cursor alone.
    async with session_factory() as session:
        assert await DeliveryRepository(session).finish(
            later, DeliveryState.FAILED, now=thursday_10, error="x"
        )
        await session.commit()
    assert (await subscription(session_factory, 2)).cursor.replace(tzinfo=UTC) == nexts[2].window_to


async def test_a_deferred_delivery_waits_for_its_time(session_factory: Factory) -> None:
    await add(session_factory, 1, at=WEDNESDAY_10 - timedelta(days=1))
    [delivery] = await claim(session_factory, "a/0", WEDNESDAY_10)
    retry_at = WEDNESDAY_10 + timedelta(minutes=5)
    async with session_factory() as session:
        deliveries = DeliveryRepository(session)
        assert await deliveries.defer(delivery, "Internal Server Error", until=retry_at)
        assert await deliveries.reclaim("b/0", now=WEDNESDAY_10, limit=10, lease=LEASE) == []
        assert await SubscriptionRepository(session).next_due_at() == retry_at
        [again] = await deliveries.reclaim("b/1", now=retry_at, limit=10, lease=LEASE)
        await session.commit()
    assert again.id == delivery.id and again.claimed_by == "b/1"


async def test_subscribing_again_starts_afresh_and_changes_keep_the_cursor(
    session_factory: Factory,
) -> None:
    start = WEDNESDAY_10 - timedelta(days=3)
    async with session_factory() as session:
        subscriptions = SubscriptionRepository(session)
        first = await subscriptions.subscribe(NewSubscription(5), now=start, zone=ALMATY)
        changed = await subscriptions.subscribe(
            NewSubscription(5, schedule=Schedule(Frequency.DAILY, 18 * 60)),
            now=WEDNESDAY_10,
            zone=ALMATY,
        )
        assert changed.cursor == first.cursor == start
        assert changed.next_due_at == datetime(2025, 3, 12, 13, tzinfo=UTC)  # 18:00 today
        assert await subscriptions.deactivate(5, "unsubscribed")
        assert not await subscriptions.deactivate(5, "unsubscribed")
        renewed = await subscriptions.subscribe(NewSubscription(5), now=WEDNESDAY_10, zone=ALMATY)
        await session.commit()
    assert renewed.active and renewed.cursor == WEDNESDAY_10


async def test_concurrent_claims_skip_each_others_rows(session_factory: Factory) -> None:
    """On PostgreSQL several processes claim at once: an open claim's rows are skipped,
    not waited for, by the next claimer."""
    async with session_factory() as probe:
        if probe.get_bind().dialect.name != "postgresql":
            pytest.skip("row locks across transactions are PostgreSQL's")
    await add(session_factory, 1, 2, 3, 4, at=WEDNESDAY_10 - timedelta(days=1))
    async with session_factory() as first, session_factory() as second:
        mine = await DeliveryRepository(first).claim_due(
            "a/0", now=WEDNESDAY_10, zone=ALMATY, limit=2, lease=LEASE, settle=SETTLE
        )
        theirs = await DeliveryRepository(second).claim_due(
            "b/0", now=WEDNESDAY_10, zone=ALMATY, limit=10, lease=LEASE, settle=SETTLE
        )
        await first.commit()
        await second.commit()
    assert len(mine) == 2 and len(theirs) == 2
    assert {d.chat_id for d in mine}.isdisjoint({d.chat_id for d in theirs})
