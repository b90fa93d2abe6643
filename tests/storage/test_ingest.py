"""Ingest into the store: idempotent, replaces a changed file whole, skips bad files."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import DOCUMENTS_DIR
from bot.app.cli.ingest import run_facts, run_ingest
from bot.domain import Topic
from bot.storage import ingest
from bot.storage.ingest import Outcome, ingest_paths
from bot.storage.repositories import DocumentRepository, FactRepository

ARTICLE = (
    " date 2025-04-01\n"
    "В Темиртау построят завод. Инвестиции в проект составят 45 млрд тенге.\n"
    "На предприятии будет создано 600 рабочих мест.\n"
)


async def count_facts(factory: async_sessionmaker[AsyncSession]) -> int:
    async with factory() as session:
        return len(await FactRepository(session).list())


async def test_the_same_file_twice_adds_nothing(
    tmp_path: Path, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    path = tmp_path / "plant.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (first,) = await ingest_paths(session_factory, [path], manifest={})
    assert (first.outcome, first.facts) == (Outcome.ADDED, 2)
    (second,) = await ingest_paths(session_factory, [path], manifest={})
    assert second.outcome is Outcome.UNCHANGED
    assert await count_facts(session_factory) == 2


async def test_a_changed_file_replaces_its_facts(
    tmp_path: Path, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    path = tmp_path / "plant.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    await ingest_paths(session_factory, [path], manifest={})
    path.write_text(ARTICLE.replace("45 млрд", "52 млрд"), encoding="utf-8")
    (report,) = await ingest_paths(session_factory, [path], manifest={})
    assert report.outcome is Outcome.REPLACED
    async with session_factory() as session:
        facts = await FactRepository(session).list(topic=Topic.INVESTMENTS)
        sources = await DocumentRepository(session).list_sources()
    assert [str(f.value) for f in facts] == ["52000000000"]
    assert len(sources) == 1


async def test_the_write_transaction_opens_after_the_analysis(
    tmp_path: Path,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Facts' `added_at` is their transaction's start on PostgreSQL: a transaction held
    open through the analysis would date them before digests can see them. SQLite dates
    each statement; there no write lock may be held while the text is analysed."""
    path = tmp_path / "plant.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    events: list[str] = []
    analyse = ingest.analyse
    url = session_factory.kw["bind"].url

    def recorded_analyse(*args: Any, **kwargs: Any) -> ingest.Analysis:
        result = analyse(*args, **kwargs)
        events.append("analysed")
        if url.get_backend_name() == "sqlite":
            other = sqlite3.connect(url.database, timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")  # fails while another writer holds the lock
                events.append("write lock free")
            finally:
                other.close()
        return result

    def on(name: str) -> Callable[[Any], None]:
        return lambda connection: events.append(name)

    listeners = [(name, on(name)) for name in ("begin", "commit", "rollback")]

    store = DocumentRepository.store

    async def recorded_store(self: DocumentRepository, *args: Any, **kwargs: Any) -> Any:
        events.append("insert fact")
        return await store(self, *args, **kwargs)

    monkeypatch.setattr(ingest, "analyse", recorded_analyse)
    monkeypatch.setattr(DocumentRepository, "store", recorded_store)
    engine = session_factory.kw["bind"].sync_engine
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        (report,) = await ingest_paths(session_factory, [path], manifest={})
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)
    assert report.outcome is Outcome.ADDED
    analysed = events.index("analysed")
    if url.get_backend_name() == "sqlite":
        assert events[analysed + 1] == "write lock free"
    else:
        # The run's setting and the check, each a transaction ended before the analysis;
        # then the writing transaction (its connection begins inside `store`).
        before = events[:analysed]
        assert before.count("begin") == 2 == before.count("commit") + before.count("rollback")
        assert sorted(events[analysed + 1 : analysed + 3]) == ["begin", "insert fact"]


