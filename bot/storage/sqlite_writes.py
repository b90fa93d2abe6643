"""A new document's rows on SQLite (and the look-up before), one trip to the driver's
thread a statement.

Through SQLAlchemy's async adapter every statement on aiosqlite costs three or four
trips to the thread that owns the connection (cursor, execute, fetch, close); under
load each trip waits for that thread to be scheduled, and a document's few statements
cost more than reading its text. Here the same statements go to aiosqlite directly,
one trip each, inside the session's transaction (the same connection: its commit or
rollback covers them). Only a document stored for the first time comes this way; a
replacement, rarer, goes through `DocumentRepository` as usual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import DocumentMeta, ExtractedFact
from bot.pipeline.search_terms import index_labels
from bot.storage.engine import driver_connection, store_of
from bot.storage.fulltext import (
    BUMP_VERSION,
    COUNT_WORDS,
    FTS_TABLE,
    INSERT_ROW,
    forget_word_counts,
    index_rows,
    word_counts,
)
from bot.storage.writes import (
    fact_identity,
    fact_values,
    further_sources,
    index_fields,
    match_known,
    part_links,
)

_DOCUMENT_COLUMNS = (
    "file_name", "sha256", "outlet", "url", "published", "published_to",
    "date_precision", "title", "lang",
)  # fmt: skip
_FACT_COLUMNS = (
    "document_id", "topic", "subject", "entity_key", "metric", "value", "unit", "period",
    "status", "qualifier", "quote", "start", "end", "object", "per", "value_max", "lang",
    "identity",
)  # fmt: skip
_INSERT_DOCUMENT = (
    f"INSERT INTO documents ({', '.join(_DOCUMENT_COLUMNS)}, ingested_at) "
    f"VALUES ({', '.join('?' for _ in _DOCUMENT_COLUMNS)}, CURRENT_TIMESTAMP) RETURNING id"
)
_INSERT_FACTS = "INSERT INTO facts (" + ", ".join(f'"{c}"' for c in _FACT_COLUMNS) + ")"
_FACT_ROW = "(" + ", ".join("?" for _ in _FACT_COLUMNS) + ")"
# SQLite takes up to 32 766 parameters a statement; a document's facts fit many times.
_FACTS_PER_STATEMENT = 32_766 // len(_FACT_COLUMNS)


def is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


async def sqlite_rows(session: AsyncSession, statement: str) -> list[Any]:
    """The rows of one statement, read in the session's transaction."""
    driver = await driver_connection(session)
    return list(await driver.execute_fetchall(statement))


async def sqlite_states_of(
    session: AsyncSession, file_names: Sequence[str]
) -> list[tuple[str, int, str]]:
    """The name, id and hash of each document stored under one of the names, in one trip."""
    rows = await (await driver_connection(session)).execute_fetchall(
        "SELECT file_name, id, sha256 FROM documents "
        f"WHERE file_name IN ({', '.join('?' for _ in file_names)})",
        file_names,
    )
    return [(str(name), int(id), str(sha256)) for name, id, sha256 in rows]


class SqliteNewDocument:
    """Stores a document the store does not have yet, with its facts."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def store(self, meta: DocumentMeta, facts: Sequence[ExtractedFact]) -> int:
        try:
            return await self._store(meta, facts)
        except sqlite3.IntegrityError as error:
            # As SQLAlchemy reports it, for callers that handle a file stored meanwhile.
            raise IntegrityError("INSERT INTO documents", None, error) from error

    async def _store(self, meta: DocumentMeta, facts: Sequence[ExtractedFact]) -> int:
        driver = await driver_connection(self._session)
        (row,) = await driver.execute_fetchall(
            _INSERT_DOCUMENT,
            (
                meta.file_name,
                meta.sha256,
                meta.outlet,
                meta.url,
                meta.published.isoformat() if meta.published else None,
                meta.published_to.isoformat() if meta.published_to else None,
                meta.precision.value,
                meta.title,
                meta.lang,
            ),
        )
        document_id = int(row[0])
        if facts:
            await self._write_facts(driver, document_id, facts)
        await driver.execute(str(BUMP_VERSION))  # a new document is a new store version
        return document_id

    async def _write_facts(
        self, driver: Any, document_id: int, facts: Sequence[ExtractedFact]
    ) -> None:
        identities = [fact_identity(fact) for fact in facts]
        ids = await self._known(driver, facts, identities)
        fresh = [index for index, found in enumerate(ids) if found is None]
        rows = [(document_id, *fact_values(facts[i], identities[i])) for i in fresh]
        new_ids: list[int] = []
        for start in range(0, len(rows), _FACTS_PER_STATEMENT):
            chunk = rows[start : start + _FACTS_PER_STATEMENT]
            returned = await driver.execute_fetchall(
                f"{_INSERT_FACTS} VALUES {', '.join(_FACT_ROW for _ in chunk)} RETURNING id",
                [value for row in chunk for value in row],
            )
            # A rowid table numbers new rows upwards in the order they are inserted.
            new_ids.extend(sorted(int(found[0]) for found in returned))
        for index, fact_id in zip(fresh, new_ids, strict=True):
            ids[index] = fact_id
        if fresh:
            await self._index(driver, [facts[i] for i in fresh], new_ids)
        links = part_links(facts, ids, set(fresh))
        if links:
            await driver.executemany(
                "UPDATE facts SET part_of = ? WHERE id = ?",
                [(whole, part) for part, whole in links],
            )
        sources = further_sources(facts, ids, set(fresh), document_id)
        if sources:
            await driver.executemany(
                'INSERT INTO fact_sources (fact_id, document_id, quote, start, "end", lang) '
                "VALUES (:fact_id, :document_id, :quote, :start, :end, :lang)",
                sources,
            )

    async def _known(
        self, driver: Any, facts: Sequence[ExtractedFact], identities: list[str]
    ) -> list[int | None]:
        keys = sorted(set(identities))
        rows = await driver.execute_fetchall(
            "SELECT id, identity, value, value_max FROM facts "
            f"WHERE identity IN ({', '.join('?' for _ in keys)}) ORDER BY id",
            keys,
        )
        return match_known(
            facts,
            identities,
            (
                (fact_id, key, Decimal(value), None if value_max is None else Decimal(value_max))
                for fact_id, key, value, value_max in rows
            ),
        )

    async def _index(self, driver: Any, facts: Sequence[ExtractedFact], ids: list[int]) -> None:
        """The new facts' search rows (`bot.storage.fulltext`), written as `FactSearch`
        writes them."""
        rows = index_rows(
            (index_fields(fact, fact_id) for fact, fact_id in zip(facts, ids, strict=True)),
            index_labels(),
        )
        # The new ids are above every stored fact's: a search row at or above the
        # lowest of them is one a fact deleted elsewhere left behind.
        await driver.execute_fetchall(f"DELETE FROM {FTS_TABLE} WHERE rowid >= ?", (min(ids),))
        await driver.executemany(INSERT_ROW, rows)
        await driver.executemany(COUNT_WORDS, word_counts(rows))
        forget_word_counts(store_of(self._session))
