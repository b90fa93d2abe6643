"""The query layer over a small store built through the real repository."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Topic
from bot.query import FactQueries, subject_key
from bot.storage.repositories import DocumentRepository, FactRepository
from tests.factories import make_fact, sample_documents, store_documents, stored


@pytest.fixture
async def queries(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[FactQueries]:
    await store_documents(session_factory, sample_documents())
    async with session_factory() as session:
        yield FactQueries(FactRepository(session), DocumentRepository(session))


async def test_topic_groups_by_subject_newest_first(queries: FactQueries) -> None:
    groups = await queries.topic(Topic.INVESTMENTS)
    assert [g.entity_key for g in groups] == ["karaganda_region", "qarmet"]
    [projects] = groups[0].timelines
    # December's "25 launched" leads; September's "29 planned" follows, not overwritten.
    assert [f.value for f in projects.current] == [25]
    assert [f.value for f in projects.earlier] == [29]
    [qarmet] = groups[1].timelines
    assert [str(f.value) for f in qarmet.current] == ["1600000000000", "572900000000"]


async def test_subjects_of_a_topic_have_short_keys(queries: FactQueries) -> None:
    subjects = await queries.subjects(Topic.ZONES)
    assert [s.key for s in subjects] == ["sez_saryarka", "iz_saran"]


async def test_one_subject_across_topics(queries: FactQueries) -> None:
    region = await queries.subject("karaganda_region")
    assert region is not None
    assert set(region.topics) == {Topic.INVESTMENTS, Topic.JOBS}
    [production] = await queries.topic(Topic.PRODUCTION)
    assert production.key.startswith("~")
    card = await queries.subject(production.key)
    assert card is not None and card.subject == "Завод <шин> & Co"
    assert await queries.subject("no_such_thing") is None
    assert await queries.subject("~000000000000") is None


async def test_sources_with_fact_counts(queries: FactQueries) -> None:
    summaries = await queries.sources()
    assert [(s.source.file_name, s.facts) for s in summaries] == [
        ("001_baq.txt", 2),
        ("000_zakon.txt", 3),
        ("002_baq.txt", 3),
        ("005_unknown.txt", 1),
    ]


@pytest.mark.parametrize("query", ["Сарань", "Сарани", "Саран", "Saran", "зона сарань"])
async def test_search_finds_names_in_any_spelling(queries: FactQueries, query: str) -> None:
    found = await queries.search(query)
    assert [f.entity_key for f in found] == ["iz_saran"]


async def test_search_by_words_and_lemmas(queries: FactQueries) -> None:
    assert {f.value for f in await queries.search("рабочих мест")} == {2800}
    assert {f.value for f in await queries.search("запущено производств")} == {25}
    assert {f.entity_key for f in await queries.search("qarmet")} == {"qarmet"}
    assert await queries.search("и в на") == []
    assert await queries.search("несуществующееслово") == []


async def test_search_folds_yo(queries: FactQueries) -> None:
    assert {f.value for f in await queries.search("выпущёно")} == {28200000}


def test_subject_keys_fit_in_callback_data() -> None:
    loose = stored(make_fact(subject="Очень длинное название " * 20, entity_key=None))
    assert len(subject_key(loose)) == 13
    odd = stored(make_fact(entity_key="Key:With:Colons"))
    assert ":" not in subject_key(odd)
