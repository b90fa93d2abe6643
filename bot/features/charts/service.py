"""Charts on demand: built from the store, drawn once, sent as photos.

Caching is two layers, both in this process:

- PNG bytes and caption in an LRU keyed by (chart, language, store version).
  `FactRepository.version()` changes whenever facts are added, replaced or
  removed, so new facts make a new key and stale charts simply age out.
- Telegram's `file_id` of every photo sent, per bot and per cache key: a repeat
  sends the id (no upload, no drawing); an id Telegram no longer accepts is
  dropped and the bytes are uploaded again.

Requests for the same chart that arrive while it is being drawn wait for that
one drawing. Drawing runs in a worker thread so the event loop keeps serving
other updates.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, Message

from bot.domain import Topic
from bot.domain.charts import ChartKind
from bot.features.charts.spec import ChartSpec, build_topic_chart, caption, timeline_chart
from bot.queries.facts import SubjectFacts
from bot.render.labels import current_language
from bot.storage.repositories import FactRepository

Renderer = Callable[[ChartSpec], bytes]

# The topics whose facts each chart reads.
CHART_TOPICS: dict[ChartKind, tuple[Topic, ...]] = {
    # Zones report investment too: they belong among the subjects invested in.
    ChartKind.INVESTMENTS: (Topic.INVESTMENTS, Topic.ZONES),
    ChartKind.CARGO: (Topic.CARGO,),
    ChartKind.ZONES: (Topic.ZONES,),
}


@dataclass(frozen=True, slots=True)
class ChartKey:
    kind: ChartKind
    subject: str = ""  # a timeline's subject key
    metric: str = ""  # a timeline's metric

    @property
    def filename(self) -> str:
        parts = [self.kind.value, self.metric]
        return "-".join(part for part in parts if part) + ".png"


CacheKey = tuple[ChartKey, str, str]  # chart, language, store version


@dataclass(frozen=True, slots=True)
class RenderedChart:
    key: CacheKey
    png: bytes
    caption: str

    @property
    def filename(self) -> str:
        return self.key[0].filename


def default_renderer(chart: ChartSpec) -> bytes:
    from bot.features.charts.draw import render

    return render(chart)


class ChartService:
    def __init__(self, renderer: Renderer | None = None, *, size: int = 64) -> None:
        self._renderer = renderer or default_renderer
        self._size = size
        self._charts: OrderedDict[CacheKey, RenderedChart] = OrderedDict()
        self._pending: dict[CacheKey, asyncio.Task[RenderedChart | None]] = {}
        self._file_ids: dict[tuple[int, CacheKey], str] = {}

    async def topic_chart(self, kind: ChartKind, facts: FactRepository) -> RenderedChart | None:
        """A topic's chart, or None when the store has nothing to draw it from."""

        async def build() -> ChartSpec | None:
            return build_topic_chart(kind, await facts.list(topics=CHART_TOPICS[kind]))

        return await self.get(ChartKey(kind), await facts.version(), build)

    async def timeline_chart(
        self, group: SubjectFacts, metric: str, facts: FactRepository
    ) -> RenderedChart | None:
        async def build() -> ChartSpec | None:
            return timeline_chart(group, metric)

        key = ChartKey(ChartKind.TIMELINE, group.key, metric)
        return await self.get(key, await facts.version(), build)

    async def get(
        self, chart: ChartKey, version: str, build: Callable[[], Awaitable[ChartSpec | None]]
    ) -> RenderedChart | None:
        """The chart from the cache, or built, drawn and cached."""
        key: CacheKey = (chart, current_language(), version)
        cached = self._charts.get(key)
        if cached is not None:
            self._charts.move_to_end(key)
            return cached
        task = self._pending.get(key)
        if task is None:
            # The task copies this context, and with it the language of the update.
            task = asyncio.ensure_future(self._draw(key, build))
            self._pending[key] = task
            task.add_done_callback(lambda _: self._pending.pop(key, None))
        return await asyncio.shield(task)

    async def _draw(
        self, key: CacheKey, build: Callable[[], Awaitable[ChartSpec | None]]
    ) -> RenderedChart | None:
        spec = await build()
        if spec is None:
            return None
        png = await asyncio.to_thread(self._renderer, spec)
        rendered = RenderedChart(key, png, caption(spec))
        self._charts[key] = rendered
        while len(self._charts) > self._size:
            old, _ = self._charts.popitem(last=False)
            for file_key in [k for k in self._file_ids if k[1] == old]:
                del self._file_ids[file_key]
        return rendered

    async def send(self, bot: Bot, chat_id: int, chart: RenderedChart, **kwargs: Any) -> Message:
        """Send the chart as a photo: by its file_id when Telegram has it already."""
        file_key = (bot.id, chart.key)
        file_id = self._file_ids.get(file_key)
        if file_id is not None:
            try:
                return await bot.send_photo(chat_id, file_id, caption=chart.caption, **kwargs)
            except TelegramBadRequest:
                # An id from another bot token or an expired file: upload again.
                self._file_ids.pop(file_key, None)
        photo = BufferedInputFile(chart.png, filename=chart.filename)
        message = await bot.send_photo(chat_id, photo, caption=chart.caption, **kwargs)
        if message.photo and chart.key in self._charts:
            self._file_ids[file_key] = message.photo[-1].file_id
        return message

    def __contains__(self, key: object) -> bool:
        return key in self._charts
