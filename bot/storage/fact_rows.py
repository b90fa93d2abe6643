"""Facts read as plain rows: the columns a search page selects, the page statement
around a subquery of hits, and the row-to-`Fact` conversion. Shared by the SQLite and
PostgreSQL searches, so that both load their pages the same way.

A page is one statement: the hits (ids, and the tiers they are ranked by; limited by a
query's year, status and topic through `filtered`) joined to their facts and documents,
ordered and cut — no ORM objects, since an inline query wants its fifty facts within
milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, DateTime, Row, Select, bindparam, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from bot.domain import DatePrecision, Fact, Period, Qualifier, Source, Status, Topic
from bot.pipeline.search_terms import Filters
from bot.storage.engine import driver_connection
from bot.storage.models import DecimalText, DocumentRecord, FactRecord

FACTS = FactRecord.__table__
DOCUMENTS = DocumentRecord.__table__
# The newest document first, a document's facts in the order its text gives them.
NEWEST_DOCUMENT_FIRST = (
    DOCUMENTS.c.published.desc().nulls_last(),
    FACTS.c.document_id.desc(),
    FACTS.c.id,
)

# What `fact_of` reads, in this order.
COLUMNS = [
    *(FACTS.c[name] for name in (
        "id", "document_id", "topic", "subject", "entity_key", "metric", "value", "unit",
        "period", "status", "qualifier", "quote", "start", "end", "added_at",
        "object", "per", "value_max", "part_of", "lang",
    )),
    *(DOCUMENTS.c[name] for name in (
        "file_name", "outlet", "url", "published", "published_to", "date_precision", "title",
        "lang",
    )),
]  # fmt: skip

# The filters as bound parameters, so that one statement serves every query: a NULL
# parameter lets every fact through. (Cast, for PostgreSQL to know their type.)
_FILTER_CONDITIONS = (
    "(CAST(:topic AS VARCHAR(32)) IS NULL OR {facts}.topic = CAST(:topic AS VARCHAR(32))) "
    "AND (CAST(:status AS VARCHAR(16)) IS NULL OR {facts}.status = CAST(:status AS VARCHAR(16))) "
    "AND (CAST(:year1 AS VARCHAR(32)) IS NULL OR {facts}.period LIKE CAST(:year1 AS VARCHAR(32)) "
    "OR {facts}.period LIKE CAST(:year2 AS VARCHAR(32)))"
)


def filtered(fact_id: str) -> str:
    """A condition that the fact with the id `fact_id` (an SQL expression) meets the
    query's filters (`filter_params`)."""
    conditions = _FILTER_CONDITIONS.format(facts="wanted")
    return f"EXISTS (SELECT 1 FROM facts AS wanted WHERE wanted.id = {fact_id} AND {conditions})"


def filter_params(filters: Filters) -> dict[str, Any]:
    """The bound values of `filtered` (and `FILTERED_PAGE`) for a query's filters."""
    years = [f"%{year}%" for year in filters.years]
    return {
        "year1": years[0] if years else None,
        "year2": years[-1] if years else None,
        "status": filters.status.value if filters.status else None,
        "topic": filters.topic.value if filters.topic else None,
    }


def page(hits: Any, *order: Any, cut: bool = True) -> Select[Any]:
    """The page of facts of a subquery `hits` (with an `id` column), ordered and cut
    (`cut=False`: `hits` holds the page's rows only, cut by `:limit` and `:offset`)."""
    statement = (
        select(*COLUMNS)
        .select_from(hits)
        .join(FACTS, FACTS.c.id == hits.c.id)
        .join(DOCUMENTS, DOCUMENTS.c.id == FACTS.c.document_id)
        .order_by(*order)
    )
    if not cut:
        return statement
    return statement.limit(bindparam("limit")).offset(bindparam("offset"))


