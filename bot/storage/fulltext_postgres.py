"""Full-text search on PostgreSQL: the same search documents and queries as FTS5, in a
`tsvector` column with a GIN index.

`facts_fts` (migration 0004) holds, per fact, one `tsvector` of its search document
(`bot.pipeline.search_terms.SearchDocument`): the subject's words at weight A, the metric's at B, the
topic's at C, the quote and its lemmas at D. The application has already analysed the
text (Russian lemmas, Kazakh stems, every name of the entity), so the vector is written
as a literal — `'сарань':1A 'зона':2A …` — and so are the queries (`'сарань':AB | …`):
no text-search configuration, parser or server locale stands between the analysis and
the index, and nothing a user types reaches tsquery syntax (words are letters and digits,
quoted).

The search itself is `FactSearch`'s (probe every word, then rank narrow queries, tier
broad ones); this class supplies the PostgreSQL statements. Ranking uses `ts_rank` with
the field weights and length normalisation in place of bm25.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Float, Integer, Select, column, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause

from bot.pipeline.gazetteer import Gazetteer
from bot.pipeline.search_terms import FIELDS, LEMMAS, METRIC, QUOTE, SUBJECT, TOPIC, Term
from bot.storage.fulltext import (
    _NEWEST_DOCUMENT_FIRST,
    FTS_TABLE,
    TIERS,
    WEIGHTS,
    FactSearch,
    _page,
)

# The tsvector weight of each field: PostgreSQL has four, so the quote and its lemmas
# share the lowest (no query tells them apart).
FIELD_WEIGHT = {SUBJECT: "A", METRIC: "B", TOPIC: "C", QUOTE: "D", LEMMAS: "D"}
# ts_rank's weights for {D, C, B, A}, from the FTS5 column weights.
_RANKS = [WEIGHTS[name] / WEIGHTS[SUBJECT] for name in (QUOTE, TOPIC, METRIC, SUBJECT)]
RANK_WEIGHTS = "{" + ", ".join(str(rank) for rank in _RANKS) + "}"
# Divide the rank by 1 + the logarithm of the document's length, as bm25 favours
# short documents.
RANK_NORMALIZATION = 1
# tsvector positions stop at 16383; a search document is far shorter.
MAX_POSITION = 16_383
# A query that matches nothing (a tier some word cannot be found in).
NOTHING = "'a' & !'a'"


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def document_vector(row: Mapping[str, Any]) -> str:
    """The tsvector literal of one index row (the fields of `bot.pipeline.search_terms.SearchDocument`)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for name in FIELDS:
        for word in str(row[name]).split():
            position = min(position + 1, MAX_POSITION)
            positions.setdefault(word, []).append(f"{position}{FIELD_WEIGHT[name]}")
    return " ".join(f"{_quoted(word)}:{','.join(at)}" for word, at in positions.items())


def _lexeme(term: Term, within: frozenset[str] | None) -> str | None:
    fields = term.fields
    if within is not None:
        fields = within if fields is None else fields & within
    if fields is not None and not fields:
        return None
    quoted = _quoted(term.text)
    weights = "".join(sorted({FIELD_WEIGHT[name] for name in fields or FIELDS}))
    return quoted if weights == "ABCD" else f"{quoted}:{weights}"


def tsquery(groups: Sequence[Sequence[Term]], within: frozenset[str] | None = None) -> str | None:
    """Every group (any of its terms) as a tsquery literal; None when some group cannot
    match within the fields."""
    parts = []
    for group in groups:
        alternatives = [lexeme for term in group if (lexeme := _lexeme(term, within))]
        if not alternatives:
            return None
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts) or None


_UPSERT = text(
    f"INSERT INTO {FTS_TABLE} (id, document) VALUES (:id, CAST(:document AS tsvector)) "
    "ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document"
)
_DELETE_DOCUMENT = text(
    f"DELETE FROM {FTS_TABLE} WHERE id IN (SELECT id FROM facts WHERE document_id = :document_id)"
)

# The rank is of every word of the ranked groups joined by OR (`:rank`): ts_rank of an AND
# query weighs how close its words stand, which in a document of concatenated fields says
# nothing, while of an OR query it adds up each word's weighted matches.
_RANK = f"ts_rank('{RANK_WEIGHTS}', document, CAST(:rank AS tsquery), {RANK_NORMALIZATION})"


