"""Subscriptions and digest deliveries: the SQL behind the exactly-once protocol.

Every datetime goes in as aware UTC and comes out as aware UTC (SQLite keeps no zone).
Row locks (`FOR UPDATE SKIP LOCKED`) let several processes claim from one PostgreSQL
store without waiting on each other; SQLite, which has one writer anyway, ignores them.
The unique key (chat, period) is what finally makes a second claim of a period impossible.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import MAIN_TOPICS, Topic
from bot.domain.schedule import (
    Frequency,
    Schedule,
    as_utc,
    due_period,
    next_slot,
    period_start,
)
from bot.storage.models import ChatRecord, DeliveryRecord, SubscriptionRecord

ALL_TOPICS = "all"
PRIVATE = "private"
GROUP_TYPES = frozenset({"group", "supergroup"})


def encode_topics(topics: Iterable[Topic]) -> str:
    chosen = set(topics)
    if chosen >= set(MAIN_TOPICS):
        return ALL_TOPICS
    return ",".join(topic.value for topic in MAIN_TOPICS if topic in chosen)


def decode_topics(text: str) -> tuple[Topic, ...]:
    if text == ALL_TOPICS:
        return MAIN_TOPICS
    chosen = {Topic(part) for part in text.split(",") if part}
    return tuple(topic for topic in MAIN_TOPICS if topic in chosen)


class DeliveryState(StrEnum):
    PENDING = "pending"  # claimed, nothing of the current part has left
    SENDING = "sending"  # the current part's request may have left
    SENT = "sent"
    EMPTY = "empty"  # nothing new: nothing sent, the period is used
    GONE = "gone"  # the chat blocked or removed the bot; subscription deactivated
    FAILED = "failed"  # Telegram refused it, or it kept failing


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    chat_type: str
    topics: tuple[Topic, ...]
    schedule: Schedule
    language: str
    active: bool
    cursor: datetime
    last_period: datetime | None
    next_due_at: datetime | None
    deactivated_reason: str | None = None


@dataclass(frozen=True, slots=True)
class NewSubscription:
    chat_id: int
    chat_type: str = PRIVATE
    topics: tuple[Topic, ...] = MAIN_TOPICS
    schedule: Schedule = field(default_factory=Schedule)
    language: str = "ru"


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    chat_id: int
    chat_type: str
    period_start: datetime
    topics: tuple[Topic, ...]
    language: str
    window_from: datetime
    window_to: datetime
    state: DeliveryState
    parts_total: int | None
    parts_sent: int
    attempts: int
    uncertain: bool
    claimed_by: str | None

    @property
    def is_group(self) -> bool:
        return self.chat_type in GROUP_TYPES


@dataclass(frozen=True, slots=True)
class SendingMark:
    delivery_id: int
    token: str
    part: int
    parts_total: int
    lease_until: datetime


@dataclass(frozen=True, slots=True)
class SentMark:
    delivery_id: int
    token: str
    part: int
    parts_total: int
    at: datetime


# The two changes every message makes, built once and run for a batch of deliveries at a
# time: a batch of messages costs a few statements, not a few per message.
_DELIVERIES = cast(Table, DeliveryRecord.__table__)
_SUBSCRIPTIONS = cast(Table, SubscriptionRecord.__table__)
# A claimed subscriber moves on to its next period, its cursor to the claimed window's end.
_MOVE_ON = (
    update(_SUBSCRIPTIONS)
    .where(_SUBSCRIPTIONS.c.chat_id == bindparam("b_chat"))
    .values(
        last_period=bindparam("b_last"),
        next_due_at=bindparam("b_next"),
        cursor=bindparam("b_cursor"),
    )
)
_MOVE_PAST = (
    update(_SUBSCRIPTIONS)
    .where(_SUBSCRIPTIONS.c.chat_id == bindparam("b_chat"))
    .values(last_period=bindparam("b_last"), next_due_at=bindparam("b_next"))
)

# A delivery is held by a claim token until it is final; a part is identified by how many
# parts were sent before it. The primary key finds the rows, so no index on the state or
# the token is needed (on SQLite one would be chosen over it and scan every pending row).
_FENCE = (
    _DELIVERIES.c.id.in_(bindparam("ids", expanding=True)),
    _DELIVERIES.c.claimed_by == bindparam("token"),
    _DELIVERIES.c.parts_sent == bindparam("part"),
)
_MARK_SENDING = (
    update(_DELIVERIES)
    .where(*_FENCE, _DELIVERIES.c.state != DeliveryState.SENDING.value)
    .values(
        state=DeliveryState.SENDING.value,
        parts_total=bindparam("total"),
        lease_until=bindparam("lease"),
    )
    .returning(_DELIVERIES.c.id)
)
_PART_SENT_DONE = (
    update(_DELIVERIES)
    .where(*_FENCE, _DELIVERIES.c.state == DeliveryState.SENDING.value)
    .values(
        state=DeliveryState.SENT.value,
        parts_sent=_DELIVERIES.c.parts_sent + 1,
        sent_at=bindparam("at"),
        claimed_by=None,
        lease_until=None,
        error=None,
    )
)
_PART_SENT_MORE = (
    update(_DELIVERIES)
    .where(*_FENCE, _DELIVERIES.c.state == DeliveryState.SENDING.value)
    .values(
        state=DeliveryState.PENDING.value,
        parts_sent=_DELIVERIES.c.parts_sent + 1,
        error=None,
    )
)


def _subscription(record: Any) -> Subscription:
    """From an ORM record or a row of the subscriptions table."""
    return Subscription(
        chat_id=record.chat_id,
        chat_type=record.chat_type,
        topics=decode_topics(record.topics),
        schedule=Schedule(Frequency(record.frequency), record.minute_of_day, record.weekday),
        language=record.language,
        active=record.active,
        cursor=as_utc(record.cursor),
        last_period=as_utc(record.last_period) if record.last_period else None,
        next_due_at=as_utc(record.next_due_at) if record.next_due_at else None,
        deactivated_reason=record.deactivated_reason,
    )


def _delivery(record: DeliveryRecord) -> Delivery:
    return Delivery(
        id=record.id,
        chat_id=record.chat_id,
        chat_type=record.chat_type,
        period_start=as_utc(record.period_start),
        topics=decode_topics(record.topics),
        language=record.language,
        window_from=as_utc(record.window_from),
        window_to=as_utc(record.window_to),
        state=DeliveryState(record.state),
        parts_total=record.parts_total,
        parts_sent=record.parts_sent,
        attempts=record.attempts,
        uncertain=record.uncertain,
        claimed_by=record.claimed_by,
    )


def _planned_delivery(delivery_id: int, plan: dict[str, Any]) -> Delivery:
    """The delivery a claim just inserted, as its row now reads."""
    return Delivery(
        id=delivery_id,
        chat_id=plan["chat_id"],
        chat_type=plan["chat_type"],
        period_start=plan["period_start"],
        topics=decode_topics(plan["topics"]),
        language=plan["language"],
        window_from=plan["window_from"],
        window_to=plan["window_to"],
        state=DeliveryState.PENDING,
        parts_total=None,
        parts_sent=0,
        attempts=0,
        uncertain=False,
        claimed_by=plan["claimed_by"],
    )


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, chat_id: int) -> Subscription | None:
        record = await self._session.get(SubscriptionRecord, chat_id)
        return _subscription(record) if record else None

    async def subscribe(self, new: NewSubscription, *, now: datetime, zone: tzinfo) -> Subscription:
        """Creates or changes a chat's subscription. A new or renewed one starts from `now`:
        its first digest holds what is added from then on. A change keeps the cursor and
        never brings a second digest into a period that already had one."""
        now = as_utc(now)
        record = await self._session.get(SubscriptionRecord, new.chat_id)
        if record is None:
            record = SubscriptionRecord(chat_id=new.chat_id, last_period=None)
            self._session.add(record)
        if record.active is not True:
            record.cursor = now
        record.chat_type = new.chat_type
        record.topics = encode_topics(new.topics)
        record.frequency = new.schedule.frequency.value
        record.minute_of_day = new.schedule.minute_of_day
        record.weekday = new.schedule.weekday
        record.language = new.language
        record.active = True
        record.deactivated_reason = None
        last = as_utc(record.last_period) if record.last_period else None
        record.next_due_at = next_slot(new.schedule, now, zone, last)
        await self._session.flush()
        return _subscription(record)

    async def deactivate(self, chat_id: int, reason: str) -> bool:
        """Turns the chat's subscription off; False when there was none active."""
        result = await self._session.execute(
            update(SubscriptionRecord)
            .where(SubscriptionRecord.chat_id == chat_id, SubscriptionRecord.active.is_(True))
            .values(active=False, next_due_at=None, deactivated_reason=reason)
        )
        return bool(_rowcount(result))

    async def add_many(
        self, subscriptions: Sequence[NewSubscription], *, now: datetime, zone: tzinfo
    ) -> None:
        """Bulk insert of new subscriptions (operators' imports, tests, benchmarks)."""
        now = as_utc(now)
        if not subscriptions:
            return
        await self._session.execute(
            insert(SubscriptionRecord),
            [
                {
                    "chat_id": new.chat_id,
                    "chat_type": new.chat_type,
                    "topics": encode_topics(new.topics),
                    "frequency": new.schedule.frequency.value,
                    "minute_of_day": new.schedule.minute_of_day,
                    "weekday": new.schedule.weekday,
                    "language": new.language,
                    "active": True,
                    "cursor": now,
                    "last_period": None,
                    "next_due_at": next_slot(new.schedule, now, zone),
                }
                for new in subscriptions
            ],
        )

    async def next_due_at(self) -> datetime | None:
        """When something is next due: a subscriber's slot or a deferred delivery."""
        slot = await self._session.scalar(
            select(func.min(SubscriptionRecord.next_due_at)).where(
                SubscriptionRecord.active.is_(True)
            )
        )
        retry = await self._session.scalar(
            select(func.min(DeliveryRecord.next_attempt_at)).where(
                DeliveryRecord.state == DeliveryState.PENDING.value
            )
        )
        found = [as_utc(moment) for moment in (slot, retry) if moment is not None]
        return min(found) if found else None

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its subscription and deliveries follow the new id
        (unless the new chat has a subscription of its own, which then wins)."""
        if await self._session.get(SubscriptionRecord, new_chat_id) is not None:
            await self.deactivate(old_chat_id, "migrated")
            return
        await self._session.execute(
            update(SubscriptionRecord)
            .where(SubscriptionRecord.chat_id == old_chat_id)
            .values(chat_id=new_chat_id, chat_type="supergroup")
        )


class DeliveryRepository:
    """Claims and state changes of deliveries. Every change after the claim is fenced by
    the claim token: a holder whose claim was taken over changes nothing (and sends
    nothing, since it sends only after its `sending` mark was applied)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- claiming ---------------------------------------------------------------------

    async def claim_due(
        self,
        token: str,
        *,
        now: datetime,
        zone: tzinfo,
        limit: int,
        lease: timedelta,
        settle: timedelta,
        force: bool = False,
    ) -> list[Delivery]:
        """Claims the digests of up to `limit` due subscribers: one delivery row each, for
        the period its digest belongs to, and the subscription moved past that period.

        The digest's window is fixed here — facts added after the subscriber's cursor and
        at least `settle` ago, so that facts of a transaction still open are not skipped.
        """
        now = as_utc(now)
        active = SubscriptionRecord.active.is_(True)
        if force:
            day = period_start(Schedule(Frequency.DAILY), now, zone)
            week = period_start(Schedule(Frequency.WEEKLY), now, zone)
            due = or_(
                SubscriptionRecord.last_period.is_(None),
                and_(
                    SubscriptionRecord.frequency == Frequency.DAILY.value,
                    SubscriptionRecord.last_period < day,
                ),
                and_(
                    SubscriptionRecord.frequency == Frequency.WEEKLY.value,
                    SubscriptionRecord.last_period < week,
                ),
            )
        else:
            due = SubscriptionRecord.next_due_at <= now
        # Core rather than ORM objects: a claim handles hundreds of rows at a time.
        rows = (
            await self._session.execute(
                select(_SUBSCRIPTIONS, ChatRecord.language.label("chat_language"))
                .outerjoin(ChatRecord, ChatRecord.id == _SUBSCRIPTIONS.c.chat_id)
                .where(active, due)
                .order_by(_SUBSCRIPTIONS.c.next_due_at, _SUBSCRIPTIONS.c.chat_id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=_SUBSCRIPTIONS)
            )
        ).all()
        if not rows:
            return []
        lease_until = now + lease
        plans: dict[int, dict[str, Any]] = {}
        moves: dict[int, dict[str, Any]] = {}
        for row in rows:
            subscription = _subscription(row)
            period = due_period(subscription.schedule, now, zone, force=force)
            window_to = max(subscription.cursor, now - settle)
            plans[subscription.chat_id] = {
                "chat_id": subscription.chat_id,
                "period_start": period,
                "state": DeliveryState.PENDING.value,
                "chat_type": subscription.chat_type,
                "topics": row.topics,
                "language": row.chat_language or subscription.language,
                "window_from": subscription.cursor,
                "window_to": window_to,
                "parts_sent": 0,
                "uncertain": False,
                "attempts": 0,
                "next_attempt_at": now,
                "claimed_by": token,
                "lease_until": lease_until,
            }
            last = max(period, subscription.last_period) if subscription.last_period else period
            moves[subscription.chat_id] = {
                "b_chat": subscription.chat_id,
                "b_last": last,
                "b_next": next_slot(subscription.schedule, now, zone, last),
                "b_cursor": window_to,
            }
        inserted = await self._session.execute(
            self._insert_ignoring_duplicates().returning(_DELIVERIES.c.id, _DELIVERIES.c.chat_id),
            list(plans.values()),
        )
        claimed = [
            _planned_delivery(delivery_id, plans[chat_id]) for delivery_id, chat_id in inserted
        ]
        mine = [moves.pop(delivery.chat_id) for delivery in claimed]
        if mine:
            await self._session.execute(_MOVE_ON, mine)
        if moves:
            # Someone else holds these periods' digests, with their own windows.
            await self._session.execute(_MOVE_PAST, list(moves.values()))
        return sorted(claimed, key=lambda delivery: delivery.id)

    def _insert_ignoring_duplicates(self) -> Any:
        # The dialects' modules are imported here, by the store that needs one: PostgreSQL's
        # is a third of a second and megabytes that a bot on SQLite never uses.
        dialect = self._session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(_DELIVERIES).on_conflict_do_nothing(
                constraint="uq_digest_deliveries_chat_period"
            )
        if dialect == "sqlite":
            from sqlalchemy.dialects import sqlite

            return sqlite.insert(_DELIVERIES).on_conflict_do_nothing(
                index_elements=["chat_id", "period_start"]
            )
        raise NotImplementedError(f"no insert-or-ignore for {dialect}")

    async def reclaim(
        self, token: str, *, now: datetime, limit: int, lease: timedelta
    ) -> list[Delivery]:
        """Claims deliveries left pending — released by a stopped sender, held by one that
        died (its lease ran out), or deferred until now."""
        now = as_utc(now)
        ids = (
            await self._session.scalars(
                select(DeliveryRecord.id)
                .where(
                    DeliveryRecord.state == DeliveryState.PENDING.value,
                    or_(DeliveryRecord.lease_until.is_(None), DeliveryRecord.lease_until < now),
                    DeliveryRecord.next_attempt_at <= now,
                )
                .order_by(DeliveryRecord.next_attempt_at, DeliveryRecord.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not ids:
            return []
        await self._session.execute(
            update(DeliveryRecord)
            .where(DeliveryRecord.id.in_(ids))
            .values(claimed_by=token, lease_until=now + lease)
        )
        return await self._by_ids(list(ids))

    async def settle_interrupted(self, *, now: datetime) -> int:
        """Deliveries whose holder died while a message was in flight: that message may have
        arrived, so it is counted as sent (and flagged), never sent again."""
        now = as_utc(now)
        stale = and_(
            DeliveryRecord.state == DeliveryState.SENDING.value,
            DeliveryRecord.lease_until < now,
        )
        finished = await self._session.execute(
            update(DeliveryRecord)
            .where(
                stale, DeliveryRecord.parts_sent + 1 >= func.coalesce(DeliveryRecord.parts_total, 1)
            )
            .values(
                state=DeliveryState.SENT.value,
                parts_sent=DeliveryRecord.parts_sent + 1,
                uncertain=True,
                claimed_by=None,
                lease_until=None,
                sent_at=now,
            )
        )
        unfinished = await self._session.execute(
            update(DeliveryRecord)
            .where(stale)
            .values(
                state=DeliveryState.PENDING.value,
                parts_sent=DeliveryRecord.parts_sent + 1,
                uncertain=True,
                claimed_by=None,
                lease_until=None,
            )
        )
        return _rowcount(finished) + _rowcount(unfinished)

    async def _by_ids(self, ids: list[int]) -> list[Delivery]:
        if not ids:
            return []
        records = await self._session.scalars(
            select(DeliveryRecord).where(DeliveryRecord.id.in_(ids)).order_by(DeliveryRecord.id)
        )
        return [_delivery(record) for record in records]

    async def renew(self, token_prefix: str, *, until: datetime) -> int:
        """A running sender's sign of life: the leases of everything it holds reach
        `until`. A sender that dies stops renewing, and its claims are free once the
        short lease runs out."""
        result = await self._session.execute(
            update(DeliveryRecord)
            .where(
                DeliveryRecord.claimed_by.startswith(token_prefix, autoescape=True),
                DeliveryRecord.state.in_(
                    (DeliveryState.PENDING.value, DeliveryState.SENDING.value)
                ),
            )
            .values(lease_until=as_utc(until))
        )
        return _rowcount(result)

    async def release(self, token_prefix: str) -> int:
        """A sender that stops hands back what it claimed and did not start."""
        result = await self._session.execute(
            update(DeliveryRecord)
            .where(
                DeliveryRecord.claimed_by.startswith(token_prefix, autoescape=True),
                DeliveryRecord.state == DeliveryState.PENDING.value,
            )
            .values(claimed_by=None, lease_until=None)
        )
        return _rowcount(result)

    # --- state changes, each fenced by the claim token --------------------------------

    async def _change(
        self, delivery: Delivery, states: Iterable[DeliveryState], **values: Any
    ) -> bool:
        result = await self._session.execute(
            update(DeliveryRecord)
            .where(
                DeliveryRecord.id == delivery.id,
                DeliveryRecord.claimed_by == delivery.claimed_by,
                DeliveryRecord.state.in_([state.value for state in states]),
            )
            .values(**values)
        )
        return _rowcount(result) == 1

    async def mark_sending(self, marks: Sequence[SendingMark]) -> set[int]:
        """Committed before each mark's part leaves: from here a crash means "maybe sent".
        Returns the ids of the deliveries marked (a claim taken over is not)."""
        if not marks:
            return set()
        groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
        for mark in marks:
            groups[(mark.token, mark.part, mark.parts_total)].append(mark.delivery_id)
        # Marks that arrive together share the latest of their leases.
        lease_until = as_utc(max(mark.lease_until for mark in marks))
        marked: set[int] = set()
        for (token, part, total), ids in groups.items():
            result = await self._session.execute(
                _MARK_SENDING,
                {"ids": ids, "token": token, "part": part, "total": total, "lease": lease_until},
            )
            marked.update(result.scalars())
        return marked

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        """Recorded as soon as each mark's part was accepted by Telegram."""
        groups: dict[tuple[str, int, bool], list[int]] = defaultdict(list)
        for mark in marks:
            done = mark.part + 1 >= mark.parts_total
            groups[(mark.token, mark.part, done)].append(mark.delivery_id)
        at = as_utc(max((mark.at for mark in marks), default=datetime.now(UTC)))
        for (token, part, done), ids in groups.items():
            params = {"ids": ids, "token": token, "part": part}
            if done:
                await self._session.execute(_PART_SENT_DONE, {**params, "at": at})
            else:
                await self._session.execute(_PART_SENT_MORE, params)

    async def mark_not_sent(self, delivery: Delivery, error: str) -> bool:
        """The request failed in a way that will be retried; the claim is kept."""
        return await self._change(
            delivery,
            [DeliveryState.SENDING],
            state=DeliveryState.PENDING.value,
            attempts=DeliveryRecord.attempts + 1,
            error=error[:500],
        )

    async def defer(self, delivery: Delivery, error: str, *, until: datetime) -> bool:
        """Kept failing for now: released, to be claimed again from `until`."""
        return await self._change(
            delivery,
            [DeliveryState.PENDING, DeliveryState.SENDING],
            state=DeliveryState.PENDING.value,
            claimed_by=None,
            lease_until=None,
            next_attempt_at=as_utc(until),
            error=error[:500],
        )

    async def finish(
        self, delivery: Delivery, state: DeliveryState, *, now: datetime, error: str | None = None
    ) -> bool:
        """A final state other than sent: empty, gone or failed. Gone also turns the
        chat's subscription off. A failed digest gives its window back: unless a later
        digest was claimed meanwhile, the subscriber's next digest starts where this one
        did, so its facts come late rather than never."""
        changed = await self._change(
            delivery,
            [DeliveryState.PENDING, DeliveryState.SENDING],
            state=state.value,
            claimed_by=None,
            lease_until=None,
            error=error[:500] if error else None,
        )
        if changed and state is DeliveryState.GONE:
            await SubscriptionRepository(self._session).deactivate(
                delivery.chat_id, (error or "gone")[:32]
            )
        if changed and state is DeliveryState.FAILED:
            await self._session.execute(
                update(SubscriptionRecord)
                .where(
                    SubscriptionRecord.chat_id == delivery.chat_id,
                    SubscriptionRecord.cursor == delivery.window_to,
                )
                .values(cursor=delivery.window_from)
            )
        return changed

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        await SubscriptionRepository(self._session).move_chat(old_chat_id, new_chat_id)

    # --- reading ------------------------------------------------------------------------

    async def for_chat(self, chat_id: int) -> list[Delivery]:
        records = await self._session.scalars(
            select(DeliveryRecord)
            .where(DeliveryRecord.chat_id == chat_id)
            .order_by(DeliveryRecord.period_start)
        )
        return [_delivery(record) for record in records]

    async def count_by_state(self) -> Counter[DeliveryState]:
        rows = await self._session.execute(
            select(DeliveryRecord.state, func.count()).group_by(DeliveryRecord.state)
        )
        return Counter({DeliveryState(state): count for state, count in rows})

    async def count_uncertain(self) -> int:
        return (
            await self._session.scalar(
                select(func.count()).where(DeliveryRecord.uncertain.is_(True))
            )
            or 0
        )

    async def periods_per_chat(self) -> Counter[int]:
        """How many deliveries each chat has (tests check for doubles)."""
        rows = await self._session.execute(
            select(DeliveryRecord.chat_id, func.count()).group_by(DeliveryRecord.chat_id)
        )
        return Counter({chat_id: count for chat_id, count in rows})


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
