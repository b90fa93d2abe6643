"""Full-text search on PostgreSQL: the same search documents and queries as FTS5, in a
`tsvector` column with a GIN index.

`facts_fts` (migration 0004) holds, per fact, one `tsvector` of its search document
(`bot.pipeline.search_terms.SearchDocument`): the subject's words at weight A, the metric's
at B, the topic's at C, the quote and its lemmas at D. The application has already analysed
the text (Russian lemmas, Kazakh stems, every name of the entity), so the vector is written
as a literal — `'сарань':1A 'зона':2A …` — and so are the queries (`'сарань':AB | …`): no
text-search configuration, parser or server locale stands between the analysis and the
index, and nothing a user types reaches tsquery syntax (words are letters and digits,
quoted).

The search itself is `FactSearch`'s (each word's count from `search_words`, then the
matches put in tiers); this class supplies the PostgreSQL statements, which order the
pages as SQLite's do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Integer, Select, column, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.pipeline.gazetteer import Gazetteer
from bot.pipeline.search_terms import (
    FIELDS,
    LEMMAS,
    METRIC,
    QUOTE,
    SUBJECT,
    TOPIC,
    Filters,
    IndexLabels,
    Term,
    plain,
    subject_words,
)
from bot.storage.fact_rows import NEWEST_DOCUMENT_FIRST, filtered, page
from bot.storage.fulltext import (
    FTS_TABLE,
    TIERS,
    FactSearch,
)

# The tsvector weight of each field: PostgreSQL has four, so the quote and its lemmas
# share the lowest (no query tells them apart).
FIELD_WEIGHT = {SUBJECT: "A", METRIC: "B", TOPIC: "C", QUOTE: "D", LEMMAS: "D"}
# tsvector positions stop at 16383; a search document is far shorter.
MAX_POSITION = 16_383
# A query that matches nothing (a tier some word cannot be found in).
NOTHING = "'a' & !'a'"
# How many facts older than a broad query's window are walked by key, newest first,
# for matches of the last tier before the index is asked for the rest.
OLDER_WALK = 8_192


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def document_vector(row: Mapping[str, Any]) -> str:
    """The tsvector literal of one index row (the fields of a `SearchDocument`)."""
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
# A document's indexed words, with how many of its facts have each (blocks left out).
_WORDS_OF_DOCUMENT = text(
    f"SELECT word, count(*) AS facts FROM {FTS_TABLE}, "
    "unnest(tsvector_to_array(document)) AS word "
    "WHERE id IN (SELECT id FROM facts WHERE document_id = :document_id) "
    "AND word NOT LIKE '#%' GROUP BY word ORDER BY word"
)


# Subjects with a word near the given one: loose enough for two wrong letters in a
# word of six, for this transaction only.
_TRIGRAM_THRESHOLD = text("SET LOCAL pg_trgm.word_similarity_threshold = 0.3")
_NEAR_SUBJECTS = text(
    "SELECT DISTINCT subject FROM facts WHERE CAST(:word AS text) <% lower(subject) LIMIT 200"
)


def _matches(name: str) -> str:
    return f"document @@ CAST(:{name} AS tsquery)"


def _statements(where: str) -> tuple[Select[Any], Select[Any]]:
    """The two page statements, their matches limited by `where` (a condition on
    `id`: the query's filters, or nothing).

    A GIN index finds a word's facts in no useful order, and joining a broad word's
    posting list with another's means decoding all of it: some 15 ms for a word in a
    quarter of a million facts, whatever the page. So the index is asked only for the
    narrow words; every other condition is checked on the rows found (`IS TRUE` keeps it
    out of the index), and broad queries walk the newest facts by their key instead."""
    # Some word narrow: the narrow words' facts from the index, checked for all the words,
    # with the tiers each is in.
    narrowed_hits = (
        text(
            f"SELECT id, CAST({_matches('strong')} AS integer) AS strong, "
            f"CAST({_matches('fair')} AS integer) AS fair "
            f"FROM {FTS_TABLE} WHERE {_matches('narrow')} AND ({_matches('all')}) IS TRUE{where}"
        )
        .columns(column("id", Integer), column("strong", Integer), column("fair", Integer))
        .subquery("hits")
    )
    # Every word broad: the window of the newest facts (from `:first` on) read by key, each
    # match labelled with the first tier it is in (the tiers nest). When they are fewer
    # than the page, the older matches of the last tier follow, newest first: by key down
    # to `:reach`, then from the index (few, if so many facts had so few) — each run
    # looked up only if the one before it fell short.
    older_runs = " UNION ALL ".join(
        f"(SELECT id FROM {FTS_TABLE} WHERE {condition}{where} ORDER BY id DESC LIMIT :wanted)"
        for condition in (
            f"id < :first AND id >= :reach AND ({_matches('tier3')}) IS TRUE",
            f"id < :reach AND {_matches('tier3')}",
        )
    )
    tiered_hits = (
        text(
            "WITH recent AS MATERIALIZED ("
            f"SELECT id, CASE WHEN {_matches('tier1')} THEN 1 WHEN {_matches('tier2')} THEN 2 "
            f"ELSE 3 END AS tier FROM {FTS_TABLE} "
            f"WHERE id >= :first AND ({_matches('tier3')}) IS TRUE{where}) "
            "SELECT id, tier FROM recent UNION ALL "
            f"(SELECT id, 3 AS tier FROM ({older_runs}) AS older "
            "WHERE (SELECT count(*) FROM recent) < :wanted LIMIT :wanted) "
            # The page's rows only are joined to their facts and documents.
            "ORDER BY tier, id DESC LIMIT :wanted"
        )
        .columns(column("id", Integer), column("tier", Integer))
        .subquery("hits")
    )
    return (
        page(
            narrowed_hits,
            narrowed_hits.c.strong.desc(),
            narrowed_hits.c.fair.desc(),
            *NEWEST_DOCUMENT_FIRST,
        ),
        page(tiered_hits, tiered_hits.c.tier, tiered_hits.c.id.desc()),
    )


assert len(TIERS) == 3 and TIERS[-1] is None, "the statement above knows three tiers"
STATEMENTS = _statements("")
FILTERED_STATEMENTS = _statements(f" AND {filtered(FTS_TABLE + '.id')}")


class PostgresFactSearch(FactSearch):
    """`FactSearch` over the `tsvector` index (see the module)."""

    match_expression = staticmethod(tsquery)
    either = " | "
    nothing = NOTHING

    def __init__(
        self, session: AsyncSession, labels: IndexLabels, gazetteer: Gazetteer | None = None
    ) -> None:
        super().__init__(session, labels, gazetteer)
        self._indexed = True

    @classmethod
    def _statements(cls, filters: Filters) -> tuple[Select[Any], Select[Any]]:
        return FILTERED_STATEMENTS if filters else STATEMENTS

    async def _subject_words(self, word: str) -> dict[str, str]:
        """The words of the stored subjects that share enough trigrams with `word`
        (pg_trgm's index over the subjects, migration 0007); `corrected_name` picks."""
        await self._session.execute(_TRIGRAM_THRESHOLD)
        subjects = (await self._session.scalars(_NEAR_SUBJECTS, {"word": plain(word)})).all()
        return subject_words(subjects)

    async def _remove_document(self, document_id: int) -> None:
        await self._session.execute(_DELETE_DOCUMENT, {"document_id": document_id})

    async def _write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self._session.execute(
                _UPSERT, [{"id": row["id"], "document": document_vector(row)} for row in rows]
            )
            await self._count(rows)

    async def _words_of_document(self, document_id: int) -> list[dict[str, Any]]:
        rows = await self._session.execute(_WORDS_OF_DOCUMENT, {"document_id": document_id})
        return [dict(row) for row in rows.mappings()]

    def _window(self, first: int) -> dict[str, Any]:
        """The window from `first` on, and how far below it older matches are looked for
        by key before the index is asked."""
        return {"first": first, "reach": first - OLDER_WALK}