def _matches(name: str) -> str:
    return f"document @@ CAST(:{name} AS tsquery)"


# Every word narrow: ranked over all matches (negated, so that lower is better as with bm25).
_BM25_HITS = (
    text(f"SELECT id, -{_RANK} AS score FROM {FTS_TABLE} WHERE {_matches('match')}")
    .columns(column("id", Integer), column("score", Float))
    .subquery("hits")
)
# Some words narrow: every match, with the tiers it is in, ranked over the narrow words.
_NARROWED_HITS = (
    text(
        f"SELECT id, -{_RANK} AS score, "
        f"CAST({_matches('strong')} AS integer) AS strong, "
        f"CAST({_matches('fair')} AS integer) AS fair "
        f"FROM {FTS_TABLE} WHERE {_matches('narrow')} AND {_matches('all')}"
    )
    .columns(
        column("id", Integer),
        column("score", Float),
        column("strong", Integer),
        column("fair", Integer),
    )
    .subquery("hits")
)
# Every word broad. A GIN index finds a word's facts in no useful order, and checking
# their field weights means reading every one of them: for a word in 2 % of a million
# facts, 20,000 rows for a page of 50. So the recent facts (after `:floor`) are read
# newest first instead, each labelled with the first tier it is in (the tiers nest); only
# when they hold less than the page are the older matches of the last tier looked up.
assert len(TIERS) == 3 and TIERS[-1] is None, "the statement below knows three tiers"
_TIERED_HITS = (
    text(
        "WITH recent AS MATERIALIZED ("
        f"SELECT id, CASE WHEN {_matches('tier1')} THEN 1 WHEN {_matches('tier2')} THEN 2 "
        f"ELSE 3 END AS tier FROM {FTS_TABLE} "
        # IS TRUE keeps the planner on the primary key's range rather than the GIN index.
        f"WHERE id > :floor AND ({_matches('tier3')}) IS TRUE) "
        "SELECT id, tier FROM recent UNION ALL "
        f"(SELECT id, 3 AS tier FROM {FTS_TABLE} WHERE (SELECT count(*) FROM recent) < :wanted "
        f"AND {_matches('tier3')} AND id <= :floor ORDER BY id DESC LIMIT :wanted) "
        # The page's rows only are joined to their facts and documents.
        "ORDER BY tier, id DESC LIMIT :wanted"
    )
    .columns(column("id", Integer), column("tier", Integer))
    .subquery("hits")
)

_BM25_PAGE = _page(_BM25_HITS, _BM25_HITS.c.score, *_NEWEST_DOCUMENT_FIRST)
_NARROWED_PAGE = _page(
    _NARROWED_HITS,
    _NARROWED_HITS.c.strong.desc(),
    _NARROWED_HITS.c.fair.desc(),
    _NARROWED_HITS.c.score,
    *_NEWEST_DOCUMENT_FIRST,
)
_TIERED_PAGE = _page(_TIERED_HITS, _TIERED_HITS.c.tier, _TIERED_HITS.c.id.desc())


class PostgresFactSearch(FactSearch):
    """`FactSearch` over the `tsvector` index (see the module)."""

    match_expression = staticmethod(tsquery)
    nothing = NOTHING

    def __init__(self, session: AsyncSession, gazetteer: Gazetteer | None = None) -> None:
        super().__init__(session, gazetteer)
        self._indexed = True

    @classmethod
    def _statements(cls) -> tuple[Select[Any], Select[Any], Select[Any]]:
        return _BM25_PAGE, _NARROWED_PAGE, _TIERED_PAGE

    def _rank_params(self, groups: Sequence[Sequence[Term]]) -> dict[str, Any]:
        return {"rank": tsquery([[term for group in groups for term in group]])}

    async def remove_document(self, document_id: int) -> None:
        await self._session.execute(_DELETE_DOCUMENT, {"document_id": document_id})

    async def _clear(self) -> None:
        await self._session.execute(text(f"DELETE FROM {FTS_TABLE}"))

    async def _write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self._session.execute(
                _UPSERT, [{"id": row["id"], "document": document_vector(row)} for row in rows]
            )

    def _probe_statement(self, count: int) -> TextClause:
        counts = ", ".join(
            f"(SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {_matches(f'g{i}')} "
            f"LIMIT :cap) AS g{i})"
            for i in range(count)
        )
        return text(f"SELECT {counts}, (SELECT max(id) FROM facts)")
