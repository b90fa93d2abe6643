"""`python -m bot reindex`: the search index built afresh from the stored facts.

Needed after an upgrade that changes what a fact is indexed by (the analysis in
`bot.storage.fulltext.ANALYSIS`), and for stores migrated with facts already in them.
The labels the index names metrics and topics by come from the compiled catalogs,
read here and handed to the search; a missing catalog stops the command.
"""

from __future__ import annotations

import sys
from typing import TextIO

from sqlalchemy import text

from bot.pipeline.search_terms import IndexLabels
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.fulltext import ANALYSIS, STATE_TABLE
from bot.storage.searches import fact_search


async def run_reindex(
    url: str, labels: IndexLabels, *, if_stale: bool = False, out: TextIO = sys.stdout
) -> int:
    """Rebuild the index of the store at `url` (with `if_stale`, only when it was built
    with another analysis); prints what it did."""
    await migrate(url)
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            built_with = await session.scalar(
                text(f"SELECT analysis FROM {STATE_TABLE} WHERE id = 1")
            )
            if if_stale and built_with == ANALYSIS:
                print(f"search index up to date (analysis {ANALYSIS})", file=out)
                return 0
            search = fact_search(session, labels)
            count = await search.rebuild()
            await search.merge_segments(pages=None)
    finally:
        await engine.dispose()
    print(f"search index rebuilt: {count} facts (analysis {ANALYSIS})", file=out)
    return 0
