"""What a digest holds: the facts of its topics added within its window, rendered in its
language. Subscribers whose windows hold the same facts, with the same topics, language
and "since" date, share one rendering — though each subscriber's window starts at its own
moment — which is what makes a fan-out to thousands of chats cheap."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, TypeVar

from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Fact, Topic
from bot.domain.schedule import as_utc
from bot.render.digest import render_digest
from bot.storage.repositories import FactRepository

CACHE_SIZE = 256
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class DigestWindow:
    topics: tuple[Topic, ...]
    window_from: datetime
    window_to: datetime


async def new_facts(facts: FactRepository, window: DigestWindow) -> list[Fact]:
    """Facts of the window's topics added after its start and not after its end."""
    found = await facts.list(added_after=window.window_from, topics=window.topics)
    end = as_utc(window.window_to)
    return [fact for fact in found if as_utc(fact.added_at) <= end]


def since_date(window: DigestWindow, zone: tzinfo) -> date:
    return as_utc(window.window_from).astimezone(zone).date()


@dataclass(frozen=True, slots=True)
class _Load:
    """The facts loaded once for many windows: a topic set's facts added from the start of
    a (UTC) day up to one end. Windows that start that day and end there are cut from it."""

    topics: tuple[Topic, ...]
    day_start: datetime
    window_to: datetime


@dataclass(frozen=True, slots=True)
class _Rendering:
    topics: tuple[Topic, ...]
    language: str
    since: date
    fact_ids: tuple[int, ...]


class DigestComposer:
    """Renders digests for a fan-out, each distinct one once."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        i18n: I18n,
        zone: tzinfo,
    ) -> None:
        self._session_factory = session_factory
        self._i18n = i18n
        self._zone = zone
        self._facts: OrderedDict[_Load, asyncio.Task[list[Fact]]] = OrderedDict()
        self._pages: OrderedDict[_Rendering, asyncio.Task[list[str]]] = OrderedDict()
        self.renderings = 0  # how many digests were rendered (the rest were shared)

    async def pages(self, window: DigestWindow, language: str) -> list[str]:
        """The digest's messages; an empty list when there is nothing new."""
        start, end = as_utc(window.window_from), as_utc(window.window_to)
        day_start = datetime.combine(start.date(), time(), tzinfo=UTC)
        loaded = await self._shared(self._facts, _Load(window.topics, day_start, end), self._load)
        facts = [fact for fact in loaded if start < as_utc(fact.added_at) <= end]
        since = since_date(window, self._zone)
        key = _Rendering(window.topics, language, since, tuple(fact.id for fact in facts))

        async def render(_key: _Rendering) -> list[str]:
            self.renderings += 1
            with self._i18n.context(), self._i18n.use_locale(language):
                return render_digest(facts, since)

        return await self._shared(self._pages, key, render)

    @staticmethod
    async def _shared(
        cache: OrderedDict[K, asyncio.Task[V]],
        key: K,
        make: Callable[[K], Coroutine[Any, Any, V]],
    ) -> V:
        """One computation per key, however many senders ask for it at once."""
        task = cache.get(key)
        if task is None or (task.done() and task.exception() is not None):
            task = asyncio.ensure_future(make(key))
            cache[key] = task
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
        cache.move_to_end(key)
        return await asyncio.shield(task)

    async def _load(self, load: _Load) -> list[Fact]:
        window = DigestWindow(load.topics, load.day_start, load.window_to)
        async with self._session_factory() as session:
            return await new_facts(FactRepository(session), window)
