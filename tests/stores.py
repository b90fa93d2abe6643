"""The stores tests run on: SQLite always, PostgreSQL and Redis when the environment names
them (`TEST_DATABASE_URL`, `TEST_REDIS_URL`).

Each backend keeps migrated stores of two kinds for the test run (empty, and with the seed
documents ingested) and hands every test a fresh one: a copy of a template file on SQLite,
a database reset to its snapshot on PostgreSQL. Every PostgreSQL database this run creates
carries the run's prefix and is dropped when the run ends, so nothing is left behind on the
server `TEST_DATABASE_URL` points to (its own database is never written to).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import make_url

from bot import DOCUMENTS_DIR
from bot.domain.settings import resolve_database_url
from bot.storage.engine import create_engine, create_session_factory, upgrade_sync
from tools.databases import database_url, execute_on_server, server_dsn, unique_name

T = TypeVar("T")

DATABASE_ENV = "TEST_DATABASE_URL"
REDIS_ENV = "TEST_REDIS_URL"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)


def database_url_from_env() -> str | None:
    url = os.environ.get(DATABASE_ENV, "").strip()
    return resolve_database_url(url) if url else None


def redis_url_from_env() -> str | None:
    return os.environ.get(REDIS_ENV, "").strip() or None


def skip_reason(backend: str) -> str:
    if backend == POSTGRESQL:
        return f"PostgreSQL run skipped: {DATABASE_ENV} is not set"
    return f"Redis tests skipped: {REDIS_ENV} is not set"


def safe_url(url: str) -> str:
    """A URL fit for a log line: no password."""
    return make_url(url).render_as_string(hide_password=True)


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    """Runs a coroutine to the end from synchronous code, in a thread with its own loop,
    so that the event loop of the test being set up is left alone."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(_await(factory)))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target, name="test-store-setup")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


async def _await(factory: Callable[[], Awaitable[T]]) -> T:
    return await factory()


async def ingest_seed_documents(url: str) -> None:
    from bot.storage.ingest import ingest_paths

    engine = create_engine(url)
    try:
        reports = await ingest_paths(create_session_factory(engine), [DOCUMENTS_DIR])
    finally:
        await engine.dispose()
    failed = [r for r in reports if r.error]
    assert not failed, failed


class SqliteStores:
    """Template files, copied per test."""

    name = SQLITE

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._templates: dict[str, Path] = {}
        self._copies = itertools.count()

    def template(self, kind: str) -> Path:
        path = self._templates.get(kind)
        if path is None:
            path = self._folder / f"{kind}.db"
            if kind == "empty":
                upgrade_sync(self.url_of(path))
            else:
                shutil.copy(self.template("empty"), path)
                run_async(lambda: ingest_seed_documents(self.url_of(path)))
            self._templates[kind] = path
        return path

    def fresh(self, kind: str) -> str:
        path = self._folder / f"store-{next(self._copies)}.db"
        shutil.copy(self.template(kind), path)
        return self.url_of(path)

    def blank(self) -> str:
        """A database with no schema at all."""
        return self.url_of(self._folder / f"blank-{next(self._copies)}.db")

    def release(self, url: str) -> None:
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        pass

    @staticmethod
    def url_of(path: Path) -> str:
        return f"sqlite+aiosqlite:///{path}"


