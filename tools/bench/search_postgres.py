"""The search bench's store on PostgreSQL: the very rows generated for SQLite, copied.

The documents and facts are read from the SQLite store the bench built, and the index
rows from its FTS5 table (the same analysed fields) become the tsvectors
`bot.storage.fulltext_postgres` writes, with their facts' marks; the words' counts are
copied as they are.
Everything goes in with COPY into a migrated throwaway database, the secondary indexes
(the GIN index among them) are built once at the end, and the tables analysed, so both
stores answer the same queries over the same facts.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any

from bot.pipeline.search_terms import FIELDS
from bot.storage.fulltext import FTS_TABLE, WORDS_TABLE, fact_marks
from bot.storage.fulltext_postgres import BLOCK, document_vector
from tools.databases import server_dsn

CHUNK = 20_000  # rows per piece of the COPY stream

DOCUMENT_COLUMNS = (
    "id", "file_name", "sha256", "outlet", "url", "published", "published_to",
    "date_precision", "title",
)  # fmt: skip
FACT_COLUMNS = (
    "id", "document_id", "topic", "subject", "entity_key", "metric", "value", "unit",
    "period", "status", "qualifier", "quote", "start", "end",
)  # fmt: skip


async def copy_store(sqlite_path: Path, url: str) -> None:
    """Copies the bench's SQLite store into the migrated, empty PostgreSQL store `url`."""
    import asyncpg

    source = sqlite3.connect(sqlite_path)
    connection = await asyncpg.connect(server_dsn(url))
    try:
        await connection.execute("SET synchronous_commit = off")
        indexes = await connection.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename IN ('documents', 'facts', 'facts_fts') "
            "AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE 'uq_%'"
        )
        for index in indexes:
            await connection.execute(f'DROP INDEX "{index["indexname"]}"')
        await _copy(connection, "documents", DOCUMENT_COLUMNS, source, "documents")
        await _copy(connection, "facts", FACT_COLUMNS, source, "facts")
        await connection.copy_to_table(
            FTS_TABLE,
            source=_csv(_vectors(source)),
            columns=["id", "document"],
            format="csv",
        )
        await _copy(connection, WORDS_TABLE, ("word", "facts"), source, WORDS_TABLE, "word")
        for index in indexes:
            await connection.execute(index["indexdef"])
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
        source.close()


async def _copy(
    connection: Any,
    table: str,
    columns: tuple[str, ...],
    source: sqlite3.Connection,
    name: str,
    key: str = "id",
) -> None:
    quoted = ", ".join(f'"{column}"' for column in columns)
    rows = source.execute(f"SELECT {quoted} FROM {name} ORDER BY {key}")
    await connection.copy_to_table(
        table, source=_csv(rows), columns=list(columns), format="csv", null="\\N"
    )


def _vectors(source: sqlite3.Connection) -> Iterator[tuple[object, ...]]:
    """Each fact's vector with its marks, its block's among them (`PostgresFactSearch`
    writes the same, the block's mark added in SQL)."""
    fields = ", ".join(f"fts.{name}" for name in FIELDS)
    rows = source.execute(
        f"SELECT fts.rowid, {fields}, facts.topic, facts.status, facts.period "
        f"FROM {FTS_TABLE} AS fts JOIN facts ON facts.id = fts.rowid ORDER BY fts.rowid"
    )
    for fact_id, *values in rows:
        *texts, topic, status, period = values
        marks = (*fact_marks(topic, status, period), f"#r{fact_id // BLOCK}")
        row = {**dict(zip(FIELDS, texts, strict=True)), "marks": marks}
        yield fact_id, document_vector(row)


async def _csv(rows: Iterable[tuple[object, ...]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for count, row in enumerate(rows, start=1):
        writer.writerow("\\N" if value is None else value for value in row)
        if count % CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
