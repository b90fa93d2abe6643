"""Full-text search over the store built from the seed documents: morphology, names in
every spelling, both languages, ranking, hostile input, paging and the index kept in step."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Fact, Topic
from bot.pipeline.gazetteer import load_gazetteer
from bot.pipeline.search_terms import index_labels, match_facts, parse_query, words_of
from bot.storage import fulltext
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.fulltext import FactSearch
from bot.storage.reindex import run_reindex
from bot.storage.repositories import DocumentRepository, FactRepository
from bot.storage.searches import fact_search
from tests.factories import Document, make_fact, make_meta, store_documents


@pytest.fixture
async def session(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with seeded_session_factory() as session:
        yield session


@pytest.fixture
def search(session: AsyncSession) -> FactSearch:
    return fact_search(session)


def is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


async def find(search: FactSearch, query: str, language: str = "ru") -> list[Fact]:
    return await search.search(query, language, limit=100)


# ---- names, morphology and topic words ------------------------------------------------


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("Сарань", "ru"),
        ("Сарани", "ru"),
        ("в Сарани", "ru"),
        ("Saran", "ru"),
        ("Саран", "ru"),
        ("Саран", "kk"),
        ("САРАНЬ", "kk"),
        ("индустриальной зоне Сарань", "ru"),
        ("«Саран» индустриялық аймағы", "kk"),
    ],
)
async def test_the_saran_zone_in_any_spelling(
    session: AsyncSession, search: FactSearch, query: str, language: str
) -> None:
    found = await find(search, query, language)
    assert found
    assert {fact.entity_key for fact in found} == {"iz_saran"}
    # every figure about the zone in the seed documents
    about_zone = await FactRepository(session).list(entity_key="iz_saran")
    assert len(about_zone) >= 5
    assert sorted(f.id for f in found) == sorted(f.id for f in about_zone)


async def test_russian_case_forms_match(search: FactSearch) -> None:
    # The quotes say "модернизации", the query "модернизация".
    found = await find(search, "модернизация")
    assert found
    assert all("модернизац" in fact.quote.lower() for fact in found)


async def test_a_topic_word_narrows_to_its_topic(search: FactSearch) -> None:
    # "инвестиции" is in quotes of other topics too ("472 млрд тенге инвестиций" of a
    # zone): the word asks for the investments, metric matches first.
    found = await find(search, "инвестиции")
    assert found and all(fact.topic is Topic.INVESTMENTS for fact in found)
    assert found[0].metric == "investment"


async def test_airport_cargo(search: FactSearch) -> None:
    found = await find(search, "грузы аэропорт")
    assert [(f.entity_key, f.metric) for f in found[:2]] == [
        ("airport_saryarka", "cargo"),
        ("airport_saryarka", "cargo"),
    ]
    assert {f.value for f in found[:2]} == {Decimal(15000), Decimal(200000)}
    assert all(f.topic is Topic.CARGO for f in found)


async def test_jobs_figures(search: FactSearch) -> None:
    found = await find(search, "рабочие места")
    jobs = [f for f in found if f.metric == "jobs"]
    assert {f.value for f in jobs} == {Decimal(20000), Decimal(2500), Decimal(1300), Decimal(2800)}
    # The figures that are jobs come before those that only mention them.
    assert [f.metric for f in found[: len(jobs)]] == ["jobs"] * len(jobs)


@pytest.mark.parametrize(
    ("query", "topic", "metric"),
    [
        ("инвестиция", Topic.INVESTMENTS, "investment"),
        ("инвестициялар", Topic.INVESTMENTS, "investment"),
        ("аймақ", Topic.ZONES, None),
        ("аймақтар", Topic.ZONES, None),
        ("жүк", Topic.CARGO, "cargo"),
        ("өндіріс", Topic.PRODUCTION, "output_value"),
        ("жұмыс орындары", Topic.JOBS, "jobs"),
    ],
)
async def test_kazakh_topic_words(
    session: AsyncSession, search: FactSearch, query: str, topic: Topic, metric: str | None
) -> None:
    found = await find(search, query, "kk")
    assert found
    assert sum(f.topic is topic for f in found) >= len(found) // 2
    assert metric is None or found[0].metric == metric
    if topic is not Topic.INVESTMENTS:
        # every fact of the topic is found by its topic word
        facts = await FactRepository(session).list(topic=topic)
        assert {f.id for f in facts} <= {f.id for f in found}


@pytest.mark.parametrize(
    ("query", "entity_key"),
    [
        ("Сарыарқа АЭА", "sez_saryarka"),
        ("СЭЗ Сарыарка", "sez_saryarka"),
        ("Кармет", "qarmet"),
        ("QARMET", "qarmet"),
        ("Қарағанды әуежайы", "airport_saryarka"),
        ("Балқаш", "airport_balkhash"),
        ("Tengri Tyres", "tengri_tyres"),
    ],
)
async def test_names_from_the_gazetteer(search: FactSearch, query: str, entity_key: str) -> None:
    found = await find(search, query)
    assert found and found[0].entity_key == entity_key


async def test_a_question_in_plain_words(search: FactSearch) -> None:
    found = await find(search, "сколько рабочих мест создадут в Сарани?")
    assert [(f.entity_key, f.value) for f in found] == [("iz_saran", Decimal(2800))]


async def test_a_word_the_store_never_saw_does_not_empty_the_answer(search: FactSearch) -> None:
    assert await find(search, "несуществующееслово") == []
    with_noise = await find(search, "Сарань несуществующееслово")
    assert {f.entity_key for f in with_noise} == {"iz_saran"}


async def test_stop_words_alone_find_nothing(search: FactSearch) -> None:
    for query in ("и в на", "", "   ", "қанша", "what"):
        assert await find(search, query) == []


async def test_ranking_puts_the_subject_first(search: FactSearch) -> None:
    # "Сарыарка" names the zone and, as a different entity, the airport.
    found = await find(search, "Сарыарка участники")
    assert found[0].entity_key == "sez_saryarka"
    assert found[0].metric == "participants"


# ---- hostile input --------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "*",
    "-",
    "^",
    ":",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    "()",
    "{subject}",
    "subject:Сарань",
    "{subject metric}: Сарань",
    "Сарань*",
    "-Сарань",
    "Сарань OR Qarmet",
    "NOT Сарань",
    "Сарань AND",
    "NEAR(Сарань аэропорт, 2)",
    '"Сарань',
    "Сарань\"'`;--",
    "'; DROP TABLE facts; --",
    "🚀",
    "🏭 Сарань 🚀",
    "Сарань\u0301",
    "İstanbul ǅ ﬁ Ⅻ ²",
    "\x00\x01\x1f",
    "\u200b\u200d\ufeff",
    "Saran-Сарань_Саран",
    "جوجل 中文 ελληνικά",
    "а" * 256,
    ("Сарань " * 60)[:256],
    "инвестиции Сарань " * 30,
]


@pytest.mark.parametrize("query", HOSTILE)
async def test_hostile_queries_never_fail(search: FactSearch, query: str) -> None:
    for language in ("ru", "kk"):
        found = await search.search(query, language, limit=50)
        assert len(found) <= 50
        assert len({f.id for f in found}) == len(found)


WORDS = st.sampled_from(
    ["Сарань", "Сарани", "Saran", "инвестиции", "жүк", "аэропорт", "NEAR", "OR", "AND", "NOT",
     "рабочие", "места", "2030", "тенге", "Qarmet", "аймақ", "ё", "ъ"]
)  # fmt: skip
SYMBOLS = st.sampled_from(list("\"*-^:(){}[]+.,;!?«»—–/\\'`~@#$%&|<>= \t\n"))
QUERIES = st.lists(st.one_of(WORDS, SYMBOLS, st.text(max_size=12)), max_size=30).map("".join)


@settings(
    max_examples=120,
    deadline=None,
    # The store is only read, so one per test serves every example.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=QUERIES, language=st.sampled_from(["ru", "kk"]), offset=st.integers(-5, 1200))
async def test_any_query_answers_valid_facts(
    search: FactSearch, query: str, language: str, offset: int
) -> None:
    found = await search.search(query, language, limit=20, offset=offset)
    assert len(found) <= 20
    assert len({f.id for f in found}) == len(found)
    for fact in found:
        assert isinstance(fact, Fact) and fact.quote


# ---- the index means what the in-memory analysis means --------------------------------

VOCABULARY = [
    "Сарань",
    "Saran",
    "Саран",
    "инвестиции",
    "инвестиций",
    "грузы",
    "аэропорт",
    "рабочие",
    "места",
    "жүк",
    "аймақ",
    "өндіріс",
    "жұмыс",
    "орындары",
    "Qarmet",
    "Сарыарка",
    "участники",
    "2030",
    "2024",
    "тенге",
    "область",
    "производство",
    "шин",
    "автобусов",
    "модернизации",
]


@pytest.mark.parametrize("exact_limit", [fulltext.EXACT_LIMIT, 8, 1])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3))
async def test_the_index_matches_what_the_analysis_matches(
    session: AsyncSession,
    search: FactSearch,
    monkeypatch: pytest.MonkeyPatch,
    exact_limit: int,
    words: list[str],
) -> None:
    """Whichever way a query is ranked (bm25, tiers over a few matches, tiers over
    many), it finds exactly the facts the in-memory analysis matches."""
    monkeypatch.setattr(fulltext, "EXACT_LIMIT", exact_limit)
    query = " ".join(words)
    facts = await FactRepository(session).list()
    expected = {f.id for f in match_facts(facts, query, index_labels(), load_gazetteer())}
    found = await search.search(query, limit=1000)
    assert len({f.id for f in found}) == len(found)
    if expected:
        assert {f.id for f in found} == expected
    else:
        # A word the store never saw is left out rather than emptying the answer.
        assert {f.id for f in found} <= {f.id for f in facts}


async def test_broad_words_rank_facts_about_them_first(
    search: FactSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every word broad, facts with the words in their subject or metric lead."""
    monkeypatch.setattr(fulltext, "EXACT_LIMIT", 1)
    found = await find(search, "инвестиции")
    investment = [f for f in found if f.metric == "investment"]
    assert [f.metric for f in found[: len(investment)]] == ["investment"] * len(investment)
    cargo = await find(search, "грузы аэропорт")
    assert [(f.entity_key, f.metric) for f in cargo[:2]] == [("airport_saryarka", "cargo")] * 2