class PostgresStores:
    """Databases on the server of `TEST_DATABASE_URL`, made for this run and dropped at its
    end. Creating and dropping a database costs a second or so (checkpoints), so a test's
    store is not a new database: each kind ("empty", "seeded") is built once, a copy of its
    tables is kept in a `test_snapshot` schema inside it, and every `fresh` puts the tables
    back as they were, sequences included, in one short transaction."""

    name = POSTGRESQL

    def __init__(self, url: str) -> None:
        self._url = resolve_database_url(url)
        self.prefix = unique_name("test")
        self._created: list[str] = []
        self._free: dict[str, list[str]] = {}
        self._kind_of: dict[str, str] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self._names = itertools.count()

    def url_for(self, database: str) -> str:
        return database_url(self._url, database)

    def _dsn(self, database: str) -> str:
        return server_dsn(self._url, database)

    def _admin(self, statement: str) -> None:
        run_async(lambda: execute_on_server(self._url, statement))

    # ---- databases -------------------------------------------------------------------

    def blank(self) -> str:
        """A database with no schema at all (not pooled: `release` drops it)."""
        name = f"{self.prefix}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with contextlib.suppress(ValueError):
            self._created.remove(name)

    # ---- stores ----------------------------------------------------------------------

    def fresh(self, kind: str) -> str:
        free = self._free.setdefault(kind, [])
        if free:
            # A new name for every test: the application caches per store URL.
            name = self._rename(free.pop())
        else:
            url = self.blank()
            upgrade_sync(url)
            if kind == "seeded":
                run_async(lambda: ingest_seed_documents(url))
            name = make_url(url).database or ""
            self._snapshots[kind] = run_async(lambda: Snapshot.take(self._dsn(name)))
            self._kind_of[name] = kind
        run_async(lambda: self._snapshots[kind].restore(self._dsn(name)))
        return self.url_for(name)

    def _rename(self, name: str) -> str:
        new_name = f"{self.prefix}_{next(self._names)}"
        self._admin(f'ALTER DATABASE "{name}" RENAME TO "{new_name}"')
        self._created[self._created.index(name)] = new_name
        self._kind_of[new_name] = self._kind_of.pop(name)
        return new_name

    def release(self, url: str) -> None:
        name = make_url(url).database or ""
        kind = self._kind_of.get(name)
        if kind is not None:
            self._free[kind].append(name)
        elif name.startswith(self.prefix):
            self.drop_database(name)

    def close(self) -> None:
        for name in reversed(list(self._created)):
            self.drop_database(name)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The rows of every table of a store and the state of its sequences, kept in a
    `test_snapshot` schema of the same database."""

    tables: tuple[str, ...]  # parents before children
    columns: dict[str, str]  # table: its written (not generated) columns, quoted
    sequences: dict[str, tuple[int, bool]]  # sequence: (last_value, is_called)

    SCHEMA = "test_snapshot"

    @classmethod
    async def take(cls, dsn: str) -> Snapshot:
        import asyncpg

        connection = await asyncpg.connect(dsn, timeout=10)
        try:
            names = [
                r["relname"]
                for r in await connection.fetch(
                    "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') "
                    "AND relnamespace = 'public'::regnamespace AND relname <> 'alembic_version'"
                )
            ]
            edges = await connection.fetch(
                "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent "
                "FROM pg_constraint WHERE contype = 'f' "
                "AND connamespace = 'public'::regnamespace"
            )
            tables = _parents_first(names, [(e["child"], e["parent"]) for e in edges])
            columns = {}
            for table in tables:
                rows = await connection.fetch(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND table_name = $1 "
                    "AND is_generated = 'NEVER' ORDER BY ordinal_position",
                    table,
                )
                columns[table] = ", ".join(f'"{r["column_name"]}"' for r in rows)
            sequences = {}
            for row in await connection.fetch(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            ):
                state = await connection.fetchrow(
                    f'SELECT last_value, is_called FROM public."{row["sequencename"]}"'
                )
                sequences[row["sequencename"]] = (state["last_value"], state["is_called"])
            async with connection.transaction():
                await connection.execute(f"CREATE SCHEMA {cls.SCHEMA}")
                for table in tables:
                    await connection.execute(
                        f'CREATE TABLE {cls.SCHEMA}."{table}" AS '
                        f'SELECT {columns[table]} FROM public."{table}"'
                    )
        finally:
            await connection.close()
        return cls(tuple(tables), columns, sequences)

    async def restore(self, dsn: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(dsn, timeout=10)
        try:
            async with connection.transaction():
                # A test store need not survive a crash: do not wait for the disk.
                await connection.execute("SET LOCAL synchronous_commit = off")
                for table in reversed(self.tables):
                    await connection.execute(f'DELETE FROM public."{table}"')
                for table in self.tables:
                    columns = self.columns[table]
                    await connection.execute(
                        f'INSERT INTO public."{table}" ({columns}) '
                        f'SELECT {columns} FROM {self.SCHEMA}."{table}"'
                    )
                for sequence, (value, called) in self.sequences.items():
                    await connection.execute(
                        "SELECT setval($1::regclass, $2, $3)", f'public."{sequence}"', value, called
                    )
        finally:
            await connection.close()


def _parents_first(tables: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """The tables ordered so that every table comes after the tables it references."""
    parents = {table: {p for c, p in edges if c == table and p != table} for table in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = sorted(t for t in tables if t not in ordered and parents[t] <= set(ordered))
        if not ready:
            raise RuntimeError(f"foreign keys form a cycle among {sorted(tables)}")
        ordered.extend(ready)
    return ordered


StoreBackend = SqliteStores | PostgresStores


def describe_environment() -> list[str]:
    """The header lines of a test run: which stores it covers and which it skips."""
    database = database_url_from_env()
    redis = redis_url_from_env()
    stores = (
        f"stores: SQLite and PostgreSQL at {safe_url(database)}"
        if database
        else f"stores: SQLite only ({skip_reason(POSTGRESQL)})"
    )
    shared = f"redis: {safe_url(redis)}" if redis else f"redis: none ({skip_reason('redis')})"
    return [stores, shared]
