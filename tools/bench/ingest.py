"""Ingest throughput: seed-size documents a second on one core, through the pipeline alone
and into the store (SQLite, and PostgreSQL when a server is named)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bot import DOCUMENTS_DIR
from tools.bench import Figure, postgres_server_url, skipped
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.pipeline.documents import load_manifest, parse_document
from bot.pipeline.ingest import analyse, ingest_document
from tools.databases import throwaway_database
from bot.storage.engine import create_engine, create_session_factory, migrate

ROUNDS = 20


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
    started = time.perf_counter()
    for name, data in variants:
        analyse(parse_document(name, data, None), gazetteer)
    pipeline_rate = len(variants) / (time.perf_counter() - started)

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        stored_rate = await _stored_rate(url, raw, variants, gazetteer)
    figures = [
        Figure("ingest_pipeline_throughput", pipeline_rate, "docs/s", ">= 50 docs/s"),
        Figure("ingest_to_sqlite_throughput", stored_rate, "docs/s", ">= 50 docs/s"),
    ]
    server = postgres_server_url()
    if server is None:
        print(skipped("ingest_to_postgresql_throughput"), flush=True)
        return figures
    async with throwaway_database(server, "bench") as url:
        postgres_rate = await _stored_rate(url, raw, variants, gazetteer)
    figures.append(
        Figure("ingest_to_postgresql_throughput", postgres_rate, "docs/s", ">= 50 docs/s")
    )
    return figures


async def _stored_rate(
    url: str,
    warm_up: list[tuple[str, bytes]],
    variants: list[tuple[str, bytes]],
    gazetteer: Gazetteer,
) -> float:
    """Documents a second through the whole ingest, one transaction each, into `url`."""
    await migrate(url)
    engine = create_engine(url)
    try:
        factory = create_session_factory(engine)
        # Untimed: the first stored fact loads the label catalogs that the search index
        # needs (aiogram's i18n, seconds to import), once per process as in the bot.
        for name, data in warm_up:
            await ingest_document(factory, parse_document(name, data, None), gazetteer)
        started = time.perf_counter()
        for name, data in variants:
            await ingest_document(factory, parse_document(name, data, None), gazetteer)
        return len(variants) / (time.perf_counter() - started)
    finally:
        await engine.dispose()
