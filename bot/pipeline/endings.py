"""Kazakh inflection: the stems a word may have once its endings are taken off.

Kazakh adds case, number and possessive endings one after another to an unchanged
stem ("облыс-ы-ның", "Қарағанды-да", "жоба-лар-ы"), so a stem is found by taking off
endings from the end, in any order the ending list allows. The endings are data
(`data/vocab/kazakh.toml`, table `endings`).
"""

from __future__ import annotations

from functools import cache, lru_cache

from bot.pipeline.vocabulary import entry, normalise

MIN_STEM = 2  # a stem keeps at least two letters
MAX_ENDINGS = 4  # the longest chain news Kazakh puts on a noun


@cache
def endings() -> tuple[str, ...]:
    table = entry("kazakh", "endings")
    found = {normalise(ending) for group in table.values() for ending in group}
    return tuple(sorted(found, key=len, reverse=True))


@lru_cache(maxsize=100_000)
def is_ending_chain(tail: str) -> bool:
    """`tail` is empty or a sequence of at most four endings ("ының", "лардағы")."""
    return _chain(normalise(tail), MAX_ENDINGS)


def _chain(tail: str, budget: int) -> bool:
    if not tail:
        return True
    if budget == 0:
        return False
    return any(
        tail.startswith(ending) and _chain(tail[len(ending) :], budget - 1) for ending in endings()
    )


@lru_cache(maxsize=100_000)
def stems(word: str) -> frozenset[str]:
    """Every reading of `word` as stem + endings, the word itself included:
    "қарағандыда" → {"қарағандыда", "қарағандыд", "қарағанды", …}."""
    folded = normalise(word)
    found = {folded}
    frontier = {(folded, 0)}
    while frontier:
        current, depth = frontier.pop()
        if depth == MAX_ENDINGS:
            continue
        for ending in endings():
            if current.endswith(ending) and len(current) - len(ending) >= MIN_STEM:
                stem = current[: -len(ending)]
                if stem not in found:
                    found.add(stem)
                    frontier.add((stem, depth + 1))
    return frozenset(found)
