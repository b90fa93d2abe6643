"""The Alembic migrations build the schema the ORM expects, on every backend, and undo it."""

from __future__ import annotations

import asyncio
import sys

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot import PROJECT_ROOT
from bot.storage.engine import alembic_config, create_engine, migrate
from bot.storage.models import Base


async def table_columns(url: str) -> dict[str, set[str]]:
    def read(connection: Connection) -> dict[str, set[str]]:
        inspector = inspect(connection)
        return {
            table: {column["name"] for column in inspector.get_columns(table)}
            for table in inspector.get_table_names()
        }

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()


async def test_migrations_create_every_table_and_column(blank_db_url: str) -> None:
    await migrate(blank_db_url)
    tables = await table_columns(blank_db_url)
    for table in Base.metadata.sorted_tables:
        assert tables.get(table.name) == {column.name for column in table.columns}, table.name


async def test_migrations_go_down_to_nothing_and_up_again(blank_db_url: str) -> None:
    await migrate(blank_db_url)
    built = await table_columns(blank_db_url)
    await asyncio.to_thread(command.downgrade, alembic_config(blank_db_url), "base")
    assert set(await table_columns(blank_db_url)) == {"alembic_version"}
    await migrate(blank_db_url)
    assert await table_columns(blank_db_url) == built


async def test_replicas_starting_together_take_turns(blank_db_url: str) -> None:
    """Every replica migrates at start: three processes at once on one store take turns
    (an advisory lock on PostgreSQL, a file lock on SQLite), and all of them succeed."""
    url = blank_db_url
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "migrate", "--db", url,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            cwd=PROJECT_ROOT,
        )
        for _ in range(3)
    ]  # fmt: skip
    outputs = [await process.communicate() for process in processes]
    for process, (output, _) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output.decode()
    tables = await table_columns(url)
    assert {table.name for table in Base.metadata.sorted_tables} <= set(tables)
