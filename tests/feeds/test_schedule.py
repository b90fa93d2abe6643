"""The scheduled fetch: one replica at a time under the lease, nothing when switched off."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.settings import Settings
from bot.features.feeds.schedule import LEASE, fetch_once, fetch_pass, start_fetching
from bot.features.feeds.store import FeedState, FeedStore, Leases
from bot.features.workers import run_in_worker

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=30)


def fetch_settings(db_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": db_url,
        "fetch_delay_s": 0,
        "fetch_timeout_s": 1,
        "fetch_max_bytes": 100_000,
        "fetch_allow_private": True,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


async def take(factory: async_sessionmaker[AsyncSession], holder: str, at: datetime) -> bool:
    async with factory() as session, session.begin():
        return await Leases(session).acquire(LEASE, holder, at, TTL)


async def test_one_holder_at_a_time_until_the_lease_expires_or_is_given_back(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    assert await take(session_factory, "a", NOW)
    assert not await take(session_factory, "b", NOW + timedelta(minutes=1))
    assert await take(session_factory, "a", NOW + timedelta(minutes=2))  # renewed
    assert not await take(session_factory, "b", NOW + timedelta(minutes=31))
    assert await take(session_factory, "b", NOW + timedelta(minutes=33))  # a's expired
    async with session_factory() as session, session.begin():
        await Leases(session).release(LEASE, "b")
    assert await take(session_factory, "c", NOW + timedelta(minutes=34))


async def test_a_replica_skips_its_turn_while_another_fetches(
    db_url: str, session_factory: async_sessionmaker[AsyncSession], base_url: str, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base_url}/atom.xml"\nname = "Б"\n', encoding="utf-8")
    settings = fetch_settings(db_url)
    assert await take(session_factory, "other replica", datetime.now(UTC))
    assert await fetch_once(settings, "this replica", feeds) is None
    async with session_factory() as session, session.begin():
        await Leases(session).release(LEASE, "other replica")
    reports = await fetch_once(settings, "this replica", feeds)
    assert reports is not None and reports[0].ingested == 1
    # The lease was given back at the end of the pass.
    assert await take(session_factory, "other replica", datetime.now(UTC))


async def test_a_pass_runs_in_a_worker_process(db_url: str, base_url: str, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base_url}/atom.xml"\n', encoding="utf-8")
    settings = fetch_settings(db_url)
    assert await run_in_worker(fetch_pass, settings, "r", feeds) == 1


def test_no_schedule_when_the_interval_is_zero(db_url: str) -> None:
    assert start_fetching(fetch_settings(db_url, fetch_interval_min=0)) is None


async def test_the_running_bot_fetches_in_the_background(
    db_url: str, session_factory: async_sessionmaker[AsyncSession], base_url: str, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base_url}/atom.xml"\nname = "Б"\n', encoding="utf-8")
    task = start_fetching(fetch_settings(db_url, fetch_interval_min=60), feeds)
    assert task is not None
    try:
        states: list[FeedState] = []
        for _ in range(400):  # the first pass starts at once; the loop stays free meanwhile
            async with session_factory() as session:
                states = await FeedStore(session).feed_states()
            if states and states[0].last_success_at is not None:
                break
            await asyncio.sleep(0.05)
        assert [state.name for state in states] == ["Б"]
        # The pass's worker ends (lease given back, connections closed) before the store
        # goes to the next test.
        for _ in range(400):
            if not multiprocessing.active_children():
                break
            await asyncio.sleep(0.05)
        assert not task.done()  # waiting for the next turn
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