async def test_a_narrow_word_with_a_broad_one(
    search: FactSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Qarmet has 7 facts in the seed store, "инвестиции" many more.
    monkeypatch.setattr(fulltext, "EXACT_LIMIT", 8)
    found = await find(search, "Qarmet инвестиции")
    assert {f.entity_key for f in found} == {"qarmet"}
    assert {f.metric for f in found} == {"investment"}


# ---- paging ---------------------------------------------------------------------------


def saran_documents(count: int) -> list[Document]:
    facts = [
        make_fact(
            topic=Topic.ZONES,
            subject="Индустриальная зона «Сарань»",
            entity_key="iz_saran",
            metric="participants",
            value=n + 1,
            unit="participants",
            period=None,
            quote=f"В индустриальной зоне Сарань зарегистрирован участник номер {n + 1}.",
        )
        for n in range(count)
    ]
    return [Document(make_meta(f"saran_{i}.txt"), facts[i::4]) for i in range(4)]


@pytest.mark.parametrize("exact_limit", [fulltext.EXACT_LIMIT, 5])
async def test_pages_cover_every_match_once(
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    exact_limit: int,
) -> None:
    """Both ways of ranking (bm25 for narrow queries, tiers for broad ones) page the
    same way: consecutive offsets, no fact twice, none left out."""
    monkeypatch.setattr(fulltext, "EXACT_LIMIT", exact_limit)
    await store_documents(session_factory, saran_documents(130))
    async with session_factory() as session:
        search = fact_search(session)
        pages = [await search.search("Сарани", limit=50, offset=offset) for offset in (0, 50, 100)]
        assert [len(page) for page in pages] == [50, 50, 30]
        ids = [fact.id for page in pages for fact in page]
        assert len(set(ids)) == 130
        assert await search.search("Сарани", limit=50, offset=130) == []
        # A page asked for again is the same page.
        assert [f.id for f in await search.search("Сарани", limit=50, offset=50)] == [
            f.id for f in pages[1]
        ]
        assert await search.search("Сарани", limit=50, offset=-3) == pages[0]


async def test_results_stop_at_the_paging_limit(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await store_documents(session_factory, saran_documents(8))
    async with session_factory() as session:
        search = fact_search(session)
        assert len(await search.search("Сарань", limit=50, offset=0)) == 8
        assert await search.search("Сарань", limit=50, offset=fulltext.MAX_OFFSET) == []


# ---- the index in step with the facts -------------------------------------------------


async def index_size(session: AsyncSession) -> int:
    return int(
        (await session.execute(text(f"SELECT count(*) FROM {fulltext.FTS_TABLE}"))).scalar_one()
    )


async def test_storing_a_document_indexes_its_facts_and_replacing_it_replaces_them(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    meta = make_meta("plant.txt")
    old = make_fact(
        subject="Завод ферросплавов", entity_key=None, quote="Завод ферросплавов построят."
    )
    async with session_factory() as session:
        await DocumentRepository(session).store(meta, [old])
        await session.commit()
        assert [f.subject for f in await fact_search(session).search("ферросплавы")] == [
            "Завод ферросплавов"
        ]
    new = make_fact(subject="Кремниевый завод", entity_key=None, quote="Кремниевый завод открыт.")
    async with session_factory() as session:
        changed = replace(meta, sha256="0" * 64)
        result = await DocumentRepository(session).store(changed, [new, new])
        await session.commit()
        assert result.replaced == 1
        search = fact_search(session)
        assert await search.search("ферросплавы") == []
        assert len(await search.search("кремниевого завода")) == 2
        if is_sqlite(session):
            assert await index_size(session) == len(await FactRepository(session).list())


async def test_a_failed_store_leaves_no_index_rows(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await DocumentRepository(session).store(make_meta("a.txt"), [make_fact()])
        await session.rollback()
        assert await fact_search(session).search("Qarmet") == []
        if is_sqlite(session):
            assert await index_size(session) == 0


async def test_reindex_indexes_facts_stored_before_the_index(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await migrate(url, "0001")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO documents (id, file_name, sha256, date_precision) "
                    "VALUES (1, 'old.txt', 'x', 'unknown')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO facts (document_id, topic, subject, entity_key, metric, value, "
                    "unit, status, quote, start, \"end\") VALUES (1, 'zones', 'ИЗ Сарань', "
                    "'iz_saran', 'participants', '12', 'participants', 'actual', "
                    "'В Сарани 12 участников.', 0, 10)"
                )
            )
        await migrate(url)
        async with create_session_factory(engine)() as session:
            assert await fact_search(session).search("Saran") == []
        out = io.StringIO()
        assert await run_reindex(url, index_labels(), if_stale=True, out=out) == 0
        assert "rebuilt: 1 facts" in out.getvalue()
        async with create_session_factory(engine)() as session:
            [fact] = await fact_search(session).search("Saran")
            assert fact.subject == "ИЗ Сарань"
        # Built with the current analysis: asked again only if stale, nothing is done.
        out = io.StringIO()
        await run_reindex(url, index_labels(), if_stale=True, out=out)
        assert "up to date" in out.getvalue()
    finally:
        await engine.dispose()


def test_query_words_are_plain_runs_of_letters_and_digits() -> None:
    for query in HOSTILE:
        for group in parse_query(query).groups:
            for term in group:
                assert term.text.isalnum() and term.text == term.text.lower()
    assert words_of("Сарань-2030 «ёлка»") == ["сарань", "2030", "елка"]


async def test_a_query_with_a_nul_is_searched_and_kept_on_every_store(
    session: AsyncSession, search: FactSearch
) -> None:
    """PostgreSQL's text cannot hold a NUL: a pasted one neither breaks the search nor
    the key a long query is kept under."""
    query = "Сарань\x00 " + "инвестиции " * 10
    assert await find(search, query)
    facts = FactRepository(session)
    key = await facts.remember_query(query)
    assert await facts.recall_query(key) == query.replace("\x00", "")


# ---- the words' counts ------------------------------------------------------------------


async def counted_words(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        text(f"SELECT word, facts FROM {fulltext.WORDS_TABLE} WHERE facts > 0")
    )
    return {word: int(facts) for word, facts in rows}


async def recounted_words(session: AsyncSession) -> dict[str, int]:
    """How many index rows each word is in, counted afresh from the index itself."""
    if is_sqlite(session):
        await session.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.recount "
                f"USING fts5vocab(main, {fulltext.FTS_TABLE}, row)"
            )
        )
        rows = await session.execute(text("SELECT term, doc FROM temp.recount"))
    else:
        rows = await session.execute(
            text(
                f"SELECT word, count(*) FROM {fulltext.FTS_TABLE}, "
                "unnest(tsvector_to_array(document)) AS word "
                "WHERE word NOT LIKE '#%' GROUP BY word"  # words, not the facts' marks
            )
        )
    return {word: int(facts) for word, facts in rows}


async def test_each_words_count_follows_the_index(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Stored, stated again by another document, replaced (its figures passing to the
    other document), removed, rebuilt: every word's count is the number of indexed
    facts with it."""
    plant = make_fact(
        subject="Завод ферросплавов", entity_key=None, quote="Завод ферросплавов построят."
    )
    again = make_fact(
        subject="Завод ферросплавов", entity_key=None, quote="Ферросплавный завод построят."
    )
    mine = make_fact(subject="Шахта Казахстанская", entity_key=None, quote="Шахту обновят.")
    steps = [
        lambda documents: documents.store(make_meta("a.txt"), [plant, make_fact()]),
        lambda documents: documents.store(make_meta("b.txt"), [again, mine]),
        lambda documents: documents.store(
            replace(make_meta("a.txt"), sha256="0" * 64), [make_fact(subject="Кремниевый завод")]
        ),
        lambda documents: documents.remove("a.txt"),
    ]
    for step in steps:
        async with session_factory() as session:
            await step(DocumentRepository(session))
            await session.commit()
            assert await counted_words(session) == await recounted_words(session)
            assert await counted_words(session)
    async with session_factory() as session:
        await session.execute(text(f"UPDATE {fulltext.WORDS_TABLE} SET facts = 1"))
        await fact_search(session).rebuild()
        await session.commit()
        assert await counted_words(session) == await recounted_words(session)
        assert [f.subject for f in await fact_search(session).search("шахта")] == [
            "Шахта Казахстанская"
        ]
