"""A new document's rows on PostgreSQL in one statement after one look-up.

Through SQLAlchemy a document of a dozen figures took some ten round trips in its
transaction (the document, the figures already stored, the facts, their search rows,
the words' counts, the further sources, the store's version, each a statement of its
own and most an `executemany`), and each costs the driver's and the server's work of a
statement besides the wait. Here the figures other documents gave are looked up as
before (in the session's transaction, which the look-up begins); then everything else
goes to asyncpg as one statement of data-modifying CTEs, every list of rows an array
`unnest`ed on the server. The rows are those `FactWriter` and `PostgresFactSearch`
write: the same facts, `fact_sources`, tsvector literals and `search_words` counts.
Only a part stated with its whole in the same document costs one more statement (its
whole's id is known only once inserted). Only a document stored for the first time
comes this way; a replacement, rarer, goes through `DocumentRepository` as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import DocumentMeta, ExtractedFact
from bot.pipeline.search_terms import index_labels
from bot.storage.engine import store_of
from bot.storage.fulltext import (
    FTS_TABLE,
    STATE_TABLE,
    WORDS_TABLE,
    forget_word_counts,
    index_rows,
    word_counts,
)
from bot.storage.fulltext_postgres import document_vector
from bot.storage.models import DecimalText
from bot.storage.writes import fact_identity, further_sources, match_known, part_links

_DECIMAL = DecimalText()
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


_DOCUMENT_PARAMETERS = 9
_FACTS_AT = _DOCUMENT_PARAMETERS + 1
_VECTORS_AT = _FACTS_AT + len(_FACT_COLUMNS)
_WORDS_AT = _VECTORS_AT + 1
_SOURCES_AT = _WORDS_AT + 2

# The facts go in in the order given (their ids rise in it, as SQLAlchemy's ordered
# bulk insert assumes), so the n-th new id is the n-th figure's and gets its search row.
NEW_DOCUMENT = f"""
WITH document AS (
    INSERT INTO documents (file_name, sha256, outlet, url, published, published_to,
                           date_precision, title, lang, ingested_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
    RETURNING id
), fresh AS (
    INSERT INTO facts (document_id, {_names(_FACT_COLUMNS)})
    SELECT document.id, {_names(_FACT_COLUMNS, "f.")}
    FROM document, unnest({_arrays(_FACT_COLUMNS, _FACTS_AT)})
        WITH ORDINALITY AS f({_names(_FACT_COLUMNS)}, ordinal)
    ORDER BY f.ordinal
    RETURNING id
), numbered AS (
    SELECT id, row_number() OVER (ORDER BY id) AS ordinal FROM fresh
), indexed AS (
    INSERT INTO {FTS_TABLE} (id, document)
    SELECT numbered.id, CAST(v.document AS tsvector)
    FROM numbered JOIN unnest(${_VECTORS_AT}::text[]) WITH ORDINALITY AS v(document, ordinal)
        USING (ordinal)
    ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document
), counted AS (
    INSERT INTO {WORDS_TABLE} (word, facts)
    SELECT * FROM unnest(${_WORDS_AT}::text[], ${_WORDS_AT + 1}::int[])
    ON CONFLICT (word) DO UPDATE SET facts = {WORDS_TABLE}.facts + EXCLUDED.facts
), sourced AS (
    INSERT INTO fact_sources (document_id, {_names(_SOURCE_COLUMNS)})
    SELECT document.id, {_names(_SOURCE_COLUMNS, "s.")}
    FROM document, unnest({_arrays(_SOURCE_COLUMNS, _SOURCES_AT)})
        AS s({_names(_SOURCE_COLUMNS)})
), version AS (
    UPDATE {STATE_TABLE} SET version = version + 1 WHERE id = 1
)
SELECT (SELECT id FROM document) AS document_id, ARRAY(SELECT id FROM numbered ORDER BY id) AS ids
"""
_KNOWN = text(
    "SELECT id, identity, value, value_max FROM facts "
    "WHERE identity = ANY(CAST(:identities AS text[])) ORDER BY id"
)
_LINK_PARTS = (
    "UPDATE facts SET part_of = link.whole "
    "FROM unnest($1::int[], $2::int[]) AS link(part, whole) WHERE facts.id = link.part"
)


def is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _decimal(value: Decimal | None) -> str | None:
    return _DECIMAL.process_bind_param(value, None)


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows turned into one list a column (an empty list each when there are none)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width


class PostgresNewDocument:
    """Stores a document the store does not have yet, with its facts."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def store(self, meta: DocumentMeta, facts: Sequence[ExtractedFact]) -> int:
        import asyncpg

        identities = [fact_identity(fact) for fact in facts]
        # Through the session: the look-up begins its transaction, which the rest joins.
        known = await self._session.execute(_KNOWN, {"identities": sorted(set(identities))})
        ids = match_known(
            facts,
            identities,
            (
                (fact_id, key, Decimal(value), None if value_max is None else Decimal(value_max))
                for fact_id, key, value, value_max in known
            ),
        )
        fresh = [index for index, found in enumerate(ids) if found is None]
        fresh_facts = [facts[index] for index in fresh]
        index = index_rows(
            (_index_fields(position, fact) for position, fact in enumerate(fresh_facts)),
            index_labels(),
        )
        counts = word_counts(index)
        # The further sources know their facts' ids already; the document's id is the
        # statement's own.
        sources = further_sources(facts, ids, set(fresh), 0)
        driver = await self._driver()
        try:
            row = await driver.fetchrow(
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
                *_columns(
                    [_fact_row(facts[i], identities[i]) for i in fresh],
                    len(_FACT_COLUMNS),
                ),
                [document_vector(row) for row in index],
                [count["word"] for count in counts],
                [count["facts"] for count in counts],
                *_columns(
                    [tuple(source[name] for name, _ in _SOURCE_COLUMNS) for source in sources],
                    len(_SOURCE_COLUMNS),
                ),
            )
        except asyncpg.UniqueViolationError as error:
            # As SQLAlchemy reports it, for callers that handle a file stored meanwhile.
            raise IntegrityError("INSERT INTO documents", None, error) from error
        for position, fact_id in zip(fresh, row["ids"], strict=True):
            ids[position] = fact_id
        links = part_links(facts, ids, set(fresh))
        if links:
            await driver.execute(
                _LINK_PARTS, [part for part, _ in links], [whole for _, whole in links]
            )
        if index:
            forget_word_counts(store_of(self._session))
        return int(row["document_id"])

    async def _driver(self) -> Any:
        """The session's asyncpg connection, in the session's transaction."""
        connection = await self._session.connection()
        raw = await connection.get_raw_connection()
        return raw.driver_connection


def _index_fields(position: int, fact: ExtractedFact) -> dict[str, Any]:
    """What `index_rows` reads of a fact (the id only pairs rows up: the vectors go in
    in the facts' order)."""
    return {
        "id": position,
        "topic": fact.topic.value,
        "subject": fact.subject,
        "entity_key": fact.entity_key,
        "metric": fact.metric,
        "quote": fact.quote,
    }


def _fact_row(fact: ExtractedFact, key: str) -> tuple[Any, ...]:
    """A fact's values in the order of `_FACT_COLUMNS`."""
    return (
        fact.topic.value,
        fact.subject,
        fact.entity_key,
        fact.metric,
        _decimal(fact.value),
        fact.unit,
        fact.period.key() if fact.period else None,
        fact.status.value,
        fact.qualifier.value if fact.qualifier else None,
        fact.quote,
        fact.start,
        fact.end,
        fact.object,
        fact.per,
        _decimal(fact.value_max),
        fact.lang,
        key,
    )
