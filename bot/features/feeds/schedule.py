"""Fetching on a schedule inside the running bot: a pass every FETCH_INTERVAL_MIN minutes,
in a worker process (`bot.features.workers`), so that extracting and analysing articles
never holds up the bot's answers, and the HTML extraction and the fact pipeline never
load into the bot's own process. Of several replicas sharing a store, the one holding the
fetch lease fetches; the others skip that turn."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.settings import Settings
from bot.features.feeds.feedlist import FEEDS_PATH, FeedsFileError, load_feeds
from bot.features.feeds.store import Leases
from bot.features.workers import run_in_worker
from bot.storage.engine import create_engine, create_session_factory

if TYPE_CHECKING:
    from bot.features.feeds.collect import FeedReport

log = logging.getLogger(__name__)

LEASE = "fetch"
# Longer than any pass takes; a replica that dies holding the lease loses it then.
LEASE_TTL = timedelta(minutes=30)


def replica_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def fetch_once(
    settings: Settings, holder: str, feeds_path: Path | None = None
) -> list[FeedReport] | None:
    """One pass under the lease; None when another replica holds it."""
    # Here, not at the top: the extraction (trafilatura, lxml) and the pipeline load
    # where a pass runs, in a worker, never in the bot's process.
    from bot.features.feeds.client import Fetcher, FetchPolicy
    from bot.features.feeds.collect import Collector

    feeds = load_feeds(feeds_path or FEEDS_PATH)
    engine = create_engine(settings.database_url)
    try:
        session_factory = create_session_factory(engine)
        async with session_factory() as session, session.begin():
            taken = await Leases(session).acquire(LEASE, holder, datetime.now(UTC), LEASE_TTL)
        if not taken:
            log.info("feeds: another replica is fetching, skipping this turn")
            return None
        try:
            async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
                reports = await Collector(session_factory, fetcher).run(feeds)
        finally:
            async with session_factory() as session, session.begin():
                await Leases(session).release(LEASE, holder)
    finally:
        await engine.dispose()
    ingested = sum(report.ingested for report in reports)
    failing = sum(1 for report in reports if report.error)
    log.info("feeds: %d fetched, %d failing, %d articles ingested", len(reports), failing, ingested)
    return reports


def fetch_pass(settings: Settings, holder: str, feeds_path: Path | None = None) -> int | None:
    """One pass, in a worker process: the articles ingested, None when another replica
    held the lease."""
    reports = asyncio.run(fetch_once(settings, holder, feeds_path))
    return None if reports is None else sum(report.ingested for report in reports)


async def run_schedule(settings: Settings, feeds_path: Path | None = None) -> None:
    """Passes until cancelled, the first at once. A pass that fails is logged; the next
    one comes on time all the same."""
    holder = replica_name()
    interval = settings.fetch_interval_min * 60
    while True:
        try:
            await run_in_worker(fetch_pass, settings, holder, feeds_path)
        except FeedsFileError as error:
            log.error("feeds: %s; fetching stops until the file is fixed", error)
            return
        except Exception:
            log.exception("feeds: the pass failed")
        await asyncio.sleep(interval)


def start_fetching(settings: Settings, feeds_path: Path | None = None) -> asyncio.Task[None] | None:
    """The schedule as a background task, or None when FETCH_INTERVAL_MIN is 0."""
    if settings.fetch_interval_min <= 0:
        return None
    return asyncio.create_task(run_schedule(settings, feeds_path), name="feed-fetcher")
