"""Full-text search on PostgreSQL: the same search documents and queries as FTS5, in a
`tsvector` column with a GIN index.

`facts_fts` (migration 0004) holds, per fact, one `tsvector` of its search document
(`bot.pipeline.search_terms.SearchDocument`): the subject's words at weight A, the metric's
at B, the topic's at C, the quote and its lemmas at D. The application has already analysed
the text (Russian lemmas, Kazakh stems, every name of the entity), so the vector is written
as a literal — `'сарань':1A 'зона':2A …` — and so are the queries (`'сарань':AB | …`): no
text-search configuration, parser or server locale stands between the analysis and the
index, and nothing a user types reaches tsquery syntax (words are letters and digits,
quoted). Each vector also carries its fact's marks (migration 0010): the block of ids it
falls in, its topic, status and years. With them the GIN index answers "the newest
matches" and a query's filters together with its words, where it would otherwise decode
every fact of a broad word and read each one.

The search itself is `FactSearch`'s (each word's count from `search_words`, then the
matches put in tiers); this class supplies the PostgreSQL statements, which order the
pages as SQLite's do.
"""

from __future__ import annotations

import math
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
# Each search row also carries its fact's marks (`bot.storage.fulltext.fact_marks`) and
# the mark of the block of `BLOCK` ids its fact's id falls in (`#r<n>`), appended in SQL
# wherever a row is written (migration 0010 marked the rows stored before it).
# The block size is the index's: a store indexed with another answers wrongly until
# reindexed (`bot.storage.fulltext.ANALYSIS`).
BLOCK = 4_096
# A broad query whose words look dense together (in at least one fact in `DENSE`) and
# that has no filters walks the newest facts by key: many rows it reads match. Below its
# window it walks `OLDER_WALK` facts more before asking the index.
DENSE = 16
OLDER_WALK = 8_192
# Any other broad query finds the window's matches in the index by the marks of its
# blocks, then the older ones in as many blocks below it as they seem to need, at most
# `NEAR_BLOCKS`, before asking the index for all the rest.
NEAR_BLOCKS = 8


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def document_vector(row: Mapping[str, Any]) -> str:
    """The tsvector literal of one index row (the fields of a `SearchDocument`, and the
    fact's marks but its block's: `block_mark` adds it where the id is known)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for name in FIELDS:
        for word in str(row[name]).split():
            position = min(position + 1, MAX_POSITION)
            positions.setdefault(word, []).append(f"{position}{FIELD_WEIGHT[name]}")
    words = (f"{_quoted(word)}:{','.join(at)}" for word, at in positions.items())
    return " ".join([*words, *(_quoted(mark) for mark in row.get("marks", ()))])


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


def block_mark(fact_id: str, block: str) -> str:
    """The SQL of the mark of the block of ids the fact `fact_id` (SQL) falls in, `block`
    the SQL of the block size."""
    return f"array_to_tsvector(ARRAY['#r' || ({fact_id} / {block})])"


def _block_marks(low: int, high: int) -> str:
    """A tsquery for the facts of the blocks the ids from `low` to `high` fall in."""
    return " | ".join(f"'#r{block}'" for block in range(low // BLOCK, high // BLOCK + 1))


def filter_marks(filters: Filters) -> str | None:
    """A tsquery for the marks of the facts that may meet `filters` (the filters
    themselves are still checked on the rows found: the marks only narrow them). With a
    year, the topic's and the status's marks are those with the year."""
    years = sorted({filters.years[0], filters.years[-1]}) if filters.years else []
    if not all(1000 <= year <= 9999 for year in years):
        years = []  # not a mark's four digits: the filter alone checks them
    names = [
        f"#t{filters.topic.value}" if filters.topic is not None else None,
        f"#s{filters.status.value}" if filters.status is not None else None,
    ]
    marks = [name for name in names if name is not None] or (["#y"] if years else [])
    parts = [
        " | ".join(f"'{mark}{year}'" for year in years) if years else f"'{mark}'" for mark in marks
    ]
    return " & ".join(f"({part})" for part in parts) or None


def _both(*expressions: str | None) -> str:
    return " & ".join(f"({expression})" for expression in expressions if expression)


_UPSERT = text(
    f"INSERT INTO {FTS_TABLE} (id, document) VALUES (:id, CAST(:document AS tsvector) || "
    f"{block_mark('CAST(:id AS integer)', 'CAST(:block AS integer)')}) "
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


def _statements(where: str) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The page statements, their matches limited by `where` (a condition on `id`: the
    query's filters, or nothing): some word narrow; every word broad, the window walked
    by key; every word broad, the window's matches from the index.

    A GIN index finds a word's facts in no useful order, and joining a broad word's
    posting list with another's means decoding all of it: some 15 ms for a word in a
    quarter of a million facts, whatever the page. So the index is asked for the narrow
    words, or for the words together with the marks of the blocks of ids wanted (the
    index then skips the rest of the words' lists); every other condition is checked on
    the rows found (`IS TRUE` keeps it out of the index, `id + 0` keeps a range of ids
    from being walked by key)."""
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

    # Every word broad: the window of the newest facts (from `:first` on), each match
    # labelled with the first tier it is in (the tiers nest). When they are fewer than the
    # page, the older matches of the last tier follow, newest first, from `older` (only
    # looked up then), and from the index below `reach` if those fall short.
    def tiered(window: str, steps: str, older: str, reach: str) -> Select[Any]:
        hits = (
            text(
                f"WITH recent AS MATERIALIZED (SELECT id, CASE WHEN {_matches('tier1')} "
                f"THEN 1 WHEN {_matches('tier2')} THEN 2 ELSE 3 END AS tier "
                f"FROM {FTS_TABLE} WHERE {window}{where}){steps} "
                "SELECT id, tier FROM recent UNION ALL "
                f"(SELECT id, 3 AS tier FROM ({older} UNION ALL "
                f"(SELECT id FROM {FTS_TABLE} WHERE {_matches('far')} AND id + 0 < {reach} "
                f"AND ({_matches('tier3')}) IS TRUE{where} "
                "ORDER BY id + 0 DESC LIMIT :wanted)) AS older "
                "WHERE (SELECT count(*) FROM recent) < :wanted "
                "LIMIT greatest(:wanted - (SELECT count(*) FROM recent), 0)) "
                # The page's rows only are joined to their facts and documents.
                "ORDER BY tier, id DESC LIMIT :wanted"
            )
            .columns(column("id", Integer), column("tier", Integer))
            .subquery("hits")
        )
        return page(hits, hits.c.tier, hits.c.id.desc())

    # Walked: the window, then `:reach` up to it, by key.
    walked = tiered(
        f"id >= :first AND ({_matches('tier3')}) IS TRUE",
        "",
        f"(SELECT id FROM {FTS_TABLE} WHERE id < :first AND id >= :reach "
        f"AND ({_matches('tier3')}) IS TRUE{where} ORDER BY id DESC LIMIT :wanted)",
        ":reach",
    )
    # From the index: the window's blocks, then the blocks of as many facts below it as
    # the window's share of matches (of the `:span` facts it holds) says the rest needs,
    # twice over, if that is at most `:near_rows` (one look-up: each costs the index its
    # words' lists over those blocks); else, and for what those did not hold, the index
    # below them. `near` holds the lowest of those blocks (None: none).
    near = (
        ", near AS MATERIALIZED (SELECT CASE WHEN found > 0 "
        "AND (wanted - found) * span <= near_rows * found "
        "THEN CAST(floor((first - least(ceil(2.0 * (wanted - found) * span / found), "
        "near_rows)) / size) AS integer) END AS low "
        "FROM (SELECT count(*) AS found, CAST(:wanted AS integer) AS wanted, "
        "CAST(:span AS integer) AS span, CAST(:near_rows AS integer) AS near_rows, "
        "CAST(:first AS integer) AS first, CAST(:block_size AS integer) AS size "
        "FROM recent) AS counted)"
    )
    blocks = (
        "CAST(array_to_string(ARRAY(SELECT format('%L', '#r' || block) FROM generate_series("
        "(SELECT low FROM near), (CAST(:first AS integer) - 1) / CAST(:block_size AS integer)) "
        "AS block), ' | ') AS tsquery)"
    )
    indexed = tiered(
        f"{_matches('window')} AND id + 0 >= :first AND ({_matches('tier3')}) IS TRUE",
        near,
        f"(SELECT id FROM {FTS_TABLE} WHERE (SELECT low FROM near) IS NOT NULL "
        f"AND document @@ (CAST(:near AS tsquery) && {blocks}) AND id + 0 < :first "
        f"AND ({_matches('tier3')}) IS TRUE{where} ORDER BY id + 0 DESC LIMIT :wanted)",
        "least(:first, coalesce((SELECT low FROM near) * :block_size, :first))",
    )
    return (
        page(
            narrowed_hits,
            narrowed_hits.c.strong.desc(),
            narrowed_hits.c.fair.desc(),
            *NEWEST_DOCUMENT_FIRST,
        ),
        walked,
        indexed,
    )


