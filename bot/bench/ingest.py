"""Ingest throughput: seed-size documents a second on one core."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bot import DOCUMENTS_DIR
from bot.bench import Figure
from bot.gazetteer import load_gazetteer
from bot.pipeline.documents import load_manifest, parse_document
from bot.pipeline.ingest import analyse, ingest_document
from bot.storage.db import create_engine, create_session_factory, migrate

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
        await migrate(url)
        engine = create_engine(url)
        factory = create_session_factory(engine)
        started = time.perf_counter()
        for name, data in variants:
            await ingest_document(factory, parse_document(name, data, None), gazetteer)
        stored_rate = len(variants) / (time.perf_counter() - started)
        await engine.dispose()
    return [
        Figure("ingest_pipeline_throughput", pipeline_rate, "docs/s", ">= 50 docs/s"),
        Figure("ingest_to_sqlite_throughput", stored_rate, "docs/s", ">= 50 docs/s"),
    ]
