"""What the subscription commands ask: a chat's subscription, changed or shown, and the
digest it would get now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.domain import MAIN_TOPICS, Topic
from bot.domain.schedule import DEFAULT_MINUTE, Frequency, Schedule
from bot.features.digests.compose import DigestWindow, new_facts, since_date
from bot.features.digests.request import SubscriptionRequest
from bot.render.digest import render_digest
from bot.storage.repositories import FactRepository
from bot.storage.subscriptions import NewSubscription, Subscription, SubscriptionRepository


@dataclass(frozen=True, slots=True)
class Preview:
    subscription: Subscription
    pages: list[str]  # empty: nothing new
    since: datetime


class DigestSubscriptions:
    def __init__(
        self, subscriptions: SubscriptionRepository, facts: FactRepository, zone: tzinfo
    ) -> None:
        self._subscriptions = subscriptions
        self._facts = facts
        self.zone = zone

    async def current(self, chat_id: int) -> Subscription | None:
        subscription = await self._subscriptions.get(chat_id)
        return subscription if subscription and subscription.active else None

    async def subscribe(
        self,
        chat_id: int,
        chat_type: str,
        request: SubscriptionRequest,
        *,
        language: str,
        now: datetime,
    ) -> Subscription:
        """Applies what the request names over the current choice (or the defaults)."""
        current = await self.current(chat_id)
        topics: tuple[Topic, ...] = request.topics or (current.topics if current else MAIN_TOPICS)
        schedule = current.schedule if current else Schedule()
        frequency = request.frequency or schedule.frequency
        minute = request.minute_of_day
        if minute is None:
            minute = schedule.minute_of_day if current else DEFAULT_MINUTE
        new = NewSubscription(
            chat_id=chat_id,
            chat_type=chat_type,
            topics=topics,
            schedule=Schedule(Frequency(frequency), minute, schedule.weekday),
            language=language,
        )
        return await self._subscriptions.subscribe(new, now=now, zone=self.zone)

    async def unsubscribe(self, chat_id: int, reason: str = "unsubscribed") -> bool:
        return await self._subscriptions.deactivate(chat_id, reason)

    async def preview(self, chat_id: int, now: datetime) -> Preview | None:
        """The digest the chat would get if it were sent now (in the current language);
        None without a subscription."""
        subscription = await self.current(chat_id)
        if subscription is None:
            return None
        window = DigestWindow(subscription.topics, subscription.cursor, now)
        facts = await new_facts(self._facts, window)
        pages = render_digest(facts, since_date(window, self.zone))
        return Preview(subscription, pages, subscription.cursor)
