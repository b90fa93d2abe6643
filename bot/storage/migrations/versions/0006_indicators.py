"""Indicators and sources: what a figure measures, and every document that states it.

Facts gain the object measured, a rate's time unit, a range's high end, the whole a
part belongs to, the quote's language and the identity a re-stated figure is found
by; documents gain their language; `fact_sources` links a fact to every further
document that states it, each with its own quote (the first is the fact's own
document). Existing facts get their identity.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _identity(row: sa.Row) -> str:
    # The recipe of `bot.storage.identity.identity`, kept here as the migration's own.
    who = row.entity_key or " ".join(row.subject.casefold().split())
    text = "\x1f".join((row.metric, "", "", who, row.period or "", row.unit, row.status))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    op.add_column("documents", sa.Column("lang", sa.String(8)))
    op.add_column("facts", sa.Column("object", sa.String(255)))
    op.add_column("facts", sa.Column("per", sa.String(16)))
    op.add_column("facts", sa.Column("value_max", sa.String(64)))
    op.add_column("facts", sa.Column("lang", sa.String(8), server_default="ru", nullable=False))
    op.add_column("facts", sa.Column("identity", sa.String(40)))
    if postgresql:
        op.add_column("facts", sa.Column("part_of", sa.Integer()))
        op.create_foreign_key(
            "fk_facts_part_of_facts", "facts", "facts", ["part_of"], ["id"], ondelete="SET NULL"
        )
    else:
        # SQLite adds a column with its reference in place; a separate constraint
        # would need the table rebuilt.
        op.execute(
            "ALTER TABLE facts ADD COLUMN part_of INTEGER REFERENCES facts (id) ON DELETE SET NULL"
        )
    op.create_index("ix_facts_identity", "facts", ["identity"])
    op.create_table(
        "fact_sources",
        sa.Column("fact_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(8), server_default="ru", nullable=False),
        sa.PrimaryKeyConstraint("fact_id", "document_id", name="pk_fact_sources"),
        sa.ForeignKeyConstraint(
            ["fact_id"], ["facts.id"], name="fk_fact_sources_fact_id_facts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_fact_sources_document_id_documents",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_fact_sources_document_id", "fact_sources", ["document_id"])
    facts = sa.table("facts", sa.column("id", sa.Integer()), sa.column("identity", sa.String()))
    rows = bind.execute(
        sa.text("SELECT id, metric, entity_key, subject, period, unit, status FROM facts")
    ).all()
    if rows:
        bind.execute(
            facts.update().where(facts.c.id == sa.bindparam("fact_id")),
            [{"fact_id": row.id, "identity": _identity(row)} for row in rows],
        )


def downgrade() -> None:
    op.drop_index("ix_fact_sources_document_id", table_name="fact_sources")
    op.drop_table("fact_sources")
    op.drop_index("ix_facts_identity", table_name="facts")
    with op.batch_alter_table("facts") as batch:
        if op.get_bind().dialect.name == "postgresql":
            batch.drop_constraint("fk_facts_part_of_facts", type_="foreignkey")
        for name in ("part_of", "identity", "lang", "value_max", "per", "object"):
            batch.drop_column(name)
    op.drop_column("documents", "lang")
