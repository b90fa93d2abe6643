"""Full-text search over the facts: SQLite FTS5 behind one repository class.

The index (`facts_fts`, migration 0002) holds one row per fact, its rowid the fact's
id, with the fields of `bot.pipeline.search_terms.SearchDocument`. It is written in the same
transaction as the facts (`DocumentRepository.store` calls `add_document` and
`remove_document`), so it never disagrees with them.

Queries never reach FTS5 syntax from the user: `bot.pipeline.search_terms.parse_query` keeps only
runs of letters and digits, and each becomes a quoted string here.

Ranking is by tiers, the same on every store: first the facts with every word in their
subject or metric, then also in their topic words, then the rest; newest document first
within a tier. (A store's own rank, bm25 or ts_rank, would order the two stores' pages
differently.) How many facts each word is found in is kept in `search_words`, written
with the index (migration 0009), and read once per word and second per process
(`WordCounts`), so a query does not count its words:

- some word in fewer than `EXACT_LIMIT` facts ("Qarmet инвестиции"): the matches are no
  more than that word's, so all of them are put in their tiers and sorted;
- every word broad ("инвестиции", "рабочие места"): the most recently added facts first
  within a tier, the first two tiers looked for among the newest facts only — a window
  of as many as the words' counts say hold a few pages of matches. The index is walked
  in id order and stops after the page, so the cost follows the page and that window,
  not the size of the store.

Years, plan words and topic words are filters on the matches (`bot.storage.fact_rows`);
a query of filters alone lists the facts meeting them, newest first. A name the store
has never seen is corrected to the nearest gazetteer name or stored subject
(`bot.pipeline.search_terms.corrected_name`), and the page says so. When every word together finds
nothing, the facts with all but one of them are ranked instead, and so on: a word that
is not found lowers the rank rather than emptying the answer; filters that empty the
answer are dropped the same way.

On PostgreSQL the same search runs over a tsvector index (`bot.storage.fulltext_postgres`:
the statements differ, the analysis and the strategy do not); `bot.storage.searches`
picks the one for a session. Other dialects have no index: there the facts are matched
in memory with the same analysis (`bot.pipeline.search_terms.match_facts`), which suits a store of a
few thousand facts.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any

from sqlalchemy import Integer, Select, bindparam, column, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Fact, Topic
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.pipeline.search_terms import (
    FIELDS,
    METRIC,
    SUBJECT,
    TOPIC,
    Filters,
    IndexLabels,
    SearchQuery,
    Term,
    corrected_name,
    fact_document,
    match_facts,
    name_words,
    parse_query,
    subject_words,
    topic_field_words,
    with_word,
)
from bot.storage.engine import store_of
from bot.storage.fact_rows import (
    ALL_FACTS,
    FILTERED_PAGE,
    NEWEST_DOCUMENT_FIRST,
    facts_of,
    filter_params,
    filtered,
    page,
    read_facts,
)
from bot.storage.models import FactRecord

# The table and its tokenizer are created by migration 0002: unicode61 keeps every run
# of letters and digits whole, like `bot.pipeline.search_terms.words_of`; ё and case are
# folded before the text gets here.
FTS_TABLE = "facts_fts"
# One row: a number that grows with every change to the facts (`FactRepository.version`
# reads it), and the analysis the index was last built with (migration 0007).
STATE_TABLE = "search_state"
# Changes whenever the analysis changes what a fact is indexed by: an index built with
# another one is rebuilt by `python -m bot reindex`.
ANALYSIS = "2"

# A word of the query found in at least this many facts is "broad" (see above).
EXACT_LIMIT = 200
# How many facts each indexed word is found in (migration 0009).
WORDS_TABLE = "search_words"
# The window of the first tiers: the newest facts, as many as hold `WINDOW_MARGIN` times
# the page's matches by the words' counts, within `WINDOW_MIN` and `WINDOW_MAX`.
WINDOW_MARGIN = 2
WINDOW_MIN = 512
WINDOW_MAX = 8_192
# How long a process trusts the word counts it read: another process's ingest shows in
# which words are broad that much later at most (this process's own writes at once).
COUNTS_TTL = 1.0
COUNTS_STORES = 8
COUNTS_WORDS = 50_000
# The fields every word must be found in, tier by tier (None: anywhere).
TIERS: tuple[frozenset[str] | None, ...] = (
    frozenset({SUBJECT, METRIC}),
    frozenset({SUBJECT, METRIC, TOPIC}),
    None,
)
# Results further down than this are not served (inline paging stops there).
MAX_OFFSET = 1000
# An empty phrase: matches nothing (a tier some word cannot be found in).
NOTHING = '""'
# Facts read and indexed at a time when the whole index is rebuilt.
REBUILD_BATCH = 5_000
# Index pages (4 KB by default) one step of merging the index's segments writes at most.
MERGE_PAGES = 2_000

INSERT_ROW = (
    f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FIELDS)}) "
    f"VALUES (:id, {', '.join(':' + name for name in FIELDS)})"
)
_DELETE_ROWS = text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id")
# FTS5's own commands: every segment merged into one; a step of `-rank` pages towards it.
OPTIMIZE = f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"
_MERGE = text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('merge', :pages)")
_STRUCTURE = text(f"SELECT block FROM {FTS_TABLE}_data WHERE id = 10")
_DELETE_DOCUMENT = text(
    f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
    "(SELECT id FROM facts WHERE document_id = :document_id)"
)
# The facts changed: whatever was cached for the old version is stale.
BUMP_VERSION = text(f"UPDATE {STATE_TABLE} SET version = version + 1 WHERE id = 1")
_SET_ANALYSIS = text(f"UPDATE {STATE_TABLE} SET analysis = :analysis WHERE id = 1")
_FACT_COLUMNS = ("id", "topic", "subject", "entity_key", "metric", "quote", "status", "period")
# A word's count goes up by the facts indexed with it (and down as they go).
COUNT_WORDS = (
    f"INSERT INTO {WORDS_TABLE} (word, facts) VALUES (:word, :facts) "
    f"ON CONFLICT (word) DO UPDATE SET facts = {WORDS_TABLE}.facts + excluded.facts"
)
_UNCOUNT_WORDS = text(f"UPDATE {WORDS_TABLE} SET facts = facts - :facts WHERE word = :word")
_WORDS_OF_DOCUMENT = text(
    f"SELECT {', '.join(FIELDS)} FROM {FTS_TABLE} WHERE rowid IN "
    "(SELECT id FROM facts WHERE document_id = :document_id)"
)
_NEWEST = text("SELECT max(id) FROM facts")
_COUNTS = text(
    f"SELECT word, facts FROM {WORDS_TABLE} WHERE word IN :words "
    "UNION ALL SELECT '', max(id) FROM facts"
).bindparams(bindparam("words", expanding=True))
_VERSION = text(f"SELECT version FROM {STATE_TABLE} WHERE id = 1")
# The readings of queries people ask again (an inline query is asked as it is typed, and
# again for each page): the analysis depends on the query and the data files only.
_parsed = lru_cache(maxsize=2048)(parse_query)
_SUBJECTS = text("SELECT DISTINCT subject FROM facts")
# The subject words of the last few (store, version) pairs a process asked about.
_SUBJECT_WORDS: dict[tuple[str, int], dict[str, str]] = {}
SUBJECT_WORD_STORES = 8


def index_rows(
    facts: Iterable[Mapping[Any, Any]],
    labels: IndexLabels,
    gazetteer: Gazetteer | None = None,
    *,
    marks: bool = False,
) -> list[dict[str, Any]]:
    """Index rows for stored facts given as mappings with `_FACT_COLUMNS`; with `marks`,
    each with its fact's marks (`fact_marks`: the PostgreSQL index keeps them)."""
    gazetteer = gazetteer or load_gazetteer()
    rows = []
    for fact in facts:
        document = fact_document(
            topic=fact["topic"],
            subject=fact["subject"],
            entity_key=fact["entity_key"],
            metric=fact["metric"],
            quote=fact["quote"],
            labels=labels,
            gazetteer=gazetteer,
        )
        row = {"id": fact["id"], **{name: document.field(name) for name in FIELDS}}
        if marks:
            row["marks"] = fact_marks(fact["topic"], fact["status"], fact["period"])
        rows.append(row)
    return rows


