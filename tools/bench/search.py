"""Inline search latency on a synthetic store of 1,000,000 facts
(`python -m tools.bench.search --facts 100000` for a smaller one).

The store is generated, not ingested (the ingest bench measures that): the facts the
pipeline finds in the seed documents are the templates; their sentences get new figures
and years and sometimes an opening phrase, their subjects are the gazetteer's entities
or companies named from the seed vocabulary. Documents, facts and search index rows go
in with `executemany` in one transaction on a temporary SQLite file, and the index's
segments are merged into one at the end, as `python -m bot ingest` and `reindex` leave a
store (a store that grows by feed passes is merged a step after each pass).

The index rows are what `bot.storage.fulltext` would write: each piece of a template's
sentence is analysed once and the new figures are put between the pieces (a figure is
a word of its own, with no lemma), and a sample of the generated rows is checked against
the full analysis before anything is measured. The words' counts are filled in from the
finished index.

Then inline queries people type, in Russian and Kazakh, first pages and later ones, go
through `FactSearch.search` with a session each, as an inline query would; and then,
with the empty query added, through the whole inline answer (`bot.render.inline.inline_page`:
the search or the headlines, and fifty articles rendered in the asker's language), all
but the call to Telegram. The answer is timed once more with no article taken from the
cache of rendered ones, for what rendering costs.

Baselines in the same run: the same pages by one hand-written statement over the index
(every word, newest first; the ratios compare the search with it), and the store's
version, which every cached answer asks for.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot import DOCUMENTS_DIR
from bot.pipeline.analysis import analyse
from bot.pipeline.documents import load_manifest, parse_document
from bot.pipeline.gazetteer import Entity, Gazetteer, load_gazetteer
from bot.pipeline.search_terms import (
    FIELDS,
    fact_document,
    index_labels,
    parse_query,
    plain,
    quote_terms,
)
from bot.queries.facts import FactQueries
from bot.render.i18n import create_i18n
from bot.render.inline import PAGE_SIZE, inline_page, rendered_article
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.fulltext import FTS_TABLE, OPTIMIZE, WORDS_TABLE
from bot.storage.repositories import FactRepository
from bot.storage.searches import fact_search
from tools.bench import Figure, postgres_server_url, skipped

FACTS = 1_000_000
FACTS_PER_DOCUMENT = 20
BATCH = 50_000
ROUNDS = 7
CHECKED_ROWS = 2_000
SEED = 20_251_123

# (query, language, offset): what people type after @bot, and the pages they scroll to.
QUERIES: list[tuple[str, str, int]] = [
    ("Сарань", "ru", 0),
    ("Сарани", "ru", 0),
    ("Saran", "ru", 0),
    ("Саран", "kk", 0),
    ("Сарань", "ru", 50),
    ("Qarmet", "ru", 0),
    ("Кармет инвестиции", "ru", 0),
    ("инвестиции", "ru", 0),
    ("инвестиции", "ru", 100),
    ("инвестиция", "kk", 0),
    ("грузы аэропорт", "ru", 0),
    ("грузы аэропорт", "ru", 50),
    ("жүк", "kk", 0),
    ("рабочие места", "ru", 0),
    ("жұмыс орындары", "kk", 0),
    ("аймақ", "kk", 0),
    ("өндіріс", "kk", 0),
    ("СЭЗ Сарыарка участники", "ru", 0),
    ("Сарыарқа АЭА", "kk", 0),
    ("Теміртау", "kk", 0),
    ("Балхаш аэропорт", "ru", 0),
    ("Tengri Tyres шины", "ru", 0),
    ("QazTehna автобусы", "ru", 0),
    ("Teez склад", "ru", 0),
    ("Достык Мойынты", "ru", 0),
    ("сколько рабочих мест в Сарани", "ru", 0),
    ("инвестиции Сарань 2024", "ru", 0),
    ("2030 аэропорт", "ru", 0),
    ("модернизация", "ru", 0),
    ("производство шин", "ru", 0),
    ("Нуржол Групп", "ru", 0),
    ("бананы", "ru", 0),
    ('"Сарань" OR NEAR(*', "ru", 0),
    ("🏭 Сарань 🚀", "ru", 0),
]
# The inline answer is timed for the empty query too: the headline figures of every topic.
INLINE_QUERIES = [*QUERIES, ("", "ru", 0), ("", "kk", 0)]

OPENINGS = [
    "По данным управления предпринимательства области, ",
    "Как сообщили в акимате, ",
    "Ожидается, что ",
    "В рамках Карты индустриализации ",
    "Как отметили в региональной палате предпринимателей, ",
]
COMPANY_FORMS = ["ТОО", "АО", "ТОО", "ТОО", "КХ"]
COMPANY_ROOTS = [
    "Нуржол", "Сарыарка", "Темир", "Кен", "Жол", "Болат", "Алтын", "Кулагер", "Арман",
    "Караганды", "Шахтер", "Нура", "Тениз", "Балкаш", "Жезказган", "Абай", "Караоткель",
]  # fmt: skip
COMPANY_ENDINGS = [
    " Групп", "-Инвест", " Металл", " Энерго", "-Агро", " Логистик", " Пром", " Сервис",
    " Строй", "-Транс", " Steel", " Mining",
]  # fmt: skip
OUTLETS = ["Zakon.kz", "BAQ.kz", "inkaraganda.kz", "Kazinform", "ekaraganda.kz"]
# A figure standing on its own (not glued to letters), which a new value can replace.
NUMBER = re.compile(r"(?<![^\W\d_])\d+(?![^\W\d_])")

FactRow = tuple[object, ...]
IndexRow = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Template:
    """A seed fact, its sentence cut at its standalone figures and analysed piece by piece
    (a figure is a word of its own, with no lemma of another spelling)."""

    fact_fields: tuple[object, ...]  # topic, metric, unit, period, status, qualifier
    subject: str
    entity_key: str | None
    pieces: tuple[str, ...]  # the sentence's text around its figures
    words: tuple[tuple[str, ...], ...]  # the words of each piece
    lemmas: tuple[tuple[str, ...], ...]  # and their lemmas of another spelling
    figures: tuple[tuple[int, int], ...]  # the lowest new value of each figure, and the span
    metric_field: str
    topic_field: str


def seed_templates(gazetteer: Gazetteer) -> list[Template]:
    manifest = load_manifest()
    found = []
    for path in sorted(DOCUMENTS_DIR.glob("*.txt")):
        document = parse_document(path.name, path.read_bytes(), manifest.get(path.name))
        for fact in analyse(document, gazetteer).facts:
            pieces = tuple(NUMBER.split(fact.quote))
            analysed = [quote_terms(piece) for piece in pieces]
            about = fact_document(
                topic=fact.topic,
                subject="",
                entity_key=None,
                metric=fact.metric,
                quote="",
                labels=index_labels(),
            )
            found.append(
                Template(
                    fact_fields=(
                        fact.topic.value,
                        fact.metric,
                        fact.unit,
                        fact.period.key() if fact.period else None,
                        fact.status.value,
                        fact.qualifier.value if fact.qualifier else None,
                    ),
                    subject=fact.subject,
                    entity_key=fact.entity_key,
                    pieces=pieces,
                    words=tuple(tuple(map(plain, words)) for words, _lemmas in analysed),
                    lemmas=tuple(tuple(map(plain, lemmas)) for _words, lemmas in analysed),
                    figures=tuple(figure_range(old) for old in NUMBER.findall(fact.quote)),
                    metric_field=about.metric,
                    topic_field=about.topic,
                )
            )
    return found


def figure_range(old: str) -> tuple[int, int]:
    if len(old) == 4 and old.startswith(("19", "20")):
        return 2015, 17  # a year stays a year
    low = 10 ** (len(old) - 1) if len(old) > 1 else 1
    return low, 10 ** len(old) - low


class Generator:
    """Documents, facts and their index rows; the same for the same seed."""

    def __init__(self, seed: int, gazetteer: Gazetteer) -> None:
        self.rng = random.Random(seed)
        self.gazetteer = gazetteer
        self.templates = seed_templates(gazetteer)
        self.entities: list[Entity] = list(gazetteer)
        self.companies = [self._company() for _ in range(6_000)]
        self.openings = [
            (text, [plain(w) for w in words], [plain(w) for w in lemmas])
            for text in OPENINGS
            for words, lemmas in [quote_terms(text)]
        ]
        self._subject_fields: dict[tuple[str, str | None], str] = {}

    def documents(self, count: int) -> Iterator[tuple[object, ...]]:
        start = date(2019, 1, 1)
        for number in range(1, count + 1):
            name = f"synthetic_{number:07d}.txt"
            published = start + timedelta(days=self.rng.randrange(2_500))
            yield (
                number, name, hashlib.sha256(name.encode()).hexdigest(),
                self.rng.choice(OUTLETS), f"https://example.kz/news/{number}",
                published.isoformat(), None, "exact", None,
            )  # fmt: skip

    def fact(self, fact_id: int, document_id: int) -> tuple[FactRow, IndexRow]:
        random = self.rng.random
        template = self.templates[int(random() * len(self.templates))]
        figures = [str(low + int(random() * span)) for low, span in template.figures]
        first = template.pieces[0]
        quote_parts: list[str] = []
        words: list[str] = []
        lemmas: list[str] = []
        if random() < 0.3:
            opening, opening_words, opening_lemmas = self.openings[int(random() * len(OPENINGS))]
            quote_parts.append(opening)
            words += opening_words
            lemmas += opening_lemmas
            first = first[:1].lower() + first[1:]
        quote_parts.append(first)
        words += template.words[0]
        lemmas += template.lemmas[0]
        for index, figure in enumerate(figures, start=1):
            quote_parts += (figure, template.pieces[index])
            words.append(figure)
            words += template.words[index]
            lemmas += template.lemmas[index]
        quote = "".join(quote_parts)
        subject, entity_key = self._subject(template)
        topic, metric, unit, period, status, qualifier = template.fact_fields
        fact_row = (
            fact_id, document_id, topic, subject, entity_key, metric,
            figures[0] if figures else "1", unit, period, status, qualifier, quote, 0, len(quote),
        )  # fmt: skip
        index_row = (
            fact_id,
            self._subject_field(subject, entity_key),
            template.metric_field,
            template.topic_field,
            " ".join(words),
            " ".join(lemmas),
        )
        return fact_row, index_row

    def _subject_field(self, subject: str, entity_key: str | None) -> str:
        key = (subject, entity_key)
        field = self._subject_fields.get(key)
        if field is None:
            field = self._subject_fields[key] = fact_document(
                topic="other", subject=subject, entity_key=entity_key, metric="", quote="",
                labels=index_labels(), gazetteer=self.gazetteer,
            ).subject  # fmt: skip
        return field

    def _subject(self, template: Template) -> tuple[str, str | None]:
        roll = self.rng.random()
        if roll < 0.25 and template.entity_key:
            return template.subject, template.entity_key
        if roll < 0.45:
            entity = self.rng.choice(self.entities)
            return entity.name_ru, entity.key
        return self.rng.choice(self.companies), None

    def _company(self) -> str:
        rng = self.rng
        number = "" if rng.random() < 0.5 else f" {rng.randint(1, 99)}"
        return (
            f"{rng.choice(COMPANY_FORMS)} "
            f"«{rng.choice(COMPANY_ROOTS)}{rng.choice(COMPANY_ENDINGS)}{number}»"
        )


def build_store(path: Path, facts: int, gazetteer: Gazetteer) -> None:
    """The synthetic store in `path` (migrated, empty)."""
    generator = Generator(SEED, gazetteer)
    documents = -(-facts // FACTS_PER_DOCUMENT)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")
        # Larger index pages while loading: fewer of them to write and merge.
        connection.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('pgsz', 4000)")
        # The facts' own indexes are built once at the end rather than row by row.
        indexes = [
            sql
            for (sql,) in connection.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'facts' "
                "AND sql IS NOT NULL"
            )
        ]
        connection.execute("BEGIN")
        for sql in indexes:
            connection.execute("DROP INDEX " + sql.split()[2])
        connection.executemany(
            "INSERT INTO documents (id, file_name, sha256, outlet, url, published, "
            "published_to, date_precision, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            generator.documents(documents),
        )
        insert_fact = (
            "INSERT INTO facts (id, document_id, topic, subject, entity_key, metric, value, "
            'unit, period, status, qualifier, quote, start, "end") '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        insert_row = (
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FIELDS)}) "
            f"VALUES (?, {', '.join('?' for _ in FIELDS)})"
        )
        for first in range(1, facts + 1, BATCH):
            fact_rows, index_rows = batch(generator, first, facts, gazetteer)
            connection.executemany(insert_fact, fact_rows)
            connection.executemany(insert_row, index_rows)
        for sql in indexes:
            connection.execute(sql)
        # Each word's count of facts, as the store keeps them (and as migration 0009 fills
        # them in): from FTS5's own vocabulary.
        connection.execute(
            f"CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, {FTS_TABLE}, row)"
        )
        connection.execute(f"INSERT INTO {WORDS_TABLE} (word, facts) SELECT term, doc FROM words")
        # The index's segments merged into one, as a bulk ingest or a rebuild leaves them
        # (`FactSearch.merge_segments`).
        connection.execute(OPTIMIZE)
        connection.execute("COMMIT")
    finally:
        connection.close()


def batch(
    generator: Generator, first: int, facts: int, gazetteer: Gazetteer
) -> tuple[list[FactRow], list[IndexRow]]:
    fact_rows, index_rows = [], []
    for fact_id in range(first, min(first + BATCH, facts + 1)):
        fact_row, index_row = generator.fact(fact_id, (fact_id - 1) // FACTS_PER_DOCUMENT + 1)
        if fact_id <= CHECKED_ROWS:
            check(fact_row, index_row, gazetteer)
        fact_rows.append(fact_row)
        index_rows.append(index_row)
    return fact_rows, index_rows


def check(fact_row: FactRow, index_row: IndexRow, gazetteer: Gazetteer) -> None:
    """The generated index row is the one the store would have written."""
    _id, _doc, topic, subject, entity_key, metric, *_rest = fact_row
    expected = fact_document(
        topic=str(topic), subject=str(subject),
        entity_key=None if entity_key is None else str(entity_key),
        metric=str(metric), quote=str(fact_row[11]), labels=index_labels(),
        gazetteer=gazetteer,
    )  # fmt: skip
    wanted = (fact_row[0], *(expected.field(name) for name in FIELDS))
    if index_row != wanted:
        raise AssertionError(f"generated index row differs from the analysis: {index_row!r}")


def sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True, slots=True)
class Timing:
    """One query's wall time and the CPU time this process spent on it (both threads:
    the event loop's and the database driver's), in milliseconds. On a machine shared
    with other work the first includes waiting for a core; the second does not."""

    query: str
    wall: float
    cpu: float


# One inline query, as (session, query, language, offset).
Ask = Callable[[AsyncSession, str, str, int], Awaitable[object]]


async def search_only(session: AsyncSession, query: str, language: str, offset: int) -> None:
    """The full-text search alone: the facts of the page, one more to tell if there are more."""
    await fact_search(session, index_labels()).search(query, language, PAGE_SIZE + 1, offset)


async def raw_page(session: AsyncSession, query: str, language: str, offset: int) -> None:
    """The baseline: one hand-written statement for the same page, the query's words
    already spelt in the index's syntax (every word, newest facts first), the facts
    joined to their documents."""
    spelt = _spelt(query, language, session.get_bind().dialect.name)
    if spelt is None:
        return
    statement = RAW_POSTGRESQL if session.get_bind().dialect.name == "postgresql" else RAW_SQLITE
    params = {"match": spelt, "limit": PAGE_SIZE + 1, "offset": offset}
    (await session.execute(statement, params)).all()


@lru_cache(maxsize=256)
def _spelt(query: str, language: str, dialect: str) -> str | None:
    from bot.storage.fulltext import match_expression
    from bot.storage.fulltext_postgres import tsquery

    groups = parse_query(query, language).groups
    return (tsquery if dialect == "postgresql" else match_expression)(groups)


_RAW_COLUMNS = (
    "f.id, f.document_id, f.topic, f.subject, f.entity_key, f.metric, f.value, f.unit, "
    'f.period, f.status, f.qualifier, f.quote, f.start, f."end", f.added_at, d.file_name, '
    "d.outlet, d.url, d.published, d.published_to, d.date_precision, d.title"
)
RAW_SQLITE = text(
    f"SELECT {_RAW_COLUMNS} FROM (SELECT rowid AS id FROM {FTS_TABLE} WHERE {FTS_TABLE} "
    "MATCH :match ORDER BY rowid DESC LIMIT :limit OFFSET :offset) AS hits "
    "JOIN facts AS f ON f.id = hits.id JOIN documents AS d ON d.id = f.document_id"
)
RAW_POSTGRESQL = text(
    f"SELECT {_RAW_COLUMNS} FROM (SELECT id FROM {FTS_TABLE} WHERE document @@ "
    "CAST(:match AS tsquery) ORDER BY id DESC LIMIT :limit OFFSET :offset) AS hits "
    "JOIN facts AS f ON f.id = hits.id JOIN documents AS d ON d.id = f.document_id"
)


async def store_version(session: AsyncSession, query: str, language: str, offset: int) -> None:
    """What tells cached answers the store changed (read once a second per process)."""
    await FactRepository(session).version()


async def inline_answer(session: AsyncSession, query: str, language: str, offset: int) -> None:
    """What the inline handler does before it calls Telegram: its queries built as it
    builds them, and the page of articles, rendered in the current language."""
    queries = FactQueries.of(session)
    await inline_page(queries, query, str(offset) if offset else "", language)


async def inline_answer_rendered_afresh(
    session: AsyncSession, query: str, language: str, offset: int
) -> None:
    """The inline answer with every article rendered, none taken from the cache."""
    rendered_article.cache_clear()
    await inline_answer(session, query, language, offset)


async def measure(
    url: str, ask: Ask, queries: list[tuple[str, str, int]] = QUERIES
) -> list[Timing]:
    """Each query asked with a session of its own, in the asker's language, `ROUNDS`
    times after a round that warms the caches a running bot has warm."""
    engine = create_engine(url)
    factory = create_session_factory(engine)
    i18n = create_i18n()
    timings: list[Timing] = []
    try:
        with i18n.context():
            for round_ in range(ROUNDS + 1):
                for query, language, offset in queries:
                    with i18n.use_locale(language):
                        async with factory() as session:
                            started, used = time.perf_counter(), time.process_time()
                            await ask(session, query, language, offset)
                            elapsed = time.perf_counter() - started
                            spent = time.process_time() - used
                    if round_:
                        timings.append(Timing(query, elapsed * 1000, spent * 1000))
    finally:
        await engine.dispose()
    return timings


@dataclass(frozen=True, slots=True)
class Targets:
    """What a store's figures are held to."""

    search_p95: str
    search_p50_ratio: str
    search_p95_ratio: str


