"""Shared fixtures: migrated stores, empty or with the seed documents ingested.

Every test that asks for a store runs once per backend: on SQLite always, and on
PostgreSQL when `TEST_DATABASE_URL` is set (its test ids end in `[postgresql]`; without
the variable those are skipped with the reason shown in the summary). See tests/stores.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.engine import create_engine, create_session_factory
from tests.stores import (
    BACKENDS,
    POSTGRESQL,
    PostgresStores,
    SqliteStores,
    StoreBackend,
    database_url_from_env,
    describe_environment,
    redis_url_from_env,
    skip_reason,
)

SKIPPED_SERVERS = (skip_reason(POSTGRESQL), skip_reason("redis"))


def pytest_report_header(config: pytest.Config) -> list[str]:
    return describe_environment()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in describe_environment():
        terminalreporter.write_line(line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Skips for a missing server are reported as one line each, not one per test."""
    report = yield
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and longrepr[2].endswith(SKIPPED_SERVERS):
        report.longrepr = ("tests/conftest.py", None, longrepr[2].removeprefix("Skipped: "))
    return report


@pytest.fixture(scope="session", params=BACKENDS)
def store_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreBackend]:
    """The database the store-backed tests run on, once per backend."""
    backend: StoreBackend
    if request.param == POSTGRESQL:
        url = database_url_from_env()
        if url is None:
            pytest.skip(skip_reason(POSTGRESQL))
        backend = PostgresStores(url)
    else:
        backend = SqliteStores(tmp_path_factory.mktemp("stores"))
    try:
        yield backend
    finally:
        backend.close()


@pytest.fixture(scope="session")
def postgres_stores() -> Iterator[PostgresStores]:
    """PostgreSQL alone, for what only PostgreSQL has (row locks across processes)."""
    url = database_url_from_env()
    if url is None:
        pytest.skip(skip_reason(POSTGRESQL))
    stores = PostgresStores(url)
    try:
        yield stores
    finally:
        stores.close()


@pytest.fixture
def redis_url() -> str:
    url = redis_url_from_env()
    if url is None:
        pytest.skip(skip_reason("redis"))
    return url


@pytest.fixture
def db_url(store_backend: StoreBackend) -> Iterator[str]:
    """A fresh, migrated, empty store."""
    url = store_backend.fresh("empty")
    yield url
    store_backend.release(url)


@pytest.fixture
def blank_db_url(store_backend: StoreBackend) -> Iterator[str]:
    """A database without any schema, for the migrations themselves."""
    url = store_backend.blank()
    yield url
    store_backend.release(url)


@pytest.fixture
def seeded_db_url(store_backend: StoreBackend) -> Iterator[str]:
    """A fresh copy of the store built from the seed documents."""
    url = store_backend.fresh("seeded")
    yield url
    store_backend.release(url)


async def _factory(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def session_factory(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async for factory in _factory(db_url):
        yield factory


@pytest.fixture
async def seeded_session_factory(
    seeded_db_url: str,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async for factory in _factory(seeded_db_url):
        yield factory