# Four digits in a row, at every place they start (a period's years; overlaps included).
_YEARS = re.compile(r"(?=([0-9]{4}))")


def fact_marks(topic: str | None, status: str | None, period: str | None) -> tuple[str, ...]:
    """What a fact is narrowed by besides its words, as the PostgreSQL index keeps it
    (`bot.storage.fulltext_postgres`; FTS5 needs none): its topic (`#t…`), its status
    (`#s…`), and for each year its period names, the year (`#y<yyyy>`) and the topic's
    and the status's marks with it. Marks begin with `#`, which no indexed word does."""
    topic, status = topic or "", status or ""
    years = sorted({match.group(1) for match in _YEARS.finditer(period or "")})
    with_years = (f"{mark}{year}" for year in years for mark in ("#y", f"#t{topic}", f"#s{status}"))
    return (f"#t{topic}", f"#s{status}", *with_years)


def word_counts(rows: Iterable[Mapping[Any, Any]]) -> list[dict[str, Any]]:
    """How many of the index rows each word is found in (in any field), as the
    parameters of `COUNT_WORDS`, in the order of the words (so that two writers lock
    the same rows in the same order)."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(set(" ".join(str(row[name]) for name in FIELDS).split()))
    return [{"word": word, "facts": facts} for word, facts in sorted(counts.items())]


@dataclass(slots=True)
class WordCounts:
    """What a process knows of a store's word counts: read at `read_at`, the newest
    fact's id then, and the words asked about so far (0: a word no fact has)."""

    read_at: float
    newest: int = -1
    facts: dict[str, int] = field(default_factory=dict)