SQLITE_TARGETS = Targets("—", "<= 2x raw FTS5", "—")
POSTGRESQL_TARGETS = Targets("<= 10 ms", "—", "<= 2x raw tsvector/GIN")


async def figures_for(url: str, suffix: str, targets: Targets) -> list[Figure]:
    """The search alone and the raw statement for the same pages, the store's version,
    then the whole inline answer over the same queries and the empty one; the names end
    in `suffix` (the store's size, and its database but SQLite)."""
    gc.collect()
    search = await measure(url, search_only)
    raw = await measure(url, raw_page)
    versions = await measure(url, store_version, [("", "ru", 0)] * 50)
    answers = await measure(url, inline_answer, INLINE_QUERIES)
    afresh = await measure(url, inline_answer_rendered_afresh, INLINE_QUERIES)
    empty = [timing.wall for timing in answers if not timing.query]
    search_p95, raw_p95 = p95(t.wall for t in search), p95(t.wall for t in raw)
    return [
        Figure(f"inline_search_p50_{suffix}", median(search), "ms", "—"),
        Figure(f"inline_search_p95_{suffix}", search_p95, "ms", targets.search_p95),
        Figure(f"raw_search_p50_{suffix}", median(raw), "ms", "baseline: one statement"),
        Figure(f"raw_search_p95_{suffix}", raw_p95, "ms", "baseline: one statement"),
        Figure(
            f"inline_search_p50_ratio_to_raw_{suffix}",
            median(search) / median(raw),
            "x",
            targets.search_p50_ratio,
        ),
        Figure(
            f"inline_search_p95_ratio_to_raw_{suffix}",
            search_p95 / raw_p95,
            "x",
            targets.search_p95_ratio,
        ),
        Figure(f"inline_search_cpu_p95_{suffix}", p95(t.cpu for t in search), "ms", "<= 10 ms"),
        Figure(f"store_version_p95_{suffix}", p95(t.wall for t in versions), "ms", "<= 1 ms"),
        Figure(f"inline_answer_p50_{suffix}", median(answers), "ms", "—"),
        Figure(f"inline_answer_p95_{suffix}", p95(t.wall for t in answers), "ms", "<= 10 ms"),
        Figure(f"inline_answer_cpu_p95_{suffix}", p95(t.cpu for t in answers), "ms", "<= 10 ms"),
        Figure(f"inline_answer_empty_query_p95_{suffix}", p95(empty), "ms", "<= 10 ms"),
        Figure(
            f"inline_answer_rendered_afresh_p95_{suffix}",
            p95(t.wall for t in afresh),
            "ms",
            "for information: no article from the cache",
        ),
    ]


