"""A fan-out composes each distinct digest once: subscribers whose windows start at
different moments but hold the same facts share one rendering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import MAIN_TOPICS, Topic
from bot.features.digests.compose import DigestComposer, DigestWindow
from bot.render.i18n import create_i18n
from bot.storage.repositories import FactRepository

SUBSCRIBERS = 300


async def test_one_rendering_per_topics_language_and_facts(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with seeded_session_factory() as session:
        facts = await FactRepository(session).list()
    newest = max(fact.added_at for fact in facts).replace(tzinfo=UTC)
    end = newest + timedelta(seconds=1)
    composer = DigestComposer(seeded_session_factory, create_i18n(), UTC)
    everything = tuple(MAIN_TOPICS)
    pages = []
    for number in range(SUBSCRIBERS):
        # Each subscriber's window starts at its own second, before every fact was added.
        start = datetime.combine(newest.date(), datetime.min.time(), tzinfo=UTC) + timedelta(
            seconds=number
        )
        start = min(start, newest - timedelta(seconds=SUBSCRIBERS + 1))
        window = DigestWindow(everything, start, end)
        pages.append(await composer.pages(window, "ru" if number % 2 else "kk"))
        await composer.pages(DigestWindow((Topic.JOBS,), start, end), "ru")
    assert pages[0] and pages[1] and pages[0] != pages[1]
    # Two languages of the full digest, one of the jobs digest: three renderings in all.
    assert composer.renderings == 3
    # A window that ends before the newest facts holds fewer, and is its own digest.
    earlier = DigestWindow(everything, start, newest - timedelta(microseconds=1))
    await composer.pages(earlier, "ru")
    assert composer.renderings == 4