# Every fact meeting the filters, newest document first: a query of filters alone.
FILTERED_PAGE = (
    select(*COLUMNS)
    .select_from(FACTS.join(DOCUMENTS, DOCUMENTS.c.id == FACTS.c.document_id))
    .where(text(_FILTER_CONDITIONS.format(facts="facts")))
    .order_by(*NEWEST_DOCUMENT_FIRST)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
# Every fact, for the stores without an index (matched in memory).
ALL_FACTS = (
    select(*COLUMNS)
    .select_from(FACTS.join(DOCUMENTS, DOCUMENTS.c.id == FACTS.c.document_id))
    .order_by(*NEWEST_DOCUMENT_FIRST)
)

# Stored strings to their enums by dictionary: fifty rows an answer, several a row.
_TOPICS = {member.value: member for member in Topic}
_STATUSES = {member.value: member for member in Status}
_QUALIFIERS = {member.value: member for member in Qualifier}
_PRECISIONS = {member.value: member for member in DatePrecision}
_period = lru_cache(maxsize=4096)(Period.from_key)


def fact_of(row: Row[Any] | Sequence[Any], sources: dict[int, Source] | None = None) -> Fact:
    """A `Fact` from a row of `COLUMNS` (`sources`: the documents of the rows read before
    it, shared rather than built again)."""
    (
        fact_id, document_id, topic, subject, entity_key, metric, value, unit, period,
        status, qualifier, quote, start, end, added_at,
        measured, per, value_max, part_of, lang,
        file_name, outlet, url, published, published_to, precision, title, document_lang,
    ) = tuple(row)  # fmt: skip
    source = None if sources is None else sources.get(document_id)
    if source is None:
        source = Source(
            id=document_id,
            file_name=file_name,
            outlet=outlet,
            url=url,
            published=published,
            precision=_PRECISIONS[precision],
            published_to=published_to,
            title=title,
            lang=document_lang,
        )
        if sources is not None:
            sources[document_id] = source
    return Fact(
        id=fact_id,
        source=source,
        topic=_TOPICS[topic],
        subject=subject,
        entity_key=entity_key,
        metric=metric,
        value=value,
        unit=unit,
        period=_period(period),
        status=_STATUSES[status],
        qualifier=_QUALIFIERS[qualifier] if qualifier else None,
        quote=quote,
        start=start,
        end=end,
        added_at=added_at,
        object=measured,
        per=per,
        value_max=value_max,
        part_of=part_of,
        lang=lang,
    )


def facts_of(rows: Sequence[Row[Any]] | Sequence[Sequence[Any]]) -> list[Fact]:
    """The `Fact`s of rows of `COLUMNS`, each document's `Source` built once."""
    sources: dict[int, Source] = {}
    return [fact_of(row, sources) for row in rows]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A page statement as the driver takes it: its SQL, the names of its parameters in
    order, and what turns each column the driver returns into what `fact_of` reads."""

    sql: str
    names: tuple[str, ...]
    # (column index, converter) for the columns that need one
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]

    def row(self, raw: Sequence[Any]) -> list[Any]:
        row = list(raw)
        for index, convert in self.converters:
            if row[index] is not None:
                row[index] = convert(row[index])
        return row


_COMPILED: dict[tuple[int, str], _Compiled] = {}


def _converter(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """What reads a column the SQLite driver returns: the ISO text SQLite keeps dates
    and times in, parsed by the standard library (SQLAlchemy's own processors parse it
    with a regular expression, several times slower); the column type's processor
    otherwise."""
    if isinstance(column_type, DecimalText):
        return Decimal
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat
    if isinstance(column_type, Date):
        return date.fromisoformat
    return column_type.result_processor(dialect, None)


def _compiled(statement: Select[Any], dialect: Dialect) -> _Compiled:
    key = (id(statement), dialect.name)
    compiled = _COMPILED.get(key)
    if compiled is None:
        done = statement.compile(dialect=dialect)
        converters = tuple(
            (index, convert)
            for index, column in enumerate(statement.selected_columns)
            if (convert := _converter(column.type, dialect)) is not None
        )
        compiled = _COMPILED[key] = _Compiled(
            done.string, tuple(done.positiontup or ()), converters
        )
    return compiled


async def read_facts(
    session: AsyncSession, statement: Select[Any], params: Mapping[str, Any]
) -> list[Fact]:
    """The facts a page statement (selecting `COLUMNS`) finds. On SQLite the statement,
    compiled once, goes to the driver directly: one trip to the connection's thread and
    no SQLAlchemy result objects, where an inline query counts every tenth of a
    millisecond; the columns are converted to the same values as SQLAlchemy's (a test
    compares the two). The statements are the module-level ones of this package,
    compiled once each."""
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":
        return facts_of((await session.execute(statement, params)).all())
    compiled = _compiled(statement, dialect)
    driver = await driver_connection(session)
    rows = await driver.execute_fetchall(
        compiled.sql, tuple(params[name] for name in compiled.names)
    )
    return facts_of([compiled.row(row) for row in rows])
