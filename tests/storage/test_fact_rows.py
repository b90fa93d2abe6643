"""Facts read for a page straight from the SQLite driver are the facts SQLAlchemy reads
for the same statement: every column converted alike, documents shared, not copied."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.pipeline.search_terms import Filters
from bot.storage.fact_rows import FILTERED_PAGE, facts_of, filter_params, read_facts


async def test_a_page_read_by_the_driver_equals_the_page_read_through_sqlalchemy(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> None:
    params = {"limit": 1000, "offset": 0, **filter_params(Filters())}
    async with seeded_session_factory() as session:
        expected = facts_of((await session.execute(FILTERED_PAGE, params)).all())
        read = await read_facts(session, FILTERED_PAGE, params)
    assert len(read) > 20
    assert read == expected
    for mine, theirs in zip(read, expected, strict=True):
        # Fields compared as equal only (`added_at`) or not at all are compared here.
        assert (mine.added_at, mine.source, mine.value_max) == (
            theirs.added_at,
            theirs.source,
            theirs.value_max,
        )
        assert type(mine.added_at) is type(theirs.added_at)
        assert mine.added_at.tzinfo == theirs.added_at.tzinfo
    # A document's facts share one `Source`.
    by_document = {}
    for fact in read:
        assert by_document.setdefault(fact.source.id, fact.source) is fact.source
