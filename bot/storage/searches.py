"""The one place that picks a store's search: FTS5 on SQLite, tsvector on PostgreSQL,
matching in memory elsewhere (see `bot.storage.fulltext`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.pipeline.gazetteer import Gazetteer
from bot.pipeline.search_terms import IndexLabels, index_labels
from bot.storage.fulltext import FactSearch
from bot.storage.fulltext_postgres import PostgresFactSearch


def fact_search(
    session: AsyncSession,
    labels: IndexLabels | None = None,
    gazetteer: Gazetteer | None = None,
) -> FactSearch:
    """The search over the store `session` is bound to. `labels` are what the index
    names metrics and topics by: the reference data's (`index_labels`) unless given."""
    labels = labels if labels is not None else index_labels()
    if session.get_bind().dialect.name == "postgresql":
        return PostgresFactSearch(session, labels, gazetteer)
    return FactSearch(session, labels, gazetteer)
