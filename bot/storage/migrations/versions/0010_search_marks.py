"""Search at scale on PostgreSQL: each fact's `tsvector` also carries marks of what a
query narrows by besides its words, so that the GIN index answers those conditions
together with the words instead of the rows being read one by one:

- `#r<n>`: the block of ids the fact's id falls in (`id / 4096`, as
  `bot.storage.fulltext_postgres.BLOCK` says), which finds the matches among the newest
  facts without walking them;
- `#t<topic>`, `#s<status>`: the fact's topic and status;
- `#y<yyyy>`: every four digits in a row of its period (a year it names); and
  `#t<topic><yyyy>`, `#s<status><yyyy>`: the topic and the status with each year, for
  queries that ask for both (one mark is far rarer than either).

`fact_marks()` spells them for the rows stored before this migration; the writers spell
the same marks with every vector they write (`bot.storage.fulltext.fact_marks`, the
block's in SQL). Marks begin with `#`, which no indexed word does, and are not counted in
`search_words`. SQLite's FTS5 needs none of this: it seeks rowid ranges itself.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CREATE = """
CREATE FUNCTION fact_marks(block bigint, topic text, status text, period text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(
        ARRAY['#r' || block, '#t' || coalesce(topic, ''), '#s' || coalesce(status, '')]
        || ARRAY(
            SELECT DISTINCT unnest(ARRAY[
                '#y' || year, '#t' || coalesce(topic, '') || year,
                '#s' || coalesce(status, '') || year
            ])
            FROM (
                SELECT substr(period, at, 4) AS year
                FROM generate_series(1, length(period) - 3) AS at
            ) AS runs
            WHERE year ~ '^[0-9]{4}$'
        )
    )
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_CREATE)
    op.execute(
        "UPDATE facts_fts SET document = document || "
        "fact_marks(facts.id / 4096, facts.topic, facts.status, facts.period) "
        "FROM facts WHERE facts.id = facts_fts.id"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "UPDATE facts_fts SET document = ts_delete(document, ARRAY(SELECT word FROM "
        "unnest(tsvector_to_array(document)) AS word WHERE word LIKE '#%'))"
    )
    op.execute("DROP FUNCTION fact_marks(bigint, text, text, text)")
