"""The query layer over a small store built through the real repository."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import MAIN_TOPICS, Fact, Topic
from bot.queries.facts import FactQueries, subject_key
from bot.storage.repositories import DocumentRepository, FactRepository
from tests.factories import (
    Document,
    make_fact,
    make_meta,
    sample_documents,
    store_documents,
    stored,
)


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


# ---- headlines: what each topic leads with, read from the newest documents ------------


def many_documents(count: int) -> list[Document]:
    """`count` documents, a day apart but the last two undated, each with facts of
    several topics about subjects that recur across documents and within one."""
    topics = [*MAIN_TOPICS, Topic.OTHER]
    documents = []
    for number in range(count):
        published = None if number >= count - 2 else date(2024, 1, 1) + timedelta(days=number)
        facts = [
            dataclasses.replace(
                make_fact(
                    topic=topics[(number + index) % len(topics)],
                    subject=f"Компания {(number * 3 + index) % 11}",
                    entity_key=None if index % 2 else f"company_{(number * 3 + index) % 11}",
                    metric=("investment", "jobs", "cargo")[index % 3],
                    value=number * 10 + index + 1,
                ),
                start=index * 10,  # the order within a document is the text's
            )
            for index in range(4)
        ]
        documents.append(Document(make_meta(f"{number:03d}.txt", published=published), facts))
    return documents


async def topic_leaders(queries: FactQueries, per_topic: int) -> list[Fact]:
    """The headlines as the topic answers show them, every fact of each topic read: the
    fact each of the first subjects opens with."""
    leaders = []
    for topic in MAIN_TOPICS:
        leaders += [group.facts[0] for group in (await queries.topic(topic))[:per_topic]]
    return leaders


@pytest.mark.parametrize("window", [1, 16])
async def test_headlines_are_what_the_topic_answers_lead_with(
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    window: int,
) -> None:
    monkeypatch.setattr("bot.queries.facts.HEADLINE_WINDOW", window)
    await store_documents(session_factory, many_documents(40))
    async with session_factory() as session:
        queries = FactQueries(FactRepository(session), DocumentRepository(session))
        for per_topic in (1, 3, 5):
            headlines = await queries.headlines(MAIN_TOPICS, per_topic)
            assert headlines == await topic_leaders(queries, per_topic)
            assert len(headlines) == per_topic * len(MAIN_TOPICS)


async def test_headlines_of_a_small_store_read_every_document(queries: FactQueries) -> None:
    def shown(facts: list[Fact]) -> list[tuple[str, int]]:
        # Facts of one sample document all start at 0, so which of a subject's figures
        # in a document leads is the store's choice: compare subjects and documents.
        return [(subject_key(fact), fact.source.id) for fact in facts]

    headlines = await queries.headlines(MAIN_TOPICS, 5)
    assert shown(headlines) == shown(await topic_leaders(queries, 5))
    assert [f.topic for f in headlines] == [
        Topic.INVESTMENTS, Topic.INVESTMENTS, Topic.ZONES, Topic.ZONES, Topic.CARGO,
        Topic.PRODUCTION, Topic.JOBS,
    ]  # fmt: skip


async def test_headlines_look_no_further_than_the_newest_documents(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.queries.facts.HEADLINE_WINDOW", 2)
    monkeypatch.setattr("bot.queries.facts.HEADLINE_DOCUMENTS", 8)
    documents = many_documents(30)
    await store_documents(session_factory, documents)
    newest = {d.meta.file_name for d in documents[20:28]}  # the two undated ones come last
    async with session_factory() as session:
        headlines = await FactQueries(
            FactRepository(session), DocumentRepository(session)
        ).headlines(MAIN_TOPICS, 5)
    assert headlines
    assert {f.source.file_name for f in headlines} <= newest


async def test_the_newest_documents_come_in_the_order_of_topic_answers(
    queries: FactQueries, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session:
        facts = FactRepository(session)
        everything = await facts.list(topics=[Topic.INVESTMENTS, Topic.ZONES])
        window = await facts.newest([Topic.INVESTMENTS, Topic.ZONES], documents=3)
        rest = await facts.newest([Topic.INVESTMENTS, Topic.ZONES], documents=3, skip=3)
        beyond = await facts.newest(MAIN_TOPICS, documents=5, skip=4)
    assert [len(d) for d in window] == [1, 2, 3]
    assert [len(d) for d in rest] == [0]  # the undated one, last, has neither topic
    assert beyond == []
    newest = [f for d in window + rest for f in d]
    # The facts of one sample document all start at 0: their order among themselves is
    # the store's, so the documents' order and the facts are compared, not the sequence.
    assert [f.source.id for f in newest] == [f.source.id for f in everything]
    assert sorted(f.id for f in newest) == sorted(f.id for f in everything)
