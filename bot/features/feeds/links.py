"""An article an administrator sends as a link: fetched and ingested like a feed's, under
the same safety rules, and without the relevance check (the administrator chose it)."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.settings import Settings
from bot.features.feeds.client import Fetcher, FetchPolicy
from bot.features.feeds.pages import PageOutcome, PageResult
from bot.features.feeds.urls import RefusedAddress, RefusedScheme, check_address
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer


async def add_link(
    session_factory: async_sessionmaker[AsyncSession],
    url: str,
    settings: Settings,
    gazetteer: Gazetteer | None = None,
) -> PageResult:
    policy = FetchPolicy.from_settings(settings)
    try:
        await check_address(url, allow_private=policy.allow_private)
    except RefusedScheme as error:
        return PageResult(url, PageOutcome.NOT_HTTP, str(error))
    except RefusedAddress as error:
        return PageResult(url, PageOutcome.REFUSED, str(error))
    outlet = (urlsplit(url).hostname or url).removeprefix("www.")
    # Imported here: the collection brings the ingest and the fact pipeline, which only an
    # administrator's link needs.
    from bot.features.feeds.collect import Collector

    async with Fetcher(policy) as fetcher:
        collector = Collector(session_factory, fetcher, gazetteer or load_gazetteer())
        return await collector.collect_page(url, outlet, check_relevance=False)
