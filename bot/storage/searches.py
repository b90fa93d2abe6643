"""The one place that picks a store's search: FTS5 on SQLite, tsvector on PostgreSQL,
matching in memory elsewhere (see `bot.storage.fulltext`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.pipeline.gazetteer import Gazetteer
from bot.pipeline.search_terms import IndexLabels, catalog_labels
from bot.storage.fulltext import FactSearch
from bot.storage.fulltext_postgres import PostgresFactSearch


def fact_search(
    session: AsyncSession,
    labels: IndexLabels | None = None,
    gazetteer: Gazetteer | None = None,
) -> FactSearch:
    """The search over the store `session` is bound to. `labels` are what the index
    names metrics and topics by; without them, the project's compiled catalogs are
    read (`bot.pipeline.search_terms.catalog_labels`), and a missing one is an error."""
    labels = labels if labels is not None else catalog_labels()
    if session.get_bind().dialect.name == "postgresql":
        return PostgresFactSearch(session, labels, gazetteer)
    return FactSearch(session, labels, gazetteer)
