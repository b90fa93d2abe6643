"""Full-text search: an FTS5 index of the facts, filled from the facts already stored.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
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
INSERT_ROW = (
    f"INSERT INTO facts_fts (rowid, {', '.join(COLUMNS)}) "
    f"VALUES (:id, {', '.join(':' + name for name in COLUMNS)})"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # other dialects get their own full-text index
    op.execute(CREATE_TABLE)
    # The search documents are built by the application's analysis (lemmas, names,
    # labels), so facts stored before this revision are indexed the same way.
    from bot.storage.fulltext import index_rows

    facts = bind.execute(
        sa.text("SELECT id, topic, subject, entity_key, metric, quote FROM facts")
    ).mappings()
    rows = [{"id": row["id"], **{name: row[name] for name in COLUMNS}} for row in index_rows(facts)]
    if rows:
        bind.execute(sa.text(INSERT_ROW), rows)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE facts_fts")
