"""Fetching news by itself: each feed's conditional-GET state and freshness, every page
fetched (canonical address and text hash, so nothing is fetched or ingested twice), the
other sites a document was also published on, and the lease that lets one replica fetch
at a time.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_states",
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("name", sa.String(255)),
        sa.Column("etag", sa.String(512)),
        sa.Column("last_modified", sa.String(128)),
        sa.Column("last_fetch_at", sa.DateTime(timezone=True)),
        sa.Column("last_success_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text()),
        sa.Column("newest_article", sa.Date()),
        sa.PrimaryKeyConstraint("url", name="pk_feed_states"),
    )
    op.create_table(
        "web_pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("canonical_url", sa.String(2048), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("text_sha256", sa.String(64)),
        sa.Column("file_name", sa.String(255)),
        sa.Column("feed_url", sa.String(2048)),
        sa.Column(
            "fetched_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint("canonical_url", name="uq_web_pages_canonical_url"),
    )
    op.create_index("ix_web_pages_text_sha256", "web_pages", ["text_sha256"])
    op.create_table(
        "document_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey(
                "documents.id",
                ondelete="CASCADE",
                name="fk_document_sources_document_id_documents",
            ),
            nullable=False,
        ),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("outlet", sa.String(255)),
        sa.Column("published", sa.Date()),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint("document_id", "url", name="uq_document_sources_document_id"),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_leases"),
    )


def downgrade() -> None:
    op.drop_table("leases")
    op.drop_table("document_sources")
    op.drop_index("ix_web_pages_text_sha256", table_name="web_pages")
    op.drop_table("web_pages")
    op.drop_table("feed_states")
