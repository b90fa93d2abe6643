"""A simple fact search: names through the gazetteer, other words by lemma.

"Сарани", "Саран" and "Saran" all name the same zone in the gazetteer, so a
query that names an entity finds the facts about it; every other word of the
query must appear (as a lemma, or as the start of a word) in the fact's subject,
quote or metric label. Behind `FactQueries.search`, so a full-text search can
replace it without touching the handlers.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain import Fact
from bot.gazetteer import Gazetteer
from bot.pipeline.morph import fold, lemma, lemmatize, tokens
from bot.render.labels import metric_labels_everywhere

STOP_WORDS = frozenset(
    {
        "и", "в", "во", "на", "по", "о", "об", "с", "со", "за", "до", "для", "к", "от", "из",
        "как", "что", "сколько", "какой", "где", "когда", "про", "ли",
        "және", "мен", "бен", "пен", "қанша", "қандай",
        "the", "of", "in", "and", "how", "much", "many",
    }
)  # fmt: skip
PREFIX_MIN = 4


def query_terms(text: str, gazetteer: Gazetteer) -> tuple[set[str], list[str]]:
    """The entity keys a query names and the lemmas of its other words."""
    words = tokens(text)
    mentions = gazetteer.find_in(text)
    covered = {i for m in mentions for i in range(m.start_token, m.end_token)}
    lemmas = [
        lemma(word)
        for i, word in enumerate(words)
        if i not in covered and len(word) > 1 and fold(word) not in STOP_WORDS
    ]
    named = {key for m in mentions for key in _related(m.entity.key, gazetteer)}
    return named, [w for w in lemmas if w not in STOP_WORDS]


def _related(key: str, gazetteer: Gazetteer) -> set[str]:
    """The entity and those named after it: the town of Saran brings the Saran
    industrial zone along, since one of the zone's names contains the town's."""
    entity = gazetteer.get(key)
    if entity is None:
        return {key}
    names = [tuple(lemmatize(name)) for name in entity.all_names]
    related = {key}
    for other in gazetteer:
        for other_name in other.all_names:
            lemmas = tuple(lemmatize(other_name))
            if any(_contains(lemmas, name) for name in names if name):
                related.add(other.key)
                break
    return related


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def match_facts(facts: Iterable[Fact], text: str, gazetteer: Gazetteer) -> list[Fact]:
    """The facts matching the query, in the order given (newest first)."""
    entities, words = query_terms(text, gazetteer)
    if not entities and not words:
        return []
    found = []
    for fact in facts:
        if entities and not entities & _entities_of(fact, gazetteer):
            continue
        if words and not _has_words(_lemmas_of(fact), words):
            continue
        found.append(fact)
    return found


def _entities_of(fact: Fact, gazetteer: Gazetteer) -> set[str]:
    keys = {m.entity.key for m in gazetteer.find_in(f"{fact.subject}. {fact.quote}")}
    if fact.entity_key:
        keys.add(fact.entity_key)
    return keys


def _lemmas_of(fact: Fact) -> set[str]:
    text = " ".join((fact.subject, fact.quote, *metric_labels_everywhere(fact.metric)))
    return {lemma(word) for word in tokens(text)}


def _has_words(lemmas: set[str], words: list[str]) -> bool:
    return all(
        word in lemmas
        or (len(word) >= PREFIX_MIN and any(known.startswith(word) for known in lemmas))
        for word in words
    )
