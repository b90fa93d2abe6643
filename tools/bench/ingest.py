"""Ingest throughput: seed-size documents a second through the pipeline alone, in this
process, and through the whole ingest into the store (SQLite, and PostgreSQL when a server
is named) as `python -m bot ingest` runs it over a folder: this process reads the files,
analyses them in a thread a few documents ahead of the writer, and writes (the database
server, for PostgreSQL, shares what cores the machine has)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bot import DOCUMENTS_DIR
from bot.pipeline.analysis import analyse
from bot.pipeline.documents import load_manifest, parse_document
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.ingest import ingest_document, ingest_documents
from tools.bench import Figure, postgres_server_url, skipped
from tools.databases import throwaway_database

ROUNDS = 20
# The store may cost at most this much of the pipeline's throughput (as a fraction of it).
RATIO = 0.6


async def run() -> list[Figure]:
    gazetteer = load_gazetteer()
    manifest = load_manifest()
    raw = [(p.name, p.read_bytes()) for p in sorted(DOCUMENTS_DIR.glob("*.txt"))]
    for name, data in raw:  # warm the morphology caches as a running process would have them
        analyse(parse_document(name, data, manifest.get(name)), gazetteer)

    # Fresh text each round (a number changed) so no cache of whole sentences helps.
    variants = [
        (f"{round_}_{name}", data.replace(b"2025", f"{2000 + round_}".encode()))
        for round_ in range(ROUNDS)
        for name, data in raw
    ]
    # The pipeline alone is timed before and after the store runs and averaged, so
    # the ratios compare the two under the same load.
    before = _pipeline_rate(variants, gazetteer)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        stored_rate = await _stored_rate(url, raw, variants, gazetteer)
    pipeline_rate = (before + _pipeline_rate(variants, gazetteer)) / 2
    figures = [
        Figure("ingest_pipeline_throughput", pipeline_rate, "docs/s", ">= 50 docs/s"),
        Figure("ingest_to_sqlite_throughput", stored_rate, "docs/s", ">= 50 docs/s"),
        Figure("ingest_sqlite_vs_pipeline", stored_rate / pipeline_rate, "", f"≥ {RATIO}"),
    ]
    server = postgres_server_url()
    if server is None:
        print(skipped("ingest_to_postgresql_throughput"), flush=True)
        return figures
    async with throwaway_database(server, "bench") as url:
        postgres_rate = await _stored_rate(url, raw, variants, gazetteer)
    figures += [
        Figure("ingest_to_postgresql_throughput", postgres_rate, "docs/s", ">= 50 docs/s"),
        Figure("ingest_postgresql_vs_pipeline", postgres_rate / pipeline_rate, "", f"≥ {RATIO}"),
    ]
    return figures


def _pipeline_rate(variants: list[tuple[str, bytes]], gazetteer: Gazetteer) -> float:
    """Documents a second through the analysis alone."""
    started = time.perf_counter()
    for name, data in variants:
        analyse(parse_document(name, data, None), gazetteer)
    return len(variants) / (time.perf_counter() - started)


async def _stored_rate(
    url: str,
    warm_up: list[tuple[str, bytes]],
    variants: list[tuple[str, bytes]],
    gazetteer: Gazetteer,
) -> float:
    """Documents a second through the whole ingest into `url`, as `python -m bot ingest`
    runs it over a folder: one connection, each document in its own transaction, the
    analysis in a thread ahead of the writer (`bot.storage.ingest.ingest_documents`)."""
    await migrate(url)
    engine = create_engine(url)
    try:
        factory = create_session_factory(engine)
        # Untimed: the first stored fact loads the label catalogs that the search index
        # needs (aiogram's i18n, seconds to import), once per process as in the bot.
        for name, data in warm_up:
            await ingest_document(factory, parse_document(name, data, None), gazetteer)
        started = time.perf_counter()
        await ingest_documents(
            factory, (parse_document(name, data, None) for name, data in variants), gazetteer
        )
        return len(variants) / (time.perf_counter() - started)
    finally:
        await engine.dispose()