_WORD_COUNTS: OrderedDict[str, WordCounts] = OrderedDict()


def forget_word_counts(store: str) -> None:
    """The store's words were written in this process: read their counts afresh."""
    _WORD_COUNTS.pop(store, None)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """The SQLite varint at `at` (big-endian groups of seven bits, the ninth byte whole),
    and where the next begins."""
    value = 0
    for count in range(9):
        byte = data[at]
        at += 1
        if count == 8:
            return (value << 8) | byte, at
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return value, at


def window_start(newest: int, size: int, wanted: int) -> int:
    """The first id of the window a broad query's first tiers are looked for in: the
    newest facts, as many as hold `WINDOW_MARGIN` times `wanted` matches of a word found
    in `size` facts out of about `newest`."""
    span = math.ceil(WINDOW_MARGIN * wanted * max(newest, 1) / max(size, 1))
    return max(newest - max(WINDOW_MIN, min(span, WINDOW_MAX)) + 1, 0)


def phrase(term: Term, within: frozenset[str] | None = None) -> str | None:
    """One term as an FTS5 string, limited to its fields (and `within`); None when
    no field is left."""
    fields = term.fields
    if within is not None:
        fields = within if fields is None else fields & within
    if fields is not None and not fields:
        return None
    quoted = '"' + term.text.replace('"', '""') + '"'
    if fields is None or set(fields) >= set(FIELDS):
        return quoted
    return "{" + " ".join(name for name in FIELDS if name in fields) + "} : " + quoted


