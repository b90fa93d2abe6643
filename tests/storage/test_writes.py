"""A new document's rows, written in a few statements on each store: the same facts,
sources, search rows and words' counts as the index rebuilt from the facts would hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Topic
from bot.pipeline.search_terms import FIELDS
from bot.storage import postgres_writes
from bot.storage.fulltext import FTS_TABLE, WORDS_TABLE
from bot.storage.repositories import DocumentRepository, FactRepository
from bot.storage.searches import fact_search
from tests.factories import Document, make_fact, make_meta, store_documents


def documents() -> list[Document]:
    """A document with a whole and its part; one that states the whole again and adds a
    part of it and a figure of its own; one without figures."""
    plant: dict[str, Any] = {
        "topic": Topic.JOBS,
        "subject": "Завод ферросплавов",
        "entity_key": None,
        "metric": "jobs",
        "unit": "jobs",
    }
    whole = make_fact(
        **plant,
        value=40,
        quote="На заводе ферросплавов создано 40 мест, в том числе 15 в цехе.",
    )
    part = make_fact(
        **plant,
        value=15,
        object="цех",
        part_of=0,
        quote=whole.quote,
    )
    again = make_fact(
        **plant,
        value=40,
        quote="Ферросплавный завод дал работу 40 людям.",
    )
    other_part = make_fact(
        **plant,
        value=5,
        object="склад",
        part_of=0,
        quote="Пять из них на складе.",
    )
    mine = make_fact(subject="Шахта «Казахстанская»", entity_key=None, quote="Шахту обновят.")
    return [
        Document(make_meta("a.txt", published=date(2025, 2, 1)), [whole, part]),
        Document(make_meta("b.txt", published=date(2025, 3, 1)), [again, other_part, mine]),
        Document(make_meta("c.txt", published=None)),
    ]


async def index_snapshot(session: AsyncSession) -> tuple[list[Any], dict[str, int]]:
    """The search rows by fact, and every word's count."""
    if session.get_bind().dialect.name == "sqlite":
        rows = await session.execute(
            text(f"SELECT rowid, {', '.join(FIELDS)} FROM {FTS_TABLE} ORDER BY rowid")
        )
    else:
        rows = await session.execute(
            text(f"SELECT id, CAST(document AS text) FROM {FTS_TABLE} ORDER BY id")
        )
    counts = await session.execute(text(f"SELECT word, facts FROM {WORDS_TABLE} WHERE facts > 0"))
    return [tuple(row) for row in rows], {word: int(facts) for word, facts in counts}


async def test_new_documents_are_indexed_and_counted_as_a_rebuild_would(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        version = int(await FactRepository(session).version())
    await store_documents(session_factory, documents())
    async with session_factory() as session:
        # One new version a document, and every figure once.
        assert int(await FactRepository(session).version()) == version + 3
        facts = await FactRepository(session).list()
        written = await index_snapshot(session)
        await fact_search(session).rebuild()
        assert await index_snapshot(session) == written
        assert len(written[0]) == len(facts) == 4
    by_value = {fact.value: fact for fact in facts}
    whole = by_value[Decimal(40)]
    assert [c.source.file_name for c in whole.all_citations] == ["a.txt", "b.txt"]
    assert [c.quote for c in whole.all_citations][1] == "Ферросплавный завод дал работу 40 людям."
    # A part's whole, new with it or stated before by another document.
    assert by_value[Decimal(15)].part_of == whole.id
    assert by_value[Decimal(5)].part_of == whole.id
    assert by_value[Decimal(5)].source.file_name == "b.txt"


async def test_a_name_stored_meanwhile_fails_the_write_whole(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """The look-up found no document of this name, yet one is stored: the write stops
    at the unique name, as SQLAlchemy reports it, and nothing of it stays."""
    first, second, _ = documents()
    await store_documents(session_factory, [first])
    async with session_factory() as session:
        before = await index_snapshot(session)
        with pytest.raises(IntegrityError):
            await DocumentRepository(session).store(
                replace(first.meta, sha256="1" * 64),
                second.facts,
                current=None,
            )
        await session.rollback()
        assert await index_snapshot(session) == before
        assert len(await FactRepository(session).list()) == 2


async def test_a_figure_stored_between_the_look_up_and_the_write_is_not_stored_twice(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the figures already stored are looked up apart from the write: when
    the write finds other facts under the identities than the look-up did (here, a
    look-up that saw none), it writes nothing, and the document goes in a transaction
    as any other: the figure stated before gets one more source."""
    if session_factory.kw["bind"].dialect.name != "postgresql":
        pytest.skip("the look-up apart from the write is PostgreSQL's")
    first, second, _ = documents()
    await store_documents(session_factory, [first])
    monkeypatch.setattr(postgres_writes, "_KNOWN", postgres_writes._KNOWN + " LIMIT 0")
    async with session_factory() as session:
        version = int(await FactRepository(session).version())
    await store_documents(session_factory, [second])
    async with session_factory() as session:
        assert int(await FactRepository(session).version()) == version + 1
        facts = await FactRepository(session).list()
        written = await index_snapshot(session)
        await fact_search(session).rebuild()
        assert await index_snapshot(session) == written
    assert sorted(fact.value for fact in facts) == [
        Decimal(5),
        Decimal(15),
        Decimal(40),
        1600000000000,
    ]
    whole = next(fact for fact in facts if fact.value == 40)
    assert [c.source.file_name for c in whole.all_citations] == ["a.txt", "b.txt"]
    assert next(fact for fact in facts if fact.value == 5).part_of == whole.id
