"""Full-text search: an FTS5 index of the facts, filled from the facts already stored.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported, so that this revision keeps meaning what it meant.
COLUMNS = ("subject", "metric", "topic", "quote", "lemmas")
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE facts_fts USING fts5({', '.join(COLUMNS)}, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other dialects get their own full-text index
    op.execute(CREATE_TABLE)
    # Facts stored before this revision are indexed by `python -m bot reindex`: the
    # documents are built by the application's analysis, which a migration does not import.


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE facts_fts")
