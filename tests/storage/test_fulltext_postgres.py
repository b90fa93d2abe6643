"""The PostgreSQL full-text index: literals written without any text-search parser, and a
migration that indexes the facts already stored. (The search itself is tested on both
stores in test_fulltext.py.)"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text

from bot import DOCUMENTS_DIR
from bot.pipeline.ingest import ingest_paths
from bot.search import KAZAKH_FIELDS, SearchQuery, Term
from bot.storage.db import alembic_config, create_engine, create_session_factory, migrate
from bot.storage.fulltext import FactSearch
from bot.storage.fulltext_postgres import PostgresFactSearch, document_vector, tsquery
from tests.stores import PostgresStores


def test_a_document_is_a_weighted_vector_literal() -> None:
    row = {
        "subject": "сарань зона",
        "metric": "участник",
        "topic": "зона аймақ",
        "quote": "в сарани",
        "lemmas": "в сарань",
    }
    assert document_vector(row) == (
        "'сарань':1A,9D 'зона':2A,4C 'участник':3B 'аймақ':5C 'в':6D,8D 'сарани':7D"
    )
    assert document_vector({**row, "quote": "it's a \\ test"}).count("'it''s'") == 1


def test_a_query_keeps_each_terms_fields() -> None:
    query = SearchQuery(
        ((Term("сарани"), Term("сарань")), (Term("аймақ", KAZAKH_FIELDS), Term("зона")))
    )
    assert tsquery(query.groups) == "('сарани' | 'сарань') & ('аймақ':ABC | 'зона')"
    assert tsquery(query.groups, frozenset({"subject", "metric"})) == (
        "('сарани':AB | 'сарань':AB) & ('аймақ':AB | 'зона':AB)"
    )
    # A word that can only be in the topic cannot be in the subject: nothing matches.
    assert tsquery([[Term("жүк", frozenset({"topic"}))]], frozenset({"subject"})) is None


@pytest.fixture
def postgres_url(postgres_stores: PostgresStores) -> Iterator[str]:
    url = postgres_stores.blank()
    yield url
    postgres_stores.release(url)


async def test_the_migration_indexes_the_facts_already_stored(postgres_url: str) -> None:
    await migrate(postgres_url)
    engine = create_engine(postgres_url)
    try:
        await ingest_paths(create_session_factory(engine), [DOCUMENTS_DIR])
        await asyncio.to_thread(command.downgrade, alembic_config(postgres_url), "0002")
        async with engine.connect() as connection:
            exists = await connection.scalar(text("SELECT to_regclass('facts_fts')"))
        assert exists is None
        await migrate(postgres_url)
        async with create_session_factory(engine)() as session:
            search = FactSearch(session)
            assert isinstance(search, PostgresFactSearch)
            found = await search.search("Сарани")
            indexed = await session.scalar(text("SELECT count(*) FROM facts_fts"))
            stored = await session.scalar(text("SELECT count(*) FROM facts"))
        assert found and all("Сарань" in fact.subject for fact in found[:3])
        assert indexed == stored
    finally:
        await engine.dispose()
