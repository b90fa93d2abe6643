"""Full-text search over the facts: SQLite FTS5 behind one repository class.

The index (`facts_fts`, migration 0002) holds one row per fact, its rowid the fact's
id, with the fields of `bot.pipeline.search_terms.SearchDocument`. It is written in the same
transaction as the facts (`DocumentRepository.store` calls `add_document` and
`remove_document`), so it never disagrees with them.

Queries never reach FTS5 syntax from the user: `bot.pipeline.search_terms.parse_query` keeps only
runs of letters and digits, and each becomes a quoted string here.

Ranking. FTS5's `bm25()` is exact but first counts, for every term of the query, all
the rows that contain it: a word found in a fifth of a million facts costs tens of
milliseconds before the first row is ranked. So every word of the query is probed
first (one statement), counting at most `EXACT_LIMIT` facts:

- every word narrower than that: all matches are ranked with weighted bm25, ties
  going to the newest document;
- some words broad, some narrow ("Qarmet инвестиции"): the matches are no more than
  the narrow words match, so all of them are ranked — first those with every word in
  the fact's subject or metric, then also in its topic words, then the rest; within
  that, bm25 over the narrow words only;
- every word broad ("инвестиции", "рабочие места"): the same tiers, the most recently
  added facts first within a tier, the first two tiers looked for among the `RECENT`
  newest facts only. FTS5 walks its index in rowid order and stops after the page, so
  the cost follows the page and that window, not the size of the store.

On PostgreSQL the same search runs over a tsvector index (`bot.storage.fulltext_postgres`:
the statements differ, the analysis and the strategy do not). Other dialects have no
index: there the facts are matched in memory with the same analysis
(`bot.pipeline.search_terms.match_facts`), which suits a store of a few thousand facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Float, Integer, Row, Select, bindparam, column, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause

from bot.domain import DatePrecision, Fact, Period, Qualifier, Source, Status, Topic
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.pipeline.search_terms import (
    FIELDS,
    LEMMAS,
    METRIC,
    QUOTE,
    SUBJECT,
    TOPIC,
    Term,
    fact_document,
    match_facts,
    parse_query,
)
from bot.storage.models import DocumentRecord, FactRecord

# The table and its tokenizer are created by migration 0002: unicode61 keeps every run
# of letters and digits whole, like `bot.pipeline.search_terms.words_of`; ё and case are folded before
# the text gets here.
FTS_TABLE = "facts_fts"

# bm25 weights, in the order of the table's columns.
WEIGHTS: dict[str, float] = {SUBJECT: 10.0, METRIC: 6.0, TOPIC: 3.0, QUOTE: 2.0, LEMMAS: 1.0}
# A word of the query matching at least this many facts is "broad" (see above).
EXACT_LIMIT = 200
# The fields every word must be found in, tier by tier (None: anywhere).
TIERS: tuple[frozenset[str] | None, ...] = (
    frozenset({SUBJECT, METRIC}),
    frozenset({SUBJECT, METRIC, TOPIC}),
    None,
)
# Broad queries look for their strongest matches (the first tiers) among this many of
# the most recently added facts: finding that a tier is nearly empty would otherwise
# cost a walk through the whole index.
RECENT = 10_000
# Results further down than this are not served (inline paging stops there).
MAX_OFFSET = 1000
# An empty phrase: matches nothing (a tier some word cannot be found in).
NOTHING = '""'

INSERT_ROW = (
    f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FIELDS)}) "
    f"VALUES (:id, {', '.join(':' + name for name in FIELDS)})"
)
_DELETE_ROWS = text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id")
_DELETE_DOCUMENT = text(
    f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
    "(SELECT id FROM facts WHERE document_id = :document_id)"
)
_FACT_COLUMNS = ("id", "topic", "subject", "entity_key", "metric", "quote")


def index_rows(
    facts: Iterable[Mapping[Any, Any]], gazetteer: Gazetteer | None = None
) -> list[dict[str, Any]]:
    """Index rows for stored facts given as mappings with `_FACT_COLUMNS`."""
    gazetteer = gazetteer or load_gazetteer()
    rows = []
    for fact in facts:
        document = fact_document(
            topic=fact["topic"],
            subject=fact["subject"],
            entity_key=fact["entity_key"],
            metric=fact["metric"],
            quote=fact["quote"],
            gazetteer=gazetteer,
        )
        rows.append({"id": fact["id"], **{name: document.field(name) for name in FIELDS}})
    return rows


def phrase(term: Term, within: frozenset[str] | None = None) -> str | None:
    """One term as an FTS5 string, limited to its fields (and `within`); None when
    no field is left."""
    fields = term.fields
    if within is not None:
        fields = within if fields is None else fields & within
    if fields is not None and not fields:
        return None
    quoted = '"' + term.text.replace('"', '""') + '"'
    if fields is None or set(fields) >= set(FIELDS):
        return quoted
    return "{" + " ".join(name for name in FIELDS if name in fields) + "} : " + quoted


def match_expression(
    groups: Sequence[Sequence[Term]], within: frozenset[str] | None = None
) -> str | None:
    """Every group (any of its terms) in FTS5 syntax; None when some group cannot match."""
    parts = []
    for group in groups:
        alternatives = [p for p in (phrase(term, within) for term in group) if p]
        if not alternatives:
            return None
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts) or None


class FactSearch:
    """Search and index maintenance over one session (SQLite FTS5; on PostgreSQL the
    `PostgresFactSearch` subclass, with the same search over a tsvector index)."""

    # How this index spells a query, and a query that matches nothing.
    match_expression = staticmethod(match_expression)
    nothing = NOTHING

    def __new__(cls, session: AsyncSession, gazetteer: Gazetteer | None = None) -> FactSearch:
        if cls is FactSearch and session.get_bind().dialect.name == "postgresql":
            from bot.storage.fulltext_postgres import PostgresFactSearch

            return super().__new__(PostgresFactSearch)
        return super().__new__(cls)

    def __init__(self, session: AsyncSession, gazetteer: Gazetteer | None = None) -> None:
        self._session = session
        self._gazetteer = gazetteer
        self._indexed = session.get_bind().dialect.name == "sqlite"

    # ---- keeping the index in step ---------------------------------------------------

    async def add_document(self, document_id: int) -> None:
        """Index every fact of a document (after they are inserted)."""
        if not self._indexed:
            return
        result = await self._session.execute(
            select(*(getattr(FactRecord, name) for name in _FACT_COLUMNS)).where(
                FactRecord.document_id == document_id
            )
        )
        await self._write(index_rows(result.mappings(), self._gazetteer))

    async def remove_document(self, document_id: int) -> None:
        """Drop the index rows of a document's facts (before they are deleted)."""
        if not self._indexed:
            return
        await self._session.execute(_DELETE_DOCUMENT, {"document_id": document_id})

    async def rebuild(self) -> int:
        """Index every fact afresh; returns how many."""
        if not self._indexed:
            return 0
        await self._clear()
        result = await self._session.execute(
            select(*(getattr(FactRecord, name) for name in _FACT_COLUMNS))
        )
        rows = index_rows(result.mappings(), self._gazetteer)
        await self._write(rows)
        return len(rows)

    async def _clear(self) -> None:
        await self._session.execute(text(f"DELETE FROM {FTS_TABLE}"))

    async def _write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        # A fact id the store reuses must not meet a row left by a fact deleted elsewhere.
        await self._session.execute(_DELETE_ROWS, [{"id": row["id"]} for row in rows])
        await self._session.execute(text(INSERT_ROW), rows)

    # ---- searching ------------------------------------------------------------------

    async def search(
        self, query: str, language: str = "ru", limit: int = 50, offset: int = 0
    ) -> list[Fact]:
        """The facts matching `query`, best first: `limit` of them from `offset` on."""
        offset = max(offset, 0)
        limit = min(limit, MAX_OFFSET - offset)
        parsed = parse_query(query, language)
        if not parsed or limit <= 0:
            return []
        if not self._indexed:
            facts = await self._match_in_memory(query, language)
            return facts[offset : offset + limit]
        groups, newest = await self._probe(parsed.groups)
        if not groups:
            return []
        every = [group for group, _size in groups]
        narrow = [group for group, size in groups if size < EXACT_LIMIT]
        page = {"limit": limit, "offset": offset}
        params: dict[str, Any]
        bm25_page, narrowed_page, tiered_page = self._statements()
        spell = self.match_expression
        if len(narrow) == len(every):
            statement, params = bm25_page, {"match": spell(every), **self._rank_params(every)}
        elif narrow:
            statement, params = (
                narrowed_page,
                {
                    "narrow": spell(narrow),
                    "all": spell(every),
                    "strong": spell(every, TIERS[0]) or self.nothing,
                    "fair": spell(every, TIERS[1]) or self.nothing,
                    **self._rank_params(narrow),
                },
            )
        else:
            statement, params = (
                tiered_page,
                {
                    f"tier{tier}": spell(every, within) or self.nothing
                    for tier, within in enumerate(TIERS, start=1)
                },
            )
            params.update(floor=newest - RECENT, wanted=offset + limit)
        rows = (await self._session.execute(statement, {**params, **page})).all()
        return [_fact(row) for row in rows]

    async def _probe(
        self, groups: Sequence[Sequence[Term]]
    ) -> tuple[list[tuple[Sequence[Term], int]], int]:
        """The groups with how many facts each matches (up to `EXACT_LIMIT`), and the
        newest fact's id, in one statement. Words the store has never seen
        ("сколько", a typo) are left out rather than emptying the answer."""
        matched = [(group, match) for group in groups if (match := self.match_expression([group]))]
        if not matched:
            return [], 0
        params: dict[str, Any] = {f"g{i}": match for i, (_group, match) in enumerate(matched)}
        params["cap"] = EXACT_LIMIT
        statement = self._probe_statement(len(matched))
        *sizes, newest = (await self._session.execute(statement, params)).one()
        known = [
            (group, int(size)) for (group, _m), size in zip(matched, sizes, strict=True) if size
        ]
        return known, int(newest or 0)

    def _probe_statement(self, count: int) -> TextClause:
        counts = ", ".join(
            f"(SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :g{i} "
            "LIMIT :cap))"
            for i in range(count)
        )
        return text(f"SELECT {counts}, (SELECT max(id) FROM facts)")

    def _rank_params(self, groups: Sequence[Sequence[Term]]) -> dict[str, Any]:
        """What the ranked statements need besides the matches (bm25 needs nothing)."""
        return {}

    @classmethod
    def _statements(cls) -> tuple[Select[Any], Select[Any], Select[Any]]:
        """The page statements: every word narrow, some narrow, every word broad."""
        return _BM25_PAGE, _NARROWED_PAGE, _TIERED_PAGE

    async def _match_in_memory(self, query: str, language: str) -> list[Fact]:
        from bot.storage.repositories import FactRepository

        facts = await FactRepository(self._session).list()
        return match_facts(facts, query, self._gazetteer or load_gazetteer(), language=language)


