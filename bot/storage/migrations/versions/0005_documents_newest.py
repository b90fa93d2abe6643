"""An index for "the newest documents first", the order every answer reads them in.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Undated documents last: SQLite's descending order puts NULLs last by itself,
    # PostgreSQL's is told to.
    postgresql = op.get_bind().dialect.name == "postgresql"
    published = "published DESC NULLS LAST" if postgresql else "published DESC"
    op.execute(f"CREATE INDEX ix_documents_newest ON documents ({published}, file_name)")


def downgrade() -> None:
    op.drop_index("ix_documents_newest", table_name="documents")
