"""What `python -m bot run` does before its first answer, and what it leaves for later: no
migration process for a store already current, the fork server and the feeds only once
the bot takes updates."""

from __future__ import annotations

import asyncio
import multiprocessing
import subprocess
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

import bot.__main__ as entry
import bot.app.runner as runner
from bot.app.schema import VERSIONS_DIR, schema_is_current, script_heads, stored_heads
from bot.domain.settings import Settings
from bot.storage.engine import MIGRATIONS_DIR, alembic_config, is_sqlite, migrate


def test_the_heads_read_from_the_scripts_are_alembics() -> None:
    assert VERSIONS_DIR == MIGRATIONS_DIR / "versions"
    alembic = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite:///:memory:"))
    assert script_heads() == frozenset(alembic.get_heads())


def test_a_script_without_its_revisions_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "0001_x.py").write_text('"""No revision here."""\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"0001_x\.py"):
        script_heads(tmp_path)


def test_heads_of_a_branched_history(tmp_path: Path) -> None:
    scripts = {
        "a": 'revision: str = "a"\ndown_revision = None\n',
        "b": "revision = 'b'\ndown_revision: str | None = 'a'\n",
        "c": 'revision = "c"\ndown_revision = "a"\n',
        "d": 'revision = "d"\ndown_revision = ("b", "c")\n',
        "e": 'revision = "e"\ndown_revision = "a"\n',
    }
    for name, text in scripts.items():
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
    assert script_heads(tmp_path) == {"d", "e"}


def test_a_migrated_sqlite_store_is_current_and_anything_else_is_not(
    db_url: str, blank_db_url: str, tmp_path: Path
) -> None:
    # Known to be current only for SQLite; PostgreSQL is left to the migration process.
    assert schema_is_current(db_url) is is_sqlite(db_url)
    assert not schema_is_current(blank_db_url)
    assert not schema_is_current(f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")
    (tmp_path / "junk.db").write_bytes(b"not a database at all, not even close to one")
    assert stored_heads(f"sqlite+aiosqlite:///{tmp_path / 'junk.db'}") is None
    assert not schema_is_current("sqlite+aiosqlite:///:memory:")


async def test_a_store_one_migration_behind_is_not_current(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await migrate(url, "0008")
    assert stored_heads(url) == {"0008"}
    assert not schema_is_current(url)
    await migrate(url)
    assert schema_is_current(url)


def run_command(monkeypatch: pytest.MonkeyPatch, url: str) -> tuple[list[str], dict[str, Any]]:
    """`python -m bot run` on `url` up to run_bot: the migrations it started, run_bot's
    arguments."""
    started: list[str] = []
    given: dict[str, Any] = {}

    class Finished:
        def wait(self) -> int:
            return 0

    def start_migration(migrated: str) -> Finished:
        started.append(migrated)
        return Finished()

    async def run_bot(settings: Settings, **kwargs: Any) -> int:
        given.update(kwargs)
        return 0

    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("WEBHOOK_URL", "")
    monkeypatch.setattr(entry, "start_migration", start_migration)
    monkeypatch.setattr(runner, "run_bot", run_bot)
    assert entry.main(["run"]) == 0
    return started, given


async def test_run_starts_no_migration_process_for_a_current_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'facts.db'}"
    await migrate(url)
    started, given = await asyncio.to_thread(run_command, monkeypatch, url)
    assert started == []
    assert given == {"migration": None, "schema_current": True}


def test_run_starts_the_migration_process_for_a_new_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    started, given = run_command(monkeypatch, url)
    assert started == [url]
    assert given["schema_current"] is False
    assert given["migration"] is not None


def test_the_migration_process_gets_the_url_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'spawned.db'}"
    process = entry.start_migration(url)
    assert process.wait(timeout=120) == 0
    assert isinstance(process, subprocess.Popen)
    assert schema_is_current(url)


async def test_background_work_waits_then_warms_the_fork_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    warmed: list[float] = []
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(runner, "warm_up", lambda: warmed.append(loop.time()))
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'facts.db'}",
        fetch_interval_min=0,
    )
    began = loop.time()
    await runner.start_background_work(settings, delay=0.2)
    assert len(warmed) == 1 and warmed[0] - began >= 0.2

    # Stopped before its time, it starts nothing.
    warmed.clear()
    task = asyncio.create_task(runner.start_background_work(settings, delay=30))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert warmed == []


async def test_a_failed_warm_up_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    def broken() -> None:
        raise OSError("no processes left")

    monkeypatch.setattr(runner, "warm_up", broken)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'facts.db'}",
        fetch_interval_min=0,
    )
    await runner.start_background_work(settings, delay=0)
    assert "fork server could not be started" in caplog.text


async def test_a_wait_given_up_while_the_worker_starts_leaves_no_worker_behind() -> None:
    from bot.features.workers import ready, run_in_worker

    # Given up before the pool is even up: the pool is stopped once it is.
    task = asyncio.create_task(run_in_worker(ready))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(600):
        if not multiprocessing.active_children():
            break
        await asyncio.sleep(0.1)
    assert multiprocessing.active_children() == []
    assert await run_in_worker(ready) == "bot.storage.ingest"
