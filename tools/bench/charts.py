"""Chart rendering: a cold draw against a repeat served from the cache.

Over a store built from the seed documents, each chart (investments, cargo,
zones, and the region's projects timeline) in each language is asked of a fresh
`ChartService` (cold: read the store, choose the figures, draw the PNG) and then
asked again (cached: the store version check and an LRU hit). The first draw of
the process — importing matplotlib and loading the font — is reported apart, as
the bot pays it once.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

from bot.domain.charts import ChartKind
from bot.features.charts.service import ChartService, RenderedChart
from bot.features.charts.spec import chartable_metrics
from bot.queries.facts import FactQueries
from bot.render.i18n import LANGUAGES, create_i18n
from bot.storage.repositories import DocumentRepository, FactRepository
from tools.bench import Figure
from tools.bench.harness import seeded_store

COLD_ROUNDS = 3
CACHED_ROUNDS = 200
TIMELINE_SUBJECT = "karaganda_region"


async def run() -> list[Figure]:
    i18n = create_i18n()
    async with seeded_store() as (_url, factory), factory() as session:
        facts = FactRepository(session)
        queries = FactQueries(facts, DocumentRepository(session))
        group = await queries.subject(TIMELINE_SUBJECT)
        assert group is not None
        # A timeline where the store has one: three dated figures of one indicator.
        timelines = chartable_metrics(group)[:1]

        def charts(service: ChartService) -> list[Callable[[], Awaitable[object]]]:
            return [
                *(
                    lambda kind=kind: service.topic_chart(kind, facts)
                    for kind in (ChartKind.INVESTMENTS, ChartKind.CARGO, ChartKind.ZONES)
                ),
                *(
                    lambda metric=metric: service.timeline_chart(group, metric, facts)
                    for metric in timelines
                ),
            ]

        with i18n.context():
            started = time.perf_counter()
            with i18n.use_locale("ru"):
                first = await ChartService().topic_chart(ChartKind.INVESTMENTS, facts)
            first_ms = (time.perf_counter() - started) * 1000
            assert isinstance(first, RenderedChart)

            cold: list[float] = []
            cached: list[float] = []
            for language in LANGUAGES:
                with i18n.use_locale(language):
                    for _ in range(COLD_ROUNDS):
                        service = ChartService()
                        for ask in charts(service):
                            started = time.perf_counter()
                            assert await ask() is not None
                            cold.append(time.perf_counter() - started)
                        for ask in charts(service):
                            for _ in range(CACHED_ROUNDS // COLD_ROUNDS):
                                started = time.perf_counter()
                                await ask()
                                cached.append(time.perf_counter() - started)
    cold_ms = statistics.median(cold) * 1000
    cached_ms = statistics.median(cached) * 1000
    return [
        Figure("charts_first_render_ms", first_ms, "ms", "<= 3000 ms (import and fonts, once)"),
        Figure("charts_render_cold_ms", cold_ms, "ms", "<= 400 ms per chart"),
        Figure("charts_render_cached_ms", cached_ms, "ms", "<= 5 ms per chart"),
        Figure("charts_cache_speedup", cold_ms / cached_ms, "x", ">= 50x"),
    ]
