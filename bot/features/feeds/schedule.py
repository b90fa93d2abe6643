"""Fetching on a schedule inside the running bot: a pass every FETCH_INTERVAL_MIN minutes,
in a thread of its own (its own event loop and connections), so that extracting and
analysing articles never holds up the bot's answers. Of several replicas sharing a store,
the one holding the fetch lease fetches; the others skip that turn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bot.domain.settings import Settings
from bot.features.feeds.client import Fetcher, FetchPolicy
from bot.features.feeds.collect import Collector, FeedReport
from bot.features.feeds.feedlist import FEEDS_PATH, FeedsFileError, load_feeds
from bot.features.feeds.store import Leases
from bot.storage.engine import create_engine, create_session_factory

log = logging.getLogger(__name__)

LEASE = "fetch"
# Longer than any pass takes; a replica that dies holding the lease loses it then.
LEASE_TTL = timedelta(minutes=30)
T = TypeVar("T")


def replica_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def fetch_once(
    settings: Settings, holder: str, feeds_path: Path | None = None
) -> list[FeedReport] | None:
    """One pass under the lease; None when another replica holds it."""
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


async def run_schedule(settings: Settings, feeds_path: Path | None = None) -> None:
    """Passes until cancelled, the first at once. A pass that fails is logged; the next
    one comes on time all the same."""
    holder = replica_name()
    interval = settings.fetch_interval_min * 60
    while True:
        try:
            await in_thread(lambda: asyncio.run(fetch_once(settings, holder, feeds_path)))
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


async def in_thread(work: Callable[[], T]) -> T:
    """`work` in a daemon thread. Unlike asyncio.to_thread, a cancelled wait does not keep
    the process from stopping until the work is done: a pass stopped halfway loses only
    its open transaction."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():  # the wait was cancelled
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def target() -> None:
        result: T | None = None
        failure: BaseException | None = None
        try:
            result = work()
        except BaseException as error:
            failure = error
        with contextlib.suppress(RuntimeError):  # the bot's loop closed meanwhile
            loop.call_soon_threadsafe(settle, result, failure)

    threading.Thread(target=target, name="feed-fetcher", daemon=True).start()
    return await future
