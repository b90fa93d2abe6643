"""The PostgreSQL full-text index: literals written without any text-search parser, a
migration that indexes the facts already stored, and the same answers as SQLite's FTS5
over the same facts. (The search itself is tested on both stores in test_fulltext.py.)"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text

from bot import DOCUMENTS_DIR
from bot.pipeline.search_terms import KAZAKH_FIELDS, SearchQuery, Term, index_labels
from bot.storage import fulltext, fulltext_postgres
from bot.storage.engine import alembic_config, create_engine, create_session_factory, migrate
from bot.storage.fulltext import fact_marks
from bot.storage.fulltext_postgres import PostgresFactSearch, document_vector, tsquery
from bot.storage.ingest import ingest_paths
from bot.storage.reindex import run_reindex
from bot.storage.searches import fact_search
from tests.stores import PostgresStores, SqliteStores


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


async def test_reindex_indexes_the_facts_already_stored(postgres_url: str) -> None:
    await migrate(postgres_url)
    engine = create_engine(postgres_url)
    try:
        await ingest_paths(create_session_factory(engine), [DOCUMENTS_DIR])
        await asyncio.to_thread(command.downgrade, alembic_config(postgres_url), "0002")
        async with engine.connect() as connection:
            exists = await connection.scalar(text("SELECT to_regclass('facts_fts')"))
        assert exists is None
        await migrate(postgres_url)
        await run_reindex(postgres_url, index_labels(), out=io.StringIO())
        async with create_session_factory(engine)() as session:
            search = fact_search(session)
            assert isinstance(search, PostgresFactSearch)
            found = await search.search("Сарани")
            indexed = await session.scalar(text("SELECT count(*) FROM facts_fts"))
            stored = await session.scalar(text("SELECT count(*) FROM facts"))
        assert found and all("Сарань" in fact.subject for fact in found[:3])
        assert indexed == stored
    finally:
        await engine.dispose()


# ---- the same answers as SQLite --------------------------------------------------------

QUERIES = [
    "Сарань", "Сарани", "Saran", "Qarmet инвестиции", "инвестиции", "грузы аэропорт",
    "рабочие места", "жұмыс орындары", "аймақ", "Теміртау", "СЭЗ Сарыарка участники",
    "сколько рабочих мест в Сарани", "2030 аэропорт", "шин", "модернизации",
    # names with a typo, letters typed either way, the other language's words
    "Темиртаю", "Балхащ", "Кормет", "Қарағанды", "көмір", "жүк тасымалы", "әуежай",
    # years, plans, regions, words that are not found
    "рабочие места 2025", "план 2025", "планы до 2030", "жоспар", "2024",
    "Карагандинская область инвестиции 2024", "Караганда", "облыс", "запасы угля на зиму",
]  # fmt: skip
# The first page of an inline answer or of /search.
FIRST_PAGE = 5


@pytest.fixture
def both_stores(
    postgres_stores: PostgresStores, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """The seed documents ingested into a SQLite store and a PostgreSQL one, alike."""
    sqlite = SqliteStores(tmp_path_factory.mktemp("parity"))
    postgres = postgres_stores.fresh("seeded")
    yield sqlite.fresh("seeded"), postgres
    postgres_stores.release(postgres)


async def answers(url: str, language: str = "ru") -> dict[str, list[int]]:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            search = fact_search(session)
            return {q: [f.id for f in await search.search(q, language, 1000)] for q in QUERIES}
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    "window, dense, older_walk, block, near_blocks",
    [
        (None, None, None, None, None),
        (3, 10**9, 4, None, None),
        (1, 10**9, 0, None, None),
        (3, 0, None, 2, 2),
        (1, 0, None, 1, 1),
        (5, 0, None, 3, 3),
    ],
)
async def test_broad_queries_answer_alike_on_both_stores(
    both_stores: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    window: int | None,
    dense: int | None,
    older_walk: int | None,
    block: int | None,
    near_blocks: int | None,
) -> None:
    """Every word broad (tiers, then recency): the same facts in the same order, also when
    the window of the newest facts is smaller than the store and older matches are looked
    up: walking by key (`dense` large) and then from the index, or from the index a
    block of ids at a time (`dense` 0) and then all the rest."""
    monkeypatch.setattr(fulltext, "EXACT_LIMIT", 1)
    if window is not None:
        monkeypatch.setattr(fulltext, "WINDOW_MIN", window)
        monkeypatch.setattr(fulltext, "WINDOW_MAX", window)
    for name, value in (
        ("DENSE", dense),
        ("OLDER_WALK", older_walk),
        ("BLOCK", block),
        ("NEAR_BLOCKS", near_blocks),
    ):
        if value is not None:
            monkeypatch.setattr(fulltext_postgres, name, value)
    sqlite, postgres = both_stores
    if block is not None:  # the marks of the smaller blocks
        await reindexed(postgres)
    assert await answers(postgres) == await answers(sqlite)


async def reindexed(url: str) -> None:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            await fact_search(session).rebuild()
    finally:
        await engine.dispose()


async def test_a_fact_is_marked_with_its_block_topic_status_and_years(
    postgres_stores: PostgresStores,
) -> None:
    """The rows written carry their facts' marks, the same as migration 0010 gave the
    rows stored before it."""
    url = postgres_stores.fresh("seeded")
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            assert fact_marks("investments", "plan", "2024–2026") == (
                "#tinvestments", "#splan", "#y2024", "#tinvestments2024", "#splan2024",
                "#y2026", "#tinvestments2026", "#splan2026",
            )  # fmt: skip
            for fact in [
                ("investments", "plan", "2024–2026"),
                ("cargo", "actual", "8m 2025"),
                ("jobs", "actual", None),
                ("zones", "plan", "by 20305"),
            ]:
                migrated = await connection.scalar(
                    text("SELECT tsvector_to_array(fact_marks(3, :topic, :status, :period))"),
                    dict(zip(("topic", "status", "period"), fact, strict=True)),
                )
                assert sorted(migrated) == sorted([*fact_marks(*fact), "#r3"])
            unmarked = await connection.scalar(
                text(
                    "SELECT count(*) FROM facts_fts JOIN facts USING (id) WHERE NOT "
                    "document @@ CAST(format('%L & %L & %L', '#r' || (id / 4096), "
                    "'#t' || topic, '#s' || status) AS tsquery)"
                )
            )
            assert unmarked == 0
    finally:
        await engine.dispose()
        postgres_stores.release(url)


async def first_pages(url: str) -> dict[str, tuple[list[int], tuple[str, ...]]]:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            search = fact_search(session)
            pages = {}
            for query in QUERIES:
                page = await search.find(query, "ru", FIRST_PAGE)
                pages[query] = (sorted(f.id for f in page.facts), page.corrected)
            return pages
    finally:
        await engine.dispose()


async def test_both_stores_give_the_same_first_pages(both_stores: tuple[str, str]) -> None:
    """The same facts on the first page (in the order each store ranks them) and the same
    corrections, for every query of the shared list."""
    sqlite, postgres = both_stores
    assert await first_pages(postgres) == await first_pages(sqlite)


async def test_ranked_queries_find_the_same_facts_on_both_stores(
    both_stores: tuple[str, str],
) -> None:
    """Narrow queries are ranked by bm25 on SQLite and ts_rank on PostgreSQL: the order
    may differ a little, the facts found do not."""
    sqlite, postgres = both_stores
    on_sqlite, on_postgres = await answers(sqlite), await answers(postgres)
    assert {q: sorted(ids) for q, ids in on_postgres.items()} == {
        q: sorted(ids) for q, ids in on_sqlite.items()
    }
