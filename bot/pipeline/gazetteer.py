"""Hand-kept reference data about named things, and finding them in text by lemma."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot import DATA_DIR
from bot.domain import Topic
from bot.pipeline.morph import fold, lemmas_of, lemmatize, tokens

GAZETTEER_PATH = DATA_DIR / "gazetteer.toml"
# Kinds of entity that other entities are located in (`place`).
PLACE_KINDS = frozenset({"region", "district", "town"})


@dataclass(frozen=True, slots=True)
class Entity:
    key: str
    kind: str
    name_ru: str
    name_kk: str
    aliases: tuple[str, ...] = ()
    topic: Topic | None = None
    place: str | None = None  # the key of the town or district it is located in

    def name(self, language: str) -> str:
        return self.name_kk if language == "kk" else self.name_ru

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name_ru, self.name_kk, *self.aliases)


@dataclass(frozen=True, slots=True)
class Mention:
    entity: Entity
    start_token: int
    end_token: int  # exclusive


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    # first lemma → [(lemma sequence, entity)], longest first
    _index: dict[str, list[tuple[tuple[str, ...], Entity]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[tuple[str, ...], Entity]]] = defaultdict(list)
        for entity in self.entities.values():
            seen: set[tuple[str, ...]] = set()
            for name in entity.all_names:
                # by lemma (Russian case forms) and as written (Kazakh names, whose
                # case forms reach the stem through their endings)
                for lemmas in (tuple(lemmatize(name)), tuple(fold(t) for t in tokens(name))):
                    if lemmas and lemmas not in seen:
                        seen.add(lemmas)
                        index[lemmas[0]].append((lemmas, entity))
        for candidates in index.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self._index = dict(index)

    def get(self, key: str | None) -> Entity | None:
        return self.entities.get(key) if key else None

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities.values())

    def located_in(self, key: str) -> list[Entity]:
        """The entities located in the place `key`, and those located in them."""
        found: list[Entity] = []
        places = {key}
        while True:
            more = [
                entity
                for entity in self.entities.values()
                if entity.place in places and entity not in found and entity.key != key
            ]
            if not more:
                return found
            found.extend(more)
            places.update(entity.key for entity in more)

    def named(self, text: str) -> Entity | None:
        """The entity `text` is a name of, as a whole ("Теміртау", "Qarmet"); None when
        it names none, or only in part."""
        words = tokens(text)
        mentions = self.find_in(text)
        if len(mentions) == 1 and (mentions[0].start_token, mentions[0].end_token) == (
            0,
            len(words),
        ):
            return mentions[0].entity
        return None

    def find(self, lemma_sets: Sequence[frozenset[str]]) -> list[Mention]:
        """Non-overlapping mentions, longest first, in a text given as the possible
        lemmas of each token (a form like "парке" may be "парк" or "парка")."""
        mentions = []
        i = 0
        while i < len(lemma_sets):
            match = self._match_at(lemma_sets, i)
            if match is None:
                i += 1
                continue
            length, entity = match
            mentions.append(Mention(entity, i, i + length))
            i += length
        return mentions

    def find_in(self, text: str) -> list[Mention]:
        return self.find([lemmas_of(token) for token in tokens(text)])

    def _match_at(self, lemma_sets: Sequence[frozenset[str]], i: int) -> tuple[int, Entity] | None:
        best: tuple[int, Entity] | None = None
        for first in lemma_sets[i]:
            for candidate, entity in self._index.get(first, ()):
                n = len(candidate)
                if best is not None and n <= best[0]:
                    break
                window = lemma_sets[i : i + n]
                if len(window) == n and all(
                    want in have for want, have in zip(candidate, window, strict=True)
                ):
                    best = (n, entity)
                    break
        return best


def parse_gazetteer(path: Path) -> Gazetteer:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    entities = {}
    for item in raw.get("entity", []):
        entity = Entity(
            key=item["key"],
            kind=item["kind"],
            name_ru=item["name_ru"],
            name_kk=item["name_kk"],
            aliases=tuple(item.get("aliases", ())),
            topic=Topic(item["topic"]) if item.get("topic") else None,
            place=item.get("place"),
        )
        if entity.key in entities:
            raise ValueError(f"{path.name}: duplicate entity key {entity.key}")
        entities[entity.key] = entity
    for entity in entities.values():
        place = entities.get(entity.place) if entity.place else None
        if entity.place and (place is None or place.kind not in PLACE_KINDS):
            raise ValueError(f"{path.name}: {entity.key} is placed in {entity.place}, no place")
    return Gazetteer(entities)


@cache
def load_gazetteer(path: Path = GAZETTEER_PATH) -> Gazetteer:
    return parse_gazetteer(path)
