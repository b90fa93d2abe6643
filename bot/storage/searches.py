"""The one place that picks a store's search: FTS5 on SQLite, tsvector on PostgreSQL,
matching in memory elsewhere (see `bot.storage.fulltext`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.pipeline.gazetteer import Gazetteer
from bot.pipeline.search_terms import IndexLabels, index_labels
from bot.storage.fulltext import MERGE_PAGES, FactSearch
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


async def merge_index_segments(
    session_factory: async_sessionmaker[AsyncSession], pages: int | None = MERGE_PAGES
) -> None:
    """After documents were stored: a step of merging the index's segments, in a
    transaction of its own (`FactSearch.merge_segments`; `pages=None`: all of them)."""
    async with session_factory() as session, session.begin():
        await fact_search(session).merge_segments(pages)
