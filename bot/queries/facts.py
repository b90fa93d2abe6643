"""The query layer: what the handlers ask of the store, shaped for the renderers.

Facts come from the repositories newest document first. Here they are grouped
by subject and, within a subject, by indicator into timelines: the figures of the
newest document lead and older documents follow, each with its own source, so
a newer figure never silently replaces an older one. A subject's card groups its
figures by year first, and a town's or district's card takes in the figures of what
is located there.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Fact, Source, Status, Topic
from bot.pipeline.gazetteer import PLACE_KINDS, Entity, Gazetteer, load_gazetteer
from bot.pipeline.morph import fold, tokens
from bot.pipeline.search_terms import Filters, corrected_name, name_words, parse_query, passes
from bot.storage.engine import store_of
from bot.storage.fulltext import SearchPage
from bot.storage.repositories import DocumentRepository, FactRepository

# How long a process trusts the store's version it last read (see FactQueries.version).
VERSION_TTL = 1.0
_VERSIONS: dict[str, tuple[float, str]] = {}

# Headlines per store version, topics and count: an empty inline query reads the store
# once per ingest, not once per keystroke.
_HEADLINES: OrderedDict[tuple[str, tuple[Topic, ...], int], list[Fact]] = OrderedDict()
HEADLINE_CACHE_SIZE = 32
# The headlines look through the newest documents a window at a time, each window
# larger than the last, and no further than this many documents.
HEADLINE_WINDOW = 16
HEADLINE_DOCUMENTS = 2_048

# Cards per store version and key: an inline query that names a subject reads its card
# once per ingest, not once per keystroke.
_CARDS: OrderedDict[tuple[str, str], Card | None] = OrderedDict()
CARD_CACHE_SIZE = 64

# Entity keys go into callback data as they are; anything else is hashed.
_PLAIN_KEY = re.compile(r"[a-z0-9_]{1,32}")  # within keyboards.MAX_KEY
# Years offered as filters under an answer, newest first.
YEAR_CHOICES = 4


@dataclass(frozen=True, slots=True)
class Timeline:
    """One indicator (metric, object measured, rate, unit) of one subject over time."""

    metric: str
    current: tuple[Fact, ...]  # the newest document's figures, in text order
    earlier: tuple[Fact, ...]  # older documents' figures, newest first
    object: str | None = None
    per: str | None = None

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self.current + self.earlier


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """Everything one answer shows about one subject."""

    key: str  # short and stable, fit for callback data
    entity_key: str | None
    subject: str  # the subject text of its newest fact
    timelines: tuple[Timeline, ...]

    @property
    def facts(self) -> tuple[Fact, ...]:
        return tuple(fact for timeline in self.timelines for fact in timeline.facts)

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(dict.fromkeys(fact.topic for fact in self.facts))


@dataclass(frozen=True, slots=True)
class SubjectRef:
    key: str
    entity_key: str | None
    subject: str


@dataclass(frozen=True, slots=True)
class SourceSummary:
    source: Source
    facts: int


def subject_key(fact: Fact) -> str:
    """The key that groups a fact with others about the same subject."""
    if fact.entity_key and _PLAIN_KEY.fullmatch(fact.entity_key):
        return fact.entity_key
    text = fact.entity_key or " ".join(fact.subject.casefold().split())
    return "~" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def group_by_subject(facts: Iterable[Fact]) -> list[SubjectFacts]:
    """Facts (newest document first) grouped by subject, then by indicator into timelines."""
    by_subject: dict[str, list[Fact]] = {}
    for fact in facts:
        by_subject.setdefault(subject_key(fact), []).append(fact)
    return [_subject(key, group) for key, group in by_subject.items()]


def indicator_key(fact: Fact) -> tuple[str, str, str, str]:
    """Figures with the same key measure the same thing: one timeline."""
    measured = " ".join((fact.object or "").casefold().split())
    return (fact.metric, measured, fact.per or "", fact.unit)


def timelines_of(facts: Iterable[Fact]) -> tuple[Timeline, ...]:
    """Facts (newest document first) as timelines, one per subject and indicator: the
    subjects in the order of their newest figures, and so each subject's indicators."""
    by_indicator: dict[tuple[str, tuple[str, str, str, str]], list[Fact]] = {}
    for fact in facts:
        by_indicator.setdefault((subject_key(fact), indicator_key(fact)), []).append(fact)
    subjects = list(dict.fromkeys(subject for subject, _indicator in by_indicator))
    order = sorted(by_indicator, key=lambda found: subjects.index(found[0]))
    timelines = []
    for group in (by_indicator[found] for found in order):
        lead = group[0].source.id
        timelines.append(
            Timeline(
                metric=group[0].metric,
                current=tuple(f for f in group if f.source.id == lead),
                earlier=tuple(f for f in group if f.source.id != lead),
                object=group[0].object,
                per=group[0].per,
            )
        )
    return tuple(timelines)