async def test_a_file_that_fails_analysis_leaves_its_stored_version_whole(
    tmp_path: Path, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    path = tmp_path / "plant.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    await ingest_paths(session_factory, [path], manifest={})
    path.write_text("Похожие статьи\nЛента новостей\n", encoding="utf-8")
    (report,) = await ingest_paths(session_factory, [path], manifest={})
    assert report.outcome is Outcome.FAILED
    assert await count_facts(session_factory) == 2


async def test_bad_files_are_reported_and_the_rest_still_ingests(
    tmp_path: Path, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_binary.txt").write_bytes(b"\x00\x01\x02")
    (folder / "c_noise.txt").write_text("Похожие статьи\nЛента новостей\n", encoding="utf-8")
    (folder / "d_good.txt").write_text(ARTICLE, encoding="utf-8")
    reports = await ingest_paths(session_factory, [folder], manifest={})
    outcomes = {r.file_name: r.outcome for r in reports}
    assert outcomes == {
        "a_empty.txt": Outcome.FAILED,
        "b_binary.txt": Outcome.FAILED,
        "c_noise.txt": Outcome.FAILED,
        "d_good.txt": Outcome.ADDED,
    }
    assert all(r.error and r.file_name in r.error for r in reports if r.outcome is Outcome.FAILED)
    async with session_factory() as session:
        names = [s.file_name for s in await DocumentRepository(session).list_sources()]
    assert names == ["d_good.txt"]


async def test_cli_ingests_the_seeds_reports_and_lists_jsonl(
    tmp_path: Path, blank_db_url: str
) -> None:
    url = blank_db_url
    documents = tmp_path / "docs"
    shutil.copytree(DOCUMENTS_DIR, documents)
    (documents / "zz_broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    out, progress = io.StringIO(), io.StringIO()
    assert await run_ingest(url, [str(documents)], out=out, progress_out=progress) == 1
    assert "FAILED zz_broken.txt" in out.getvalue()
    assert "documents: 6 (5 added, 1 failed)" in out.getvalue()
    # Not a terminal: the progress is a line a document, the last one naming the total.
    lines = progress.getvalue().splitlines()
    assert len(lines) == 6 and lines[-1] == "[6/6] ingest: zz_broken.txt"
    listing = io.StringIO()
    assert await run_facts(url, topic="zones", output_format="jsonl", out=listing) == 0
    records = [json.loads(line) for line in listing.getvalue().splitlines()]
    assert records and all(r["topic"] == "zones" for r in records)
    required = {
        "document",
        "topic",
        "subject",
        "metric",
        "value",
        "unit",
        "period",
        "status",
        "quote",
    }
    assert required <= records[0].keys()
    saran = [r for r in records if r["value"] == 472000000000]
    assert saran and saran[0]["unit"] == "KZT" and saran[0]["status"] == "actual"


async def test_a_file_stored_meanwhile_by_another_ingest_is_unchanged(
    tmp_path: Path,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The look-up before the analysis found nothing, but another ingest stored the
    same file before this one writes: the unique name stops the second copy."""
    path = tmp_path / "plant.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (first,) = await ingest_paths(session_factory, [path], manifest={})
    states_of = DocumentRepository.states_of
    looked_up: list[list[str]] = []

    async def stale_states_of(self: DocumentRepository, file_names: Iterable[str]) -> Any:
        if not looked_up:
            looked_up.append(list(file_names))
            return {}  # as it was before the other ingest committed
        return await states_of(self, file_names)

    monkeypatch.setattr(DocumentRepository, "states_of", stale_states_of)
    (second,) = await ingest_paths(session_factory, [path], manifest={})
    assert (first.outcome, second.outcome) == (Outcome.ADDED, Outcome.UNCHANGED)
    assert looked_up == [["plant.txt"]]
    assert await count_facts(session_factory) == 2


async def test_a_folder_is_looked_up_a_batch_at_a_time_and_reported_in_order(
    tmp_path: Path,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ten files, four looked up at a time: three look-ups; the stored ones unchanged,
    the changed ones replaced, the new ones added, heard of in the files' order."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    for number in range(10):
        (folder / f"{number}.txt").write_text(
            ARTICLE.replace("600", str(600 + number)), encoding="utf-8"
        )
    await ingest_paths(
        session_factory, [folder / f"{number}.txt" for number in range(5)], manifest={}
    )
    for number in (1, 3):
        (folder / f"{number}.txt").write_text(ARTICLE.replace("600", "700"), encoding="utf-8")
    (folder / "7.txt").write_bytes(b"")
    states_of = DocumentRepository.states_of
    looked_up: list[list[str]] = []

    async def counted_states_of(self: DocumentRepository, file_names: Iterable[str]) -> Any:
        looked_up.append(sorted(file_names))
        return await states_of(self, looked_up[-1])

    monkeypatch.setattr(DocumentRepository, "states_of", counted_states_of)
    monkeypatch.setattr(ingest, "CHECK_BATCH", 4)
    heard: list[str] = []
    reports = await ingest_paths(
        session_factory, [folder], manifest={}, on_report=lambda r: heard.append(r.file_name)
    )
    assert [(r.file_name, r.outcome.value) for r in reports] == [
        ("0.txt", "unchanged"),
        ("1.txt", "replaced"),
        ("2.txt", "unchanged"),
        ("3.txt", "replaced"),
        ("4.txt", "unchanged"),
        ("5.txt", "added"),
        ("6.txt", "added"),
        ("7.txt", "failed"),
        ("8.txt", "added"),
        ("9.txt", "added"),
    ]
    assert heard == [r.file_name for r in reports]
    # The file that could not be read is not looked up.
    assert looked_up == [
        ["0.txt", "1.txt", "2.txt", "3.txt"],
        ["4.txt", "5.txt", "6.txt"],
        ["8.txt", "9.txt"],
    ]
    async with session_factory() as session:
        values = sorted(str(f.value) for f in await FactRepository(session).list(topic=Topic.JOBS))
    # The two changed files state one figure: one fact with both as sources.
    assert values == ["600", "602", "604", "605", "606", "608", "609", "700"]


async def test_a_run_is_analysed_off_the_event_loop_and_its_failures_come_back(
    tmp_path: Path,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every document of a run is analysed in order in a thread other than the event
    loop's, with the interpreter handed between the two promptly; a document that cannot
    be read is reported as failed and the rest still go in, in order. The process's
    switch interval is its own again after the run."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    for number in range(6):
        (folder / f"{number}.txt").write_text(
            ARTICLE.replace("600", str(600 + number)), encoding="utf-8"
        )
    (folder / "3.txt").write_text("Похожие статьи\nЛента новостей\n", encoding="utf-8")
    analysed: list[tuple[int, str]] = []
    intervals: set[float] = set()
    analyse = ingest.analyse

    def recorded_analyse(document: Any, gazetteer: Any) -> ingest.Analysis:
        analysed.append((threading.get_ident(), document.meta.file_name))
        intervals.add(sys.getswitchinterval())
        return analyse(document, gazetteer)

    monkeypatch.setattr(ingest, "analyse", recorded_analyse)
    default = sys.getswitchinterval()
    reports = await ingest_paths(session_factory, [folder], manifest={})
    assert [(r.file_name, r.outcome.value) for r in reports] == [
        ("0.txt", "added"),
        ("1.txt", "added"),
        ("2.txt", "added"),
        ("3.txt", "failed"),
        ("4.txt", "added"),
        ("5.txt", "added"),
    ]
    assert "3.txt" in str(reports[3].error)
    assert [name for _, name in analysed] == [f"{number}.txt" for number in range(6)]
    assert threading.get_ident() not in {thread for thread, _ in analysed}
    assert intervals == {ingest.HANDOFF}
    assert default > ingest.HANDOFF
    assert sys.getswitchinterval() == default


async def test_a_run_commits_without_waiting_for_the_disk_and_resets_that_at_its_end(
    tmp_path: Path,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL a run's documents are committed with `synchronous_commit` off, and
    the connection goes back to the pool with the setting it had, after a last commit
    that waits for the disk (SQLite's commits are left as they are)."""
    if session_factory.kw["bind"].dialect.name != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    for number in range(3):
        (tmp_path / f"{number}.txt").write_text(
            ARTICLE.replace("600", str(600 + number)), encoding="utf-8"
        )
    settings: list[str] = []
    store = DocumentRepository.store

    async def recorded_store(self: DocumentRepository, *args: Any, **kwargs: Any) -> Any:
        settings.append(await self._session.scalar(text("SHOW synchronous_commit")))
        return await store(self, *args, **kwargs)

    monkeypatch.setattr(DocumentRepository, "store", recorded_store)
    reports = await ingest_paths(session_factory, [tmp_path], manifest={})
    assert [r.outcome.value for r in reports] == ["added"] * 3
    assert settings == ["off"] * 3
    async with session_factory() as session:  # the pool's one connection, as it was
        assert await session.scalar(text("SHOW synchronous_commit")) == "on"
