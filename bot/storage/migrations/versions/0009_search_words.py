"""Search at scale: how many facts each indexed word is found in (`search_words`), kept
as facts are indexed, so that a query learns which of its words are broad without
counting them.

Filled here from the index as it stands: on SQLite from FTS5's own vocabulary (the facts
each term occurs in), on PostgreSQL from the lexemes of the tsvectors.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("facts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name="pk_search_words"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "INSERT INTO search_words (word, facts) SELECT word, count(*) FROM facts_fts, "
            "unnest(tsvector_to_array(document)) AS word GROUP BY word"
        )
    else:
        op.execute("CREATE VIRTUAL TABLE temp.fts_words USING fts5vocab(main, facts_fts, row)")
        op.execute("INSERT INTO search_words (word, facts) SELECT term, doc FROM temp.fts_words")
        op.execute("DROP TABLE temp.fts_words")


def downgrade() -> None:
    op.drop_table("search_words")