# ---- statements -----------------------------------------------------------------------
# Each finds its matches as a subquery `hits` and loads the page of facts with their
# documents in the same statement: one round trip, no ORM objects — an inline query
# wants its fifty facts within milliseconds.

_FACTS = FactRecord.__table__
_DOCUMENTS = DocumentRecord.__table__
_BM25 = f"bm25({FTS_TABLE}, {', '.join(str(WEIGHTS[name]) for name in FIELDS)})"
_NEWEST_DOCUMENT_FIRST = (_DOCUMENTS.c.published.desc().nulls_last(), _FACTS.c.id.desc())


# What `_fact` reads, in this order.
_COLUMNS = [
    *(_FACTS.c[name] for name in (
        "id", "document_id", "topic", "subject", "entity_key", "metric", "value", "unit",
        "period", "status", "qualifier", "quote", "start", "end", "added_at",
    )),
    *(_DOCUMENTS.c[name] for name in (
        "file_name", "outlet", "url", "published", "published_to", "date_precision", "title",
    )),
]  # fmt: skip


def _page(hits: Any, *order: Any) -> Select[Any]:
    return (
        select(*_COLUMNS)
        .select_from(hits)
        .join(_FACTS, _FACTS.c.id == hits.c.id)
        .join(_DOCUMENTS, _DOCUMENTS.c.id == _FACTS.c.document_id)
        .order_by(*order)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


# Every word narrow: weighted bm25 over all matches.
_BM25_HITS = (
    text(f"SELECT rowid AS id, {_BM25} AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match")
    .columns(column("id", Integer), column("score", Float))
    .subquery("hits")
)
_BM25_PAGE = _page(_BM25_HITS, _BM25_HITS.c.score, *_NEWEST_DOCUMENT_FIRST)

# Some words narrow: every match, with the tiers it is in, ranked by bm25 over the
# narrow words (`:narrow`) among the matches of them all (`:all`).
_NARROWED_HITS = (
    text(
        f"SELECT rowid AS id, {_BM25} AS score, "
        f"rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :strong) AS strong, "
        f"rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fair) AS fair "
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :narrow "
        f"AND rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :all)"
    )
    .columns(
        column("id", Integer),
        column("score", Float),
        column("strong", Integer),
        column("fair", Integer),
    )
    .subquery("hits")
)
_NARROWED_PAGE = _page(
    _NARROWED_HITS,
    _NARROWED_HITS.c.strong.desc(),
    _NARROWED_HITS.c.fair.desc(),
    _NARROWED_HITS.c.score,
    *_NEWEST_DOCUMENT_FIRST,
)

# Every word broad: each tier's newest matches (`:wanted` of them, enough for the page
# since each tier contains the one before), the first tiers among the facts added
# after `:floor`; every fact once, in the first tier it is in. FTS5 honours a lower
# bound on rowid when it walks upwards, not when it walks down, so those windows are
# read upwards and sorted (`id + 0` keeps the sort out of the virtual table); the last
# tier has no bound and walks down, stopping at the page.
_RECENT_TIER = (
    "SELECT id, {tier} AS tier FROM (SELECT id FROM (SELECT rowid AS id FROM "
    f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH :tier{{tier}} AND rowid > :floor) "
    "ORDER BY id + 0 DESC LIMIT :wanted)"
)
_LAST_TIER = (
    "SELECT id, {tier} AS tier FROM (SELECT rowid AS id FROM "
    f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH :tier{{tier}} ORDER BY rowid DESC LIMIT :wanted)"
)
_TIERED_HITS = (
    text(
        "SELECT id, min(tier) AS tier FROM ("
        + " UNION ALL ".join(
            (_LAST_TIER if within is None else _RECENT_TIER).format(tier=tier)
            for tier, within in enumerate(TIERS, start=1)
        )
        + ") GROUP BY id"
    )
    .columns(column("id", Integer), column("tier", Integer))
    .subquery("hits")
)
_TIERED_PAGE = _page(_TIERED_HITS, _TIERED_HITS.c.tier, _TIERED_HITS.c.id.desc())


# Stored strings to their enums by dictionary: fifty rows an answer, several a row.
_TOPICS = {member.value: member for member in Topic}
_STATUSES = {member.value: member for member in Status}
_QUALIFIERS = {member.value: member for member in Qualifier}
_PRECISIONS = {member.value: member for member in DatePrecision}
_period = lru_cache(maxsize=4096)(Period.from_key)


def _fact(row: Row[Any]) -> Fact:
    (
        fact_id, document_id, topic, subject, entity_key, metric, value, unit, period,
        status, qualifier, quote, start, end, added_at,
        file_name, outlet, url, published, published_to, precision, title,
    ) = tuple(row)  # fmt: skip
    source = Source(
        id=document_id,
        file_name=file_name,
        outlet=outlet,
        url=url,
        published=published,
        precision=_PRECISIONS[precision],
        published_to=published_to,
        title=title,
    )
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
    )
