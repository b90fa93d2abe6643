"""Whole PostgreSQL databases, made and dropped: throwaway stores for benchmarks and tests.

The server is named by any URL on it (its database is only used to connect and is never
written to); every database made here carries a prefix that says what it is for, and is
dropped with `WITH (FORCE)`, so connections a crashed run left behind do not keep it.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import URL, make_url

from bot.domain.settings import resolve_database_url


def server_dsn(url: str | URL, database: str | None = None) -> str:
    """An asyncpg DSN for `url` (SQLAlchemy form accepted), optionally for another database."""
    parsed = make_url(resolve_database_url(str(url)) if isinstance(url, str) else url)
    parsed = parsed.set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def database_url(url: str, database: str) -> str:
    """`url` with another database, in the form the engine takes."""
    return (
        make_url(resolve_database_url(url))
        .set(database=database)
        .render_as_string(hide_password=False)
    )


def unique_name(purpose: str) -> str:
    return f"kfb_{purpose}_{os.getpid()}_{secrets.token_hex(3)}"


async def execute_on_server(url: str, statement: str) -> None:
    """Runs one statement (CREATE/ALTER/DROP DATABASE) on the server of `url`; waits
    briefly when the database it names still has connections closing."""
    import asyncpg

    connection = await asyncpg.connect(server_dsn(url), timeout=10)
    try:
        for attempt in itertools.count():
            try:
                await connection.execute(statement)
                return
            except asyncpg.ObjectInUseError:
                if attempt >= 100:
                    raise
                await asyncio.sleep(0.02)
    finally:
        await connection.close()


async def create_database(url: str, name: str) -> str:
    await execute_on_server(url, f'CREATE DATABASE "{name}"')
    return database_url(url, name)


async def drop_database(url: str, name: str) -> None:
    await execute_on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def throwaway_database(url: str, purpose: str) -> AsyncIterator[str]:
    """A new, empty database on the server of `url`, dropped on the way out."""
    name = unique_name(purpose)
    created = await create_database(url, name)
    try:
        yield created
    finally:
        await drop_database(url, name)
