"""Full-text search on PostgreSQL: a tsvector per fact with a GIN index, filled from the
facts already stored. (SQLite has its FTS5 index from 0002; nothing changes there.)

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "facts_fts",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.dialects.postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_facts_fts"),
        sa.ForeignKeyConstraint(
            ["id"], ["facts.id"], name="fk_facts_fts_id_facts", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_facts_fts_document", "facts_fts", ["document"], postgresql_using="gin")
    # Facts stored before this revision are indexed by `python -m bot reindex`: the
    # documents are built by the application's analysis, which a migration does not import.


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("facts_fts")