def match_expression(
    groups: Sequence[Sequence[Term]], within: frozenset[str] | None = None
) -> str | None:
    """Every group (any of its terms) in FTS5 syntax; None when some group cannot match."""
    parts = []
    for group in groups:
        alternatives = [p for p in (phrase(term, within) for term in group) if p]
        if not alternatives:
            return None
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts) or None


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of results, and the names the query was corrected to (empty: none)."""

    facts: list[Fact] = field(default_factory=list)
    corrected: tuple[str, ...] = ()


class FactSearch:
    """Search and index maintenance over one session: SQLite FTS5 here, PostgreSQL in
    `PostgresFactSearch`; `bot.storage.searches.fact_search` picks one."""

    # How this index spells a query, either of several, and a query that matches nothing.
    match_expression = staticmethod(match_expression)
    either = " OR "
    nothing = NOTHING
    marks = False  # whether the index keeps the facts' marks (`fact_marks`)

    def __init__(
        self, session: AsyncSession, labels: IndexLabels, gazetteer: Gazetteer | None = None
    ) -> None:
        self._session = session
        self._labels = labels
        self._gazetteer = gazetteer
        self._indexed = session.get_bind().dialect.name == "sqlite"

    def _second_tier_adds_nothing(self, groups: Sequence[Sequence[Term]], filters: Filters) -> bool:
        """Whether the second tier (every word in a subject, metric or topic) ranks no
        fact apart: when no word can be in a topic's words it is the first tier; when
        the query narrows to a topic whose words every group has, it is every match,
        ranked as the last tier ranks them (newest first)."""
        if not any(term.text in topic_field_words(self._labels) for g in groups for term in g):
            return True
        topic = filters.topic
        return topic is not None and all(self._in_topic_field(group, topic) for group in groups)

    def _in_topic_field(self, group: Sequence[Term], topic: Topic) -> bool:
        """Whether a word of `group` is one every fact of `topic` has in its topic field."""
        words = topic_field_words(self._labels, topic)
        return any(term.text in words for term in group)

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    # ---- keeping the index in step ---------------------------------------------------

    async def add_document(self, document_id: int) -> None:
        """Index every fact of a document (after they are inserted)."""
        await self._session.execute(BUMP_VERSION)
        if not self._indexed:
            return
        # The document's facts indexed already (a document that inherits another's
        # facts) are counted again below.
        counts = await self._words_of_document(document_id)
        if counts:
            await self._session.execute(_UNCOUNT_WORDS, counts)
        result = await self._session.execute(
            select(*(getattr(FactRecord, name) for name in _FACT_COLUMNS)).where(
                FactRecord.document_id == document_id
            )
        )
        await self._write(self._index_rows(result.mappings()))

    async def add_facts(self, facts: Iterable[Mapping[Any, Any]]) -> None:
        """Index facts just inserted, given as mappings with `_FACT_COLUMNS` (the rows
        the writer already holds, so nothing is read back). The store's version is moved
        by the document's write, once (`DocumentRepository.store`)."""
        if not self._indexed:
            return
        await self._write(self._index_rows(facts))

    async def remove_document(self, document_id: int) -> None:
        """Drop the index rows of a document's facts (before they are deleted), and
        their words from the counts."""
        await self._session.execute(BUMP_VERSION)
        if not self._indexed:
            return
        counts = await self._words_of_document(document_id)
        if counts:
            await self._session.execute(_UNCOUNT_WORDS, counts)
        forget_word_counts(store_of(self._session))
        await self._remove_document(document_id)

    async def _words_of_document(self, document_id: int) -> list[dict[str, Any]]:
        rows = await self._session.execute(_WORDS_OF_DOCUMENT, {"document_id": document_id})
        return word_counts(rows.mappings())

    async def _remove_document(self, document_id: int) -> None:
        await self._session.execute(_DELETE_DOCUMENT, {"document_id": document_id})

    async def rebuild(self) -> int:
        """Index every fact afresh, a batch at a time; returns how many."""
        await self._session.execute(BUMP_VERSION)
        if not self._indexed:
            return 0
        await self._clear()
        done, after = 0, 0
        columns = [getattr(FactRecord, name) for name in _FACT_COLUMNS]
        while True:
            batch = (
                (
                    await self._session.execute(
                        select(*columns)
                        .where(FactRecord.id > after)
                        .order_by(FactRecord.id)
                        .limit(REBUILD_BATCH)
                    )
                )
                .mappings()
                .all()
            )
            if not batch:
                break
            await self._write(self._index_rows(batch))
            done += len(batch)
            after = batch[-1]["id"]
        await self._session.execute(_SET_ANALYSIS, {"analysis": ANALYSIS})
        return done

    async def merge_segments(self, pages: int | None = MERGE_PAGES) -> None:
        """Merge the index's segments (SQLite; a GIN index needs nothing of the kind).

        FTS5 adds a segment with every transaction that writes to the index and merges
        only some as it goes, so a store built a document at a time keeps ten or more,
        and every word of a query is looked up in each: at a million facts a search over
        one segment takes about 60 % of the time it takes over eleven. `pages=None`
        merges them all into one, rewriting the whole index (after a bulk load or a
        rebuild); a number takes a step of about that many pages towards it, and the
        next step goes on where it stopped."""
        if self._session.get_bind().dialect.name != "sqlite":
            return
        if pages is None:
            await self._session.execute(text(OPTIMIZE))
        else:
            # A negative number: the segments of every level are merged together.
            await self._session.execute(_MERGE, {"pages": -max(pages, 1)})

    async def segments(self) -> int:
        """How many segments the SQLite index has (1 on other stores): read from FTS5's
        structure record (row 10 of its data table: a four-byte cookie, then the number
        of levels and of segments as SQLite varints)."""
        if self._session.get_bind().dialect.name != "sqlite":
            return 1
        record = await self._session.scalar(_STRUCTURE)
        if not record:
            return 0
        _levels, at = _varint(record, 4)
        return _varint(record, at)[0]

    async def _clear(self) -> None:
        await self._session.execute(text(f"DELETE FROM {FTS_TABLE}"))
        await self._session.execute(text(f"DELETE FROM {WORDS_TABLE}"))
        forget_word_counts(store_of(self._session))

    def _index_rows(self, facts: Iterable[Mapping[Any, Any]]) -> list[dict[str, Any]]:
        return index_rows(facts, self._labels, self._gazetteer, marks=self.marks)

    async def _write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        # A fact id the store reuses must not meet a row left by a fact deleted elsewhere.
        await self._session.execute(_DELETE_ROWS, [{"id": row["id"]} for row in rows])
        await self._session.execute(text(INSERT_ROW), rows)
        await self._count(rows)

    async def _count(self, rows: list[dict[str, Any]]) -> None:
        """The rows' words counted in `search_words`."""
        await self._session.execute(text(COUNT_WORDS), word_counts(rows))
        forget_word_counts(store_of(self._session))

    # ---- searching ------------------------------------------------------------------

    async def search(
        self, query: str, language: str = "ru", limit: int = 50, offset: int = 0
    ) -> list[Fact]:
        """The facts matching `query`, best first: `limit` of them from `offset` on."""
        return (await self.find(query, language, limit, offset)).facts

    async def find(
        self, query: str, language: str = "ru", limit: int = 50, offset: int = 0
    ) -> SearchPage:
        """`search`, with the names the query was corrected to."""
        offset = max(offset, 0)
        limit = min(limit, MAX_OFFSET - offset)
        parsed = _parsed(query, language)
        if not parsed or limit <= 0:
            return SearchPage()
        if not self._indexed:
            facts = await self._match_in_memory(query, language)
            return SearchPage(facts[offset : offset + limit])
        known, newest, parsed, corrected = await self._known_words(parsed, language)
        if not known and not parsed.filters:
            return SearchPage(corrected=corrected)
        # The strict reading first: every word, every filter.
        facts = await self._ranked(known, parsed.filters, newest, limit, offset)
        if facts or not await self._empty(known, parsed.filters, newest, offset):
            return SearchPage(facts, corrected)
        if parsed.filters:
            # Filters that leave nothing are dropped (a topic word is searched for as a word).
            loose = parsed.loosened()
            known, newest = await self._counted(loose.groups)
            facts = await self._ranked(known, Filters(), newest, limit, offset)
            if facts or not await self._empty(known, Filters(), newest, offset):
                return SearchPage(facts, corrected)
        return SearchPage(await self._relaxed(known, limit, offset), corrected)

    async def _known_words(
        self, parsed: SearchQuery, language: str
    ) -> tuple[list[tuple[Sequence[Term], int]], int, SearchQuery, tuple[str, ...]]:
        """The query's groups with how many facts each matches (words the store never
        saw left out), the newest fact's id, the query with misspelt names corrected, and
        the names it was corrected to."""
        known, newest = await self._counted(parsed.groups)
        found = {term.text for group, _size in known for term in group}
        corrected: list[str] = []
        for index, group in enumerate(parsed.groups):
            if any(term.text in found for term in group) or index >= len(parsed.words):
                continue
            word = parsed.words[index]
            name = corrected_name(word, name_words(self.gazetteer))
            if name is None:
                name = corrected_name(word, await self._subject_words(word))
            if name is not None:
                parsed = with_word(parsed, index, name, language)
                corrected.append(name)
        if corrected:
            known, newest = await self._counted(parsed.groups)
        return known, newest, parsed, tuple(corrected)

    async def _subject_words(self, word: str) -> dict[str, str]:
        """The words of the stored subjects a misspelt `word` may mean (SQLite: all of
        them, read once per store version; PostgreSQL narrows them by trigrams)."""
        version = await self._session.scalar(_VERSION)
        key = (store_of(self._session), int(version or 0))
        known = _SUBJECT_WORDS.get(key)
        if known is None:
            subjects = (await self._session.scalars(_SUBJECTS)).all()
            known = _SUBJECT_WORDS[key] = subject_words(subjects)
            while len(_SUBJECT_WORDS) > SUBJECT_WORD_STORES:
                _SUBJECT_WORDS.pop(next(iter(_SUBJECT_WORDS)))
        return known

    async def _empty(
        self,
        known: Sequence[tuple[Sequence[Term], int]],
        filters: Filters,
        newest: int,
        offset: int,
    ) -> bool:
        """Whether a query finds nothing at all (an empty later page says only that the
        results ended)."""
        return offset == 0 or not await self._ranked(known, filters, newest, 1, 0)

    async def _ranked(
        self,
        known: Sequence[tuple[Sequence[Term], int]],
        filters: Filters,
        newest: int,
        limit: int,
        offset: int,
    ) -> list[Fact]:
        """The page of facts matching every known group and the filters, best first."""
        page_params: dict[str, Any] = {"limit": limit, "offset": offset, **filter_params(filters)}
        if not known:
            if not filters:
                return []
            return await read_facts(self._session, FILTERED_PAGE, page_params)
        every = [group for group, _size in known]
        narrow = [group for group, size in known if size < EXACT_LIMIT]
        narrowed_page, tiered_page = self._statements(filters)
        spell = self.match_expression
        params: dict[str, Any]
        if narrow:
            statement, params = narrowed_page, self._tier_params(spell(narrow), [every])
        else:
            statement, params = (
                tiered_page,
                {
                    f"tier{tier}": spell(every, within) or self.nothing
                    for tier, within in enumerate(TIERS, start=1)
                },
            )
            if self._second_tier_adds_nothing(every, filters):
                params["tier2"] = self.nothing
            wanted = offset + limit
            first = window_start(newest, min(size for _group, size in known), wanted)
            statement, window = self._window(filters, first, newest, known, params)
            params.update(window, wanted=wanted)
        return await read_facts(self._session, statement, {**params, **page_params})

    async def _relaxed(
        self, known: Sequence[tuple[Sequence[Term], int]], limit: int, offset: int
    ) -> list[Fact]:
        """The facts with all but one of the words, in their tiers; failing that, all but
        two, and so on: the words not found lower the rank instead of emptying the answer."""
        every = [group for group, _size in known]
        narrowed_page = self._statements(Filters())[0]
        for size in range(len(every) - 1, 0, -1):
            subsets = [list(subset) for subset in combinations(every, size)]
            params = {
                **self._tier_params(self._either([self.match_expression(s) for s in subsets])),
                **self._tier_params(None, subsets),
                "limit": limit,
                "offset": offset,
                **filter_params(Filters()),
            }
            facts = await read_facts(self._session, narrowed_page, params)
            if facts or offset:
                return facts
        return []

    def _window(
        self,
        filters: Filters,
        first: int,
        newest: int,
        known: Sequence[tuple[Sequence[Term], int]],
        tiers: Mapping[str, str],
    ) -> tuple[Select[Any], dict[str, Any]]:
        """The statement of a query whose words are all broad, and the parameters that
        bound its first tiers to the ids from `first` on (`newest` is the newest fact's
        id, `known` the groups of words with how many facts each is in, `tiers` each
        tier's match)."""
        return self._statements(filters)[1], {"floor": first - 1}

    def _tier_params(
        self, narrow: str | None, alternatives: Sequence[Sequence[Sequence[Term]]] = ()
    ) -> dict[str, Any]:
        """The matches of the narrowed statement: `narrow` (when given) and, for each of
        `alternatives` (sets of groups, any of which may match), all of them and the first
        two tiers."""
        params: dict[str, Any] = {}
        if narrow is not None:
            params["narrow"] = narrow
        if alternatives:
            spell = self.match_expression
            params["all"] = self._either([spell(groups) for groups in alternatives])
            params["strong"] = self._either([spell(groups, TIERS[0]) for groups in alternatives])
            params["fair"] = self._either([spell(groups, TIERS[1]) for groups in alternatives])
        return params

    def _either(self, expressions: Sequence[str | None]) -> str:
        """Any of the expressions; one that matches nothing when none is given."""
        present = [f"({expression})" for expression in expressions if expression]
        return self.either.join(present) if present else self.nothing

    async def _counted(
        self, groups: Sequence[Sequence[Term]]
    ) -> tuple[list[tuple[Sequence[Term], int]], int]:
        """The groups with how many facts they are found in (at most: the sum of their
        words' counts), and the newest fact's id. Words the store has never seen are
        left out: of a group, the forms no fact has (each would cost the index a look-up
        for nothing); a group none of whose forms is found ("сколько", a typo), rather
        than emptying the answer."""
        matched = [group for group in groups if self.match_expression([group])]
        counts = await self._word_counts({term.text for group in matched for term in group})
        known: list[tuple[Sequence[Term], int]] = []
        for group in matched:
            found = tuple(term for term in group if counts.facts.get(term.text, 0) > 0)
            if found:
                known.append((found, sum(counts.facts[term.text] for term in found)))
        return known, counts.newest

    async def _word_counts(self, words: Iterable[str]) -> WordCounts:
        """The counts of `words`: those this process read within `COUNTS_TTL`, the
        rest in one statement (with the newest fact's id)."""
        store = store_of(self._session)
        now = time.monotonic()
        known = _WORD_COUNTS.get(store)
        if known is None or now - known.read_at >= COUNTS_TTL or len(known.facts) > COUNTS_WORDS:
            known = _WORD_COUNTS[store] = WordCounts(now)
            while len(_WORD_COUNTS) > COUNTS_STORES:
                _WORD_COUNTS.popitem(last=False)
        missing = sorted(word for word in words if word not in known.facts)
        if not missing and known.newest < 0:
            known.newest = int(await self._session.scalar(_NEWEST) or 0)
        elif missing:
            rows = (await self._session.execute(_COUNTS, {"words": missing})).all()
            known.facts.update(dict.fromkeys(missing, 0))
            for word, facts in rows:
                if word:
                    known.facts[word] = int(facts)
                else:
                    known.newest = int(facts or 0)
        return known

    @classmethod
    def _statements(cls, filters: Filters) -> tuple[Select[Any], Select[Any]]:
        """The page statements: some word narrow, every word broad; with the filters
        applied to the matches when the query has any."""
        return FILTERED_STATEMENTS if filters else STATEMENTS

    async def _match_in_memory(self, query: str, language: str) -> list[Fact]:
        facts = facts_of((await self._session.execute(ALL_FACTS)).all())
        return match_facts(facts, query, self._labels, self.gazetteer, language=language)


