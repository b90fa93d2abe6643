"""Search state: a counter of changes to the facts (read as the store's version, one
row by its key instead of aggregates over the facts) and the analysis the index was
built with; the queries too long for a button's callback data, by a short key; on
PostgreSQL, pg_trgm and a trigram index over the facts' subjects, for names typed with
a mistake.

An index built with an older analysis is rebuilt by `python -m bot reindex --if-stale`
(the analysis recorded here, "1", is older than any the application writes).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("analysis", sa.String(16), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_search_state"),
    )
    op.execute("INSERT INTO search_state (id, version, analysis) VALUES (1, 0, '1')")
    op.create_table(
        "search_queries",
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("key", name="pk_search_queries"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_facts_subject_trgm ON facts USING gin (lower(subject) gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_facts_subject_trgm")
    op.drop_table("search_queries")
    op.drop_table("search_state")
