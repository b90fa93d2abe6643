"""The query layer: what the handlers ask of the store, shaped for the renderers.

Facts come from the repositories newest document first. Here they are grouped
by subject and, within a subject, by indicator into timelines: the figures of the
newest document lead and older documents follow, each with its own source, so
a newer figure never silently replaces an older one.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Fact, Source, Topic
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
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

# Entity keys go into callback data as they are; anything else is hashed.
_PLAIN_KEY = re.compile(r"[a-z0-9_]{1,32}")  # within keyboards.MAX_KEY


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


def _subject(key: str, facts: list[Fact]) -> SubjectFacts:
    by_indicator: dict[tuple[str, str, str, str], list[Fact]] = {}
    for fact in facts:
        by_indicator.setdefault(indicator_key(fact), []).append(fact)
    timelines = []
    for group in by_indicator.values():
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
    first = facts[0]
    return SubjectFacts(key, first.entity_key, first.subject, tuple(timelines))


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
        found = _HEADLINES.get(key)
        if found is None:
            found = _HEADLINES[key] = await self._headlines(topics, per_topic)
            while len(_HEADLINES) > HEADLINE_CACHE_SIZE:
                _HEADLINES.popitem(last=False)
        _HEADLINES.move_to_end(key)
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
        if _PLAIN_KEY.fullmatch(key):
            facts = await self._facts.list(entity_key=key)
        else:
            facts = [f for f in await self._facts.list() if subject_key(f) == key]
        groups = group_by_subject(facts)
        return groups[0] if groups else None

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
