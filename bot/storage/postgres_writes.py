"""A new document's rows on PostgreSQL: one statement to look up the figures already
stored, one to write.

Through SQLAlchemy a document of a dozen figures took some ten round trips (the
transaction's start, the document, the figures already stored, the facts, their search
rows, the words' counts, the further sources, the store's version, the commit), most an
`executemany`, and each costs the driver's and the server's work besides the wait, which
grows with the load of the machine. Here the figures other documents gave are looked up
first; everything else goes to asyncpg as one statement of data-modifying CTEs, every
list of rows an `unnest`ed array. The statement is its own transaction (or joins the
session's, if it has begun one on the server): it checks that the facts under the
figures' identities are still those the look-up saw and writes nothing otherwise, so a
figure another ingest stored meanwhile is never stored twice (the caller then writes
the document in a transaction, as any other). The rows are those `FactWriter` and
`PostgresFactSearch` write: the same facts, `fact_sources`, tsvector literals and
`search_words` counts. Only a document stored for the first time comes this way; a
replacement, rarer, goes through `DocumentRepository` as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import DocumentMeta, ExtractedFact
from bot.pipeline.search_terms import index_labels
from bot.storage.engine import driver_connection, store_of
from bot.storage.fulltext import (
    FTS_TABLE,
    STATE_TABLE,
    WORDS_TABLE,
    forget_word_counts,
    index_rows,
    word_counts,
)
from bot.storage.fulltext_postgres import BLOCK, block_mark, document_vector
from bot.storage.writes import (
    fact_identity,
    fact_values,
    further_sources,
    index_fields,
    match_known,
)

# Each fact column with the element type of the array it arrives in.
_FACT_COLUMNS = (
    ("topic", "text"), ("subject", "text"), ("entity_key", "text"), ("metric", "text"),
    ("value", "text"), ("unit", "text"), ("period", "text"), ("status", "text"),
    ("qualifier", "text"), ("quote", "text"), ("start", "int"), ("end", "int"),
    ("object", "text"), ("per", "text"), ("value_max", "text"), ("lang", "text"),
    ("identity", "text"),
)  # fmt: skip
_SOURCE_COLUMNS = (("fact_id", "int"), ("quote", "text"), ("start", "int"), ("end", "int"),
                   ("lang", "text"))  # fmt: skip


def _arrays(columns: Sequence[tuple[str, str]], first: int) -> str:
    return ", ".join(f"${first + i}::{kind}[]" for i, (_, kind) in enumerate(columns))


def _names(columns: Sequence[tuple[str, str]], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{name}"' for name, _ in columns)


_FIRST = 10  # the parameters before are the document's (see `NEW_DOCUMENT`)
_FACTS_AT = _FIRST + 2
_PARTS_AT = _FACTS_AT + len(_FACT_COLUMNS)
_VECTORS_AT = _PARTS_AT + 2
_WORDS_AT = _VECTORS_AT + 1
_SOURCES_AT = _WORDS_AT + 2
_BLOCK_AT = _SOURCES_AT + len(_SOURCE_COLUMNS)

# One statement, so one transaction of its own (or a part of the caller's, if it has
# begun one). It writes only if the facts stored under the figures' identities are still
# those the look-up found (`$11`, `$10`): else nothing, and no document id comes back.
# The new facts' ids are drawn first, so that a part's `part_of` names its new whole in
# the same insert; the n-th id is the n-th new figure's, and gets the n-th search row.
NEW_DOCUMENT = f"""
WITH unchanged AS (
    SELECT coalesce(array_agg(id ORDER BY id), '{{}}') = $10::int[] AS still
    FROM facts WHERE identity = ANY($11::text[])
), document AS (
    INSERT INTO documents (file_name, sha256, outlet, url, published, published_to,
                           date_precision, title, lang, ingested_at)
    SELECT $1, $2, $3, $4, $5::date, $6::date, $7, $8, $9, now() FROM unchanged WHERE still
    RETURNING id
), new_ids AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('facts', 'id')) AS id, ordinal
    FROM document, generate_series(1, cardinality(${_FACTS_AT}::text[])) AS ordinal
), fresh AS (
    INSERT INTO facts (id, document_id, {_names(_FACT_COLUMNS)}, part_of)
    SELECT new_ids.id, document.id, {_names(_FACT_COLUMNS, "f.")},
           coalesce(whole.id, f.known_whole)
    FROM document,
        unnest({_arrays(_FACT_COLUMNS, _FACTS_AT)}, ${_PARTS_AT}::int[], ${_PARTS_AT + 1}::int[])
            WITH ORDINALITY AS f({_names(_FACT_COLUMNS)}, new_whole, known_whole, ordinal)
        JOIN new_ids USING (ordinal)
        LEFT JOIN new_ids AS whole ON whole.ordinal = f.new_whole
    ORDER BY f.ordinal
), indexed AS (
    INSERT INTO {FTS_TABLE} (id, document)
    SELECT new_ids.id,
           CAST(v.document AS tsvector) || {block_mark("new_ids.id", f"${_BLOCK_AT}::int")}
    FROM new_ids JOIN unnest(${_VECTORS_AT}::text[]) WITH ORDINALITY AS v(document, ordinal)
        USING (ordinal)
    ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document
), counted AS (
    INSERT INTO {WORDS_TABLE} (word, facts)
    SELECT w.word, w.facts
    FROM document, unnest(${_WORDS_AT}::text[], ${_WORDS_AT + 1}::int[]) AS w(word, facts)
    ON CONFLICT (word) DO UPDATE SET facts = {WORDS_TABLE}.facts + EXCLUDED.facts
), sourced AS (
    INSERT INTO fact_sources (document_id, {_names(_SOURCE_COLUMNS)})
    SELECT document.id, {_names(_SOURCE_COLUMNS, "s.")}
    FROM document, unnest({_arrays(_SOURCE_COLUMNS, _SOURCES_AT)})
        AS s({_names(_SOURCE_COLUMNS)})
), version AS (
    UPDATE {STATE_TABLE} SET version = version + 1 WHERE id = 1 AND EXISTS (SELECT FROM document)
)
SELECT id FROM document
"""
_KNOWN = (
    "SELECT id, identity, value, value_max FROM facts WHERE identity = ANY($1::text[]) ORDER BY id"
)


def is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows turned into one list a column (an empty list each when there are none)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width


class PostgresNewDocument:
    """Stores a document the store does not have yet, with its facts."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def store(self, meta: DocumentMeta, facts: Sequence[ExtractedFact]) -> int | None:
        """The new document's id; None when the facts under its figures' identities
        changed between the look-up and the write (another ingest's), and nothing was
        written: the caller writes it in a transaction of its own."""
        import asyncpg

        # In the session's transaction if it has begun one on the server, else each
        # statement in its own.
        driver = await driver_connection(self._session)
        identities = [fact_identity(fact) for fact in facts]
        keys = sorted(set(identities))
        known = await driver.fetch(_KNOWN, keys)
        ids = match_known(
            facts,
            identities,
            (
                (fact_id, key, Decimal(value), None if value_max is None else Decimal(value_max))
                for fact_id, key, value, value_max in known
            ),
        )
        fresh = [index for index, found in enumerate(ids) if found is None]
        # The vectors go in in the new facts' order: a position pairs each up.
        index = index_rows(
            (index_fields(facts[i], position) for position, i in enumerate(fresh)),
            index_labels(),
            marks=True,
        )
        counts = word_counts(index)
        # The further sources know their facts' ids already; the document's id is the
        # statement's own.
        sources = further_sources(facts, ids, set(fresh), 0)
        try:
            document_id = await driver.fetchval(
                NEW_DOCUMENT,
                meta.file_name,
                meta.sha256,
                meta.outlet,
                meta.url,
                meta.published,
                meta.published_to,
                meta.precision.value,
                meta.title,
                meta.lang,
                [row["id"] for row in known],
                keys,
                *_columns(
                    [fact_values(facts[i], identities[i]) for i in fresh], len(_FACT_COLUMNS)
                ),
                *_columns(_wholes(facts, ids, fresh), 2),
                [document_vector(row) for row in index],
                [count["word"] for count in counts],
                [count["facts"] for count in counts],
                *_columns(
                    [tuple(source[name] for name, _ in _SOURCE_COLUMNS) for source in sources],
                    len(_SOURCE_COLUMNS),
                ),
                BLOCK,
            )
        except asyncpg.UniqueViolationError as error:
            # As SQLAlchemy reports it, for callers that handle a file stored meanwhile.
            raise IntegrityError("INSERT INTO documents", None, error) from error
        if document_id is not None and index:
            forget_word_counts(store_of(self._session))
        return None if document_id is None else int(document_id)


def _wholes(
    facts: Sequence[ExtractedFact], ids: Sequence[int | None], fresh: Sequence[int]
) -> list[tuple[int | None, int | None]]:
    """For each new figure that is a part (`part_links`), its whole: as the position
    among the new figures (from 1) of a whole new with it, or as the id of one stored."""
    position = {index: number for number, index in enumerate(fresh, start=1)}
    wholes: list[tuple[int | None, int | None]] = []
    for index in fresh:
        whole = facts[index].part_of
        if whole is None or not 0 <= whole < len(facts) or whole == index:
            wholes.append((None, None))
        else:
            wholes.append((position.get(whole), ids[whole]))
    return wholes