def median(timings: list[Timing]) -> float:
    return statistics.median(timing.wall for timing in timings)


def p95(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def size_name(facts: int) -> str:
    """ "1m_facts", "100k_facts": the store's size in the figures' names."""
    if facts % 1_000_000 == 0:
        return f"{facts // 1_000_000}m_facts"
    if facts % 1_000 == 0:
        return f"{facts // 1_000}k_facts"
    return f"{facts}_facts"


async def run(facts: int = FACTS) -> list[Figure]:
    gazetteer = load_gazetteer()
    size = size_name(facts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "search.db"
        url = f"sqlite+aiosqlite:///{path}"
        await migrate(url)
        started = time.perf_counter()
        await asyncio.to_thread(build_store, path, facts, gazetteer)
        # Written without syncs: the disk catches up here, not while queries are timed.
        await asyncio.to_thread(sync, path)
        built = time.perf_counter() - started
        figures = [Figure(f"search_store_build_{size}", built, "s", "< 120 s at 1m")]
        figures += await figures_for(url, size, SQLITE_TARGETS)
        figures += await run_on_postgresql(path, size)
    return figures


async def run_on_postgresql(sqlite_path: Path, size: str) -> list[Figure]:
    """The same facts and queries on PostgreSQL, when a server is named (tools.bench)."""
    server = postgres_server_url()
    if server is None:
        for figure in ("inline_search_p95", "inline_answer_p95"):
            name = f"{figure}_{size}_postgresql"
            print(skipped(name), flush=True)
        return []
    from tools.bench.search_postgres import copy_store
    from tools.databases import throwaway_database

    async with throwaway_database(server, "bench") as url:
        await migrate(url)
        started = time.perf_counter()
        await copy_store(sqlite_path, url)
        copied = time.perf_counter() - started
        figures = [Figure(f"search_store_copy_{size}_postgresql", copied, "s", "for information")]
        figures += await figures_for(url, f"{size}_postgresql", POSTGRESQL_TARGETS)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.search", description=__doc__)
    parser.add_argument("--facts", type=int, default=FACTS, help="facts in the store")
    args = parser.parse_args(argv)
    for figure in asyncio.run(run(args.facts)):
        print(figure.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