assert len(TIERS) == 3 and TIERS[-1] is None, "the statement above knows three tiers"
STATEMENTS = _statements("")
FILTERED_STATEMENTS = _statements(f" AND {filtered(FTS_TABLE + '.id')}")


class PostgresFactSearch(FactSearch):
    """`FactSearch` over the `tsvector` index (see the module)."""

    match_expression = staticmethod(tsquery)
    either = " | "
    nothing = NOTHING
    marks = True

    def __init__(
        self, session: AsyncSession, labels: IndexLabels, gazetteer: Gazetteer | None = None
    ) -> None:
        super().__init__(session, labels, gazetteer)
        self._indexed = True

    @classmethod
    def _statements(cls, filters: Filters) -> tuple[Select[Any], Select[Any]]:
        return (FILTERED_STATEMENTS if filters else STATEMENTS)[:2]

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
                _UPSERT,
                [
                    {"id": row["id"], "document": document_vector(row), "block": BLOCK}
                    for row in rows
                ],
            )
            await self._count(rows)

    async def _words_of_document(self, document_id: int) -> list[dict[str, Any]]:
        rows = await self._session.execute(_WORDS_OF_DOCUMENT, {"document_id": document_id})
        return [dict(row) for row in rows.mappings()]

    def _unimplied(
        self, known: Sequence[tuple[Sequence[Term], int]], filters: Filters
    ) -> list[Sequence[Term]]:
        """The groups a fact of the filters' topic does not have in its topic field."""
        topic = filters.topic
        return [
            group
            for group, _size in known
            if topic is None or not self._in_topic_field(group, topic)
        ]

    def _window(
        self,
        filters: Filters,
        first: int,
        newest: int,
        known: Sequence[tuple[Sequence[Term], int]],
        tiers: Mapping[str, str],
    ) -> tuple[Select[Any], dict[str, Any]]:
        """Walked by key when nothing filters the words and they look dense together
        (as if each were found independently of the others); else found in the index
        by the marks of the blocks of ids (and of the filters)."""
        statements = FILTERED_STATEMENTS if filters else STATEMENTS
        every = tiers["tier3"]
        share = math.prod(min(size / max(newest, 1), 1.0) for _group, size in known)
        if not filters and share * DENSE >= 1:
            reach = max(first - OLDER_WALK, 0)
            return statements[1], {"first": first, "reach": reach, "far": every}
        marks = filter_marks(filters)
        # The index is asked for the words the topic's mark does not already imply (a
        # fact of the topic has its words in its topic field): a broad word's long list
        # costs the index even beside a rare mark. The rows found are checked for all.
        every = self.match_expression(self._unimplied(known, filters)) or every
        return statements[2], {
            "first": first,
            "window": _both(every, _block_marks(first, max(newest, first)), marks),
            "span": max(newest - first + 1, 1),
            "near": _both(every, marks),
            "near_rows": NEAR_BLOCKS * BLOCK,
            "block_size": BLOCK,
            "far": _both(every, marks),
        }