def _subject(key: str, facts: list[Fact]) -> SubjectFacts:
    first = facts[0]
    return SubjectFacts(key, first.entity_key, first.subject, timelines_of(facts))


# ---- cards: by year, with filters -----------------------------------------------


def fact_year(fact: Fact) -> int | None:
    """The year a figure belongs under: the last year of its period (a plan to 2028
    under 2028); None for a figure without a dated period."""
    return (fact.period.sort_year or None) if fact.period is not None else None


def period_years(fact: Fact) -> tuple[int, ...]:
    """Every year the figure's period names ("2025–2027": 2025 and 2027)."""
    if fact.period is None:
        return ()
    return tuple(year for year in (fact.period.year, fact.period.year_to) if year)


@dataclass(frozen=True, slots=True)
class YearSection:
    """A card's figures of one year (None: of no dated period), as timelines."""

    year: int | None
    timelines: tuple[Timeline, ...]


def by_year(facts: Sequence[Fact]) -> list[YearSection]:
    """Facts (newest document first) by year, newest year first and the undated last,
    each year's by subject and indicator."""
    years: dict[int | None, list[Fact]] = {}
    for fact in facts:
        years.setdefault(fact_year(fact), []).append(fact)
    order = sorted(years, key=lambda year: -year if year is not None else 0)
    return [YearSection(year, timelines_of(years[year])) for year in order]


def _same_words(one: str, other: str) -> bool:
    return one.casefold().split() == other.casefold().split()


def is_filter_word(word: str) -> bool:
    """Whether a query word asks for a year or a status ("2024", "план", "жоспар")."""
    filters = parse_query(word).filters
    return bool(filters.years or filters.status)


def narrow(facts: Iterable[Fact], filters: Filters) -> list[Fact]:
    """The facts that meet the filters, in their order."""
    return [fact for fact in facts if passes(fact, filters)]


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The years and statuses an answer may be narrowed to: only those that change what
    it shows, and those already chosen."""

    years: tuple[int, ...] = ()
    statuses: tuple[Status, ...] = ()


# An answer narrowed by nothing, and one that offers nothing to narrow it by.
NO_FILTERS = Filters()
NO_CHOICES = FilterChoices()


def filter_choices(facts: Sequence[Fact], filters: Filters) -> FilterChoices:
    """The years (named by the periods of the figures of the chosen status, newest first,
    `YEAR_CHOICES` at most) and the statuses (of the figures of the chosen year)."""
    base = narrow(facts, Filters(status=filters.status))
    named = sorted({year for fact in base for year in period_years(fact)}, reverse=True)
    years = [
        year
        for year in named
        if year in filters.years or len(narrow(base, Filters((year,)))) < len(base)
    ]
    chosen = [year for year in filters.years if year not in years[:YEAR_CHOICES]]
    kept = sorted([*years[:YEAR_CHOICES], *chosen], reverse=True)
    of_year = narrow(facts, Filters(filters.years))
    present = {fact.status for fact in of_year}
    statuses = [
        status
        for status in Status
        if status == filters.status or (status in present and len(present) > 1)
    ]
    return FilterChoices(tuple(kept), tuple(statuses))


@dataclass(frozen=True, slots=True)
class Card:
    """Everything known about one subject; a town's or district's takes in the figures of
    what is located there."""

    key: str
    entity_key: str | None
    subject: str
    facts: tuple[Fact, ...]  # newest document first
    place: bool = False
    topic: Topic = Topic.OTHER  # an entity's own (none: OTHER), else its newest figure's

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(dict.fromkeys(fact.topic for fact in self.facts))

    @property
    def sections(self) -> list[YearSection]:
        return by_year(self.facts)

    @classmethod
    def of(cls, group: SubjectFacts) -> Card:
        """A subject's figures as a card (timeline order keeps each indicator's newest
        document first, which is all the card's grouping needs)."""
        facts = group.facts
        return cls(group.key, group.entity_key, group.subject, facts, topic=facts[0].topic)

    def narrowed(self, filters: Filters) -> Card:
        return replace(self, facts=tuple(narrow(self.facts, filters)))


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