# ---- statements -----------------------------------------------------------------------
# Each finds its matches as a subquery `hits` and loads the page of facts with their
# documents in the same statement: one round trip, no ORM objects — an inline query
# wants its fifty facts within milliseconds.


def _statements(where: str) -> tuple[Select[Any], Select[Any]]:
    """The two page statements, their matches limited by `where` (a condition on the
    index's rowid: the query's filters, or nothing)."""
    # Some word narrow: every match of the narrow words (`:narrow`) that all the words
    # match (`:all`), with the tiers it is in.
    narrowed_hits = (
        text(
            f"SELECT rowid AS id, "
            f"rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :strong) AS strong, "
            f"rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fair) AS fair "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :narrow "
            f"AND rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :all){where}"
        )
        .columns(column("id", Integer), column("strong", Integer), column("fair", Integer))
        .subquery("hits")
    )
    # Every word broad: each tier's newest matches (`:wanted` of them, enough for the
    # page since each tier contains the one before), the first tiers among the facts
    # added after `:floor`; every fact once, in the first tier it is in. FTS5 honours a
    # lower bound on rowid when it walks upwards, not when it walks down, so those
    # windows are read upwards and sorted (`id + 0` keeps the sort out of the virtual
    # table); the last tier has no bound and walks down, stopping at the page.
    recent_tier = (
        "SELECT id, {tier} AS tier FROM (SELECT id FROM (SELECT rowid AS id FROM "
        f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH :tier{{tier}} AND rowid > :floor{where}) "
        "ORDER BY id + 0 DESC LIMIT :wanted)"
    )
    last_tier = (
        "SELECT id, {tier} AS tier FROM (SELECT rowid AS id FROM "
        f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH :tier{{tier}}{where} "
        "ORDER BY rowid DESC LIMIT :wanted)"
    )
    # The page is cut here, so that only its rows are joined to their facts and documents.
    tiered_hits = (
        text(
            "SELECT id, min(tier) AS tier FROM ("
            + " UNION ALL ".join(
                (last_tier if within is None else recent_tier).format(tier=tier)
                for tier, within in enumerate(TIERS, start=1)
            )
            + ") GROUP BY id ORDER BY tier, id DESC LIMIT :limit OFFSET :offset"
        )
        .columns(column("id", Integer), column("tier", Integer))
        .subquery("hits")
    )
    return (
        page(
            narrowed_hits,
            narrowed_hits.c.strong.desc(),
            narrowed_hits.c.fair.desc(),
            *NEWEST_DOCUMENT_FIRST,
        ),
        page(tiered_hits, tiered_hits.c.tier, tiered_hits.c.id.desc(), cut=False),
    )


STATEMENTS = _statements("")
FILTERED_STATEMENTS = _statements(" AND " + filtered(f"{FTS_TABLE}.rowid"))
