"""The SQLite index's segments: one more with each transaction that writes facts, merged
into one by `merge_segments` (at once, or a bounded step at a time), with every search
answering as before. On PostgreSQL the call does nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.ingest import Outcome, ingest_paths
from bot.storage.repositories import DocumentRepository
from bot.storage.searches import fact_search
from tests.factories import keep_every_segment, make_fact, make_meta

QUERIES = [("Шахтер", "ru"), ("инвестиции 2028", "ru"), ("Шахтер-3", "kk"), ("модернизация", "ru")]


async def _segments(session: AsyncSession) -> int:
    return await fact_search(session).segments()


async def _answers(session: AsyncSession) -> list[list[int]]:
    search = fact_search(session)
    return [[fact.id for fact in await search.search(q, language)] for q, language in QUERIES]


async def _store_one_at_a_time(factory: async_sessionmaker[AsyncSession], count: int) -> None:
    """`count` documents, each in a transaction of its own, each leaving a segment."""
    await keep_every_segment(factory)
    for number in range(count):
        async with factory() as session:
            quote = f"Инвестиции ТОО «Шахтер-{number}» в модернизацию составят 5 млрд тенге."
            fact = make_fact(subject=f"ТОО «Шахтер-{number}»", entity_key=None, quote=quote)
            await DocumentRepository(session).store(make_meta(f"{number:03}.txt"), [fact])
            await session.commit()


async def test_segments_merge_into_one_with_the_same_answers(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await _store_one_at_a_time(session_factory, 12)
    async with session_factory() as session:
        if session.get_bind().dialect.name != "sqlite":
            await fact_search(session).merge_segments(pages=None)  # nothing to do there
            return
        before, answers = await _segments(session), await _answers(session)
        assert before > 2
        assert all(answers)
        await fact_search(session).merge_segments(pages=None)
        await session.commit()
        assert await _segments(session) == 1
        assert await _answers(session) == answers


async def test_bounded_steps_go_on_until_one_segment_is_left(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await _store_one_at_a_time(session_factory, 12)
    async with session_factory() as session:
        if session.get_bind().dialect.name != "sqlite":
            return
        answers = await _answers(session)
        counts = [await _segments(session)]
        for _ in range(10):
            await fact_search(session).merge_segments(pages=1)
            await session.commit()
            counts.append(await _segments(session))
        assert counts[0] > 2
        assert counts[-1] == 1
        assert counts == sorted(counts, reverse=True)
        assert await _answers(session) == answers


async def test_a_folder_ingest_leaves_the_index_in_one_segment(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    if not await keep_every_segment(session_factory):
        return
    reports = await ingest_paths(session_factory)
    assert sum(report.outcome is Outcome.ADDED for report in reports) >= 3
    async with session_factory() as session:
        assert await _segments(session) == 1
