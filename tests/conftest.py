"""Shared fixtures: migrated SQLite stores, empty or with the seed documents ingested."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import DOCUMENTS_DIR
from bot.storage.db import create_engine, create_session_factory, upgrade_sync


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
def empty_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("templates") / "empty.db"
    upgrade_sync(sqlite_url(path))
    return path


@pytest.fixture(scope="session")
def seeded_store_template(
    tmp_path_factory: pytest.TempPathFactory, empty_store_template: Path
) -> Path:
    """A store with the five seed documents ingested through the real pipeline."""
    from bot.pipeline.ingest import ingest_paths

    path = tmp_path_factory.mktemp("templates") / "seeded.db"
    shutil.copy(empty_store_template, path)

    async def ingest() -> None:
        engine = create_engine(sqlite_url(path))
        try:
            reports = await ingest_paths(create_session_factory(engine), [DOCUMENTS_DIR])
        finally:
            await engine.dispose()
        failed = [r for r in reports if r.error]
        assert not failed, failed

    asyncio.run(ingest())
    return path


@pytest.fixture
def db_url(tmp_path: Path, empty_store_template: Path) -> str:
    """A fresh, migrated, empty store."""
    path = tmp_path / "store.db"
    shutil.copy(empty_store_template, path)
    return sqlite_url(path)


@pytest.fixture
def seeded_db_url(tmp_path: Path, seeded_store_template: Path) -> str:
    """A fresh copy of the store built from the seed documents."""
    path = tmp_path / "seeded.db"
    shutil.copy(seeded_store_template, path)
    return sqlite_url(path)


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