async def _kept(cache: OrderedDict[K, V], key: K, size: int, make: Callable[[], Awaitable[V]]) -> V:
    """What `cache` (the `size` last used, by store version) holds under `key`, made and
    kept if it holds nothing there."""
    if key not in cache:
        cache[key] = await make()
        while len(cache) > size:
            cache.popitem(last=False)
    cache.move_to_end(key)
    return cache[key]


class FactQueries:
    """Read-only questions about the store, answered with plain dataclasses."""

    def __init__(
        self,
        facts: FactRepository,
        documents: DocumentRepository,
        gazetteer: Gazetteer | None = None,
        *,
        store: str = "",
    ) -> None:
        self._facts = facts
        self._documents = documents
        self._gazetteer = gazetteer
        self._store = store

    @classmethod
    def of(cls, session: AsyncSession) -> FactQueries:
        """The queries over the store a session (the update's, from the middleware) reads."""
        return cls(FactRepository(session), DocumentRepository(session), store=store_of(session))

    async def version(self) -> str:
        """Changes whenever the store's facts change; names the store as well, so
        that answers cached for one store never serve another.

        A named store's version is trusted for `VERSION_TTL` seconds: an ingest shows
        in answers that much later at most, and most updates skip the query.
        """
        known = _VERSIONS.get(self._store) if self._store else None
        now = time.monotonic()
        if known is not None and now - known[0] < VERSION_TTL:
            return known[1]
        version = f"{self._store}|{await self._facts.version()}"
        if self._store:
            _VERSIONS[self._store] = (now, version)
        return version

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    async def topic(self, topic: Topic) -> list[SubjectFacts]:
        """A topic's facts grouped by subject, the subject with the newest figure first."""
        return group_by_subject(await self._facts.list(topic=topic))

    async def headlines(self, topics: Sequence[Topic], per_topic: int) -> list[Fact]:
        """`_headlines`, kept per store version when the store has a name."""
        if not self._store:
            return await self._headlines(topics, per_topic)
        key = (await self.version(), tuple(topics), per_topic)
        found = await _kept(
            _HEADLINES, key, HEADLINE_CACHE_SIZE, lambda: self._headlines(topics, per_topic)
        )
        return list(found)

    async def _headlines(self, topics: Sequence[Topic], per_topic: int) -> list[Fact]:
        """Topic by topic, the newest figure of each of its first `per_topic` subjects:
        the fact each of the first groups of `topic` opens with.

        Only the newest documents are read, a growing window at a time, until every
        topic has its subjects or `HEADLINE_DOCUMENTS` were looked through: the facts
        read follow the answer, not the size of the store. A store with fewer documents
        is read whole, so the figures are exactly those `topic` leads with.
        """
        found: dict[Topic, dict[str, Fact]] = {topic: {} for topic in topics}
        skip, window = 0, HEADLINE_WINDOW
        while skip < HEADLINE_DOCUMENTS:
            wanted = [topic for topic in topics if len(found[topic]) < per_topic]
            if not wanted:
                break
            window = min(window, HEADLINE_DOCUMENTS - skip)
            documents = await self._facts.newest(wanted, documents=window, skip=skip)
            for facts in documents:
                for fact in facts:
                    subjects = found[fact.topic]
                    if len(subjects) < per_topic:
                        subjects.setdefault(subject_key(fact), fact)
            if len(documents) < window:
                break  # no older documents
            skip, window = skip + window, window * 4
        return [fact for topic in topics for fact in found[topic].values()]

    async def subjects(self, topic: Topic) -> list[SubjectRef]:
        """The subjects of a topic, for a button each."""
        return [
            SubjectRef(group.key, group.entity_key, group.subject)
            for group in await self.topic(topic)
        ]

    async def subject(self, key: str) -> SubjectFacts | None:
        """Everything known about one subject, across topics."""
        groups = group_by_subject(await self._subject_facts(key))
        return groups[0] if groups else None

    async def _subject_facts(self, key: str) -> list[Fact]:
        if _PLAIN_KEY.fullmatch(key):
            return await self._facts.list(entity_key=key)
        return [f for f in await self._facts.list() if subject_key(f) == key]

    async def card(self, key: str) -> Card | None:
        """`_card`, kept per store version when the store has a name."""
        if not self._store:
            return await self._card(key)
        return await _kept(
            _CARDS, (await self.version(), key), CARD_CACHE_SIZE, lambda: self._card(key)
        )

    async def _card(self, key: str) -> Card | None:
        """A subject's card: a gazetteer entity's, even without figures (a town's or
        district's with those of what is located there), or a stored subject's (None:
        no such subject)."""
        entity = self.gazetteer.get(key) if _PLAIN_KEY.fullmatch(key) else None
        if entity is None:
            facts = await self._subject_facts(key)
            if not facts:
                return None
            first = facts[0]
            return Card(key, first.entity_key, first.subject, tuple(facts), topic=first.topic)
        place = entity.kind in PLACE_KINDS and entity.kind != "region"
        keys = [key, *(inside.key for inside in self.gazetteer.located_in(key))] if place else [key]
        facts = await self._facts.list(entity_keys=keys)
        return Card(key, key, entity.name_ru, tuple(facts), place, entity.topic or Topic.OTHER)

    async def named_card(self, text: str, found: Sequence[Fact]) -> Card | None:
        """The card `text` asks for, when it has figures: of a gazetteer entity `text`
        names (`named_entity`), or of the subject of the best result `found` when `text`
        is its name as stored."""
        named = self.named_entity(text)
        if named is not None:
            card = await self.card(named[0].key)
        elif found and _same_words(found[0].subject, text):
            card = await self.card(subject_key(found[0]))
        else:
            return None
        return card if card is not None and card.facts else None

    def named_entity(self, text: str) -> tuple[Entity, tuple[str, ...]] | None:
        """The gazetteer entity `text` names as a whole, its words' typos forgiven (a
        word within an edit or two of a name's), with the names it was corrected to; or
        the entity `text` names with a year or a status around it ("Qarmet 2024")."""
        entity = self.gazetteer.named(text)
        if entity is not None:
            return entity, ()
        words = [word for word in text.split() if not is_filter_word(word)]
        if not words:
            return None
        if len(words) < len(text.split()) and (entity := self.gazetteer.named(" ".join(words))):
            return entity, ()
        names = name_words(self.gazetteer)
        written = tokens(" ".join(words))
        corrected = [corrected_name(fold(word), names) for word in written]
        if not any(corrected):
            return None
        entity = self.gazetteer.named(
            " ".join(name or word for word, name in zip(written, corrected, strict=True))
        )
        return (entity, tuple(name for name in corrected if name)) if entity else None

    async def sources(self) -> list[SourceSummary]:
        """The documents, newest first, each with how many facts it states."""
        counts = await self._documents.fact_counts()
        return [
            SourceSummary(source, counts.get(source.id, 0))
            for source in await self._documents.list_sources()
        ]

    async def search(
        self, text: str, limit: int = 50, *, language: str = "ru", offset: int = 0
    ) -> list[Fact]:
        """Facts matching `text`, best first (full-text search with Russian lemmas,
        Kazakh stems, both languages' words, every name of an entity, names forgiven
        a typo, and years, plans and topics as filters)."""
        return (await self.find(text, limit, language=language, offset=offset)).facts

    async def find(
        self, text: str, limit: int = 50, *, language: str = "ru", offset: int = 0
    ) -> SearchPage:
        """`search`, with the names the query was corrected to."""
        return await self._facts.search(text, language=language, limit=limit, offset=offset)

    async def remember_query(self, text: str) -> str:
        return await self._facts.remember_query(text)

    async def recall_query(self, key: str) -> str | None:
        return await self._facts.recall_query(key)
