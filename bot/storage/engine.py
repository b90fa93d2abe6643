"""Engine, sessions and migrations."""

from __future__ import annotations

import asyncio
import fcntl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.domain.settings import resolve_database_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def is_postgresql(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = resolve_database_url(url)
    if is_sqlite(url):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
    elif is_postgresql(url):
        # A replica outlives idle-connection reaping by proxies: connections are renewed
        # before proxies drop them. No ping before every checkout (a round trip per
        # update): after a database restart the first failing statement makes the pool
        # drop every connection it holds, and the next update connects afresh.
        kwargs.setdefault("pool_recycle", 300)
        # Every statement of the bot reads a few rows and stops (a page newest first): a
        # parallel plan would start workers for branches the page never needs, and
        # compiling one (JIT, for plans whose unneeded branches look costly) takes longer
        # than running it.
        kwargs.setdefault(
            "connect_args",
            {
                "server_settings": {
                    "application_name": "karaganda-facts-bot",
                    "max_parallel_workers_per_gather": "0",
                    "jit": "off",
                }
            },
        )
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    # Imported here: Alembic (with Mako and Pygments) is megabytes that only a process
    # that migrates needs; the running bot migrates in a process of its own.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", resolve_database_url(url).replace("%", "%%"))
    return config


def upgrade_sync(url: str, revision: str = "heads") -> None:
    from alembic import command

    with _migration_turn(url):
        command.upgrade(alembic_config(url), revision)


@contextmanager
def _migration_turn(url: str) -> Iterator[None]:
    """Processes that start together on one SQLite file migrate one after the other: Alembic
    runs SQLite DDL outside a transaction, so two would both create the same tables. (On
    PostgreSQL an advisory lock in the migration environment does this.)"""
    url = resolve_database_url(url)
    path = url.split(":///", 1)[-1] if is_sqlite(url) else ""
    if not path or path == ":memory:":
        yield
        return
    lock = Path(f"{path}-migrate.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def migrate(url: str, revision: str = "heads") -> None:
    """Bring the schema up to date (Alembic runs its own event loop, so in a thread)."""
    await asyncio.to_thread(upgrade_sync, url, revision)


def store_of(session: AsyncSession) -> str:
    """Names the store a session reads, so that what is cached for one store never
    answers for another (tests run many stores in one process). One string per store
    (interned): caches keep it in every key, and a fresh copy per update would cost each
    entry the URL's length again."""
    bind = session.bind
    if bind is None:
        return ""
    engine = bind if isinstance(bind, AsyncEngine) else bind.engine
    return sys.intern(str(engine.url))


async def driver_connection(session: AsyncSession) -> Any:
    """The DBAPI driver's own connection under a session (aiosqlite's, asyncpg's), in the
    session's transaction: for the few statements that skip SQLAlchemy's adapter."""
    connection = await session.connection()
    return (await connection.get_raw_connection()).driver_connection
