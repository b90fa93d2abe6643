"""The measure taxonomy of `data/vocab/measures.toml`: keys, topics and labels.

Every metric key a fact can carry is a table of that file, with its Russian and
Kazakh label; renderers name a figure's indicator from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.pipeline.vocabulary import vocabulary

LANGUAGES = ("ru", "kk")


def measure_rows() -> Mapping[str, Mapping[str, Any]]:
    """Each measure's table by its key (word lists that are no measure left out)."""
    return {
        key: row
        for key, row in vocabulary("measures").items()
        if isinstance(row, Mapping) and "label_ru" in row
    }


def measure_label(key: str, language: str) -> str | None:
    """The measure's name in "ru" or "kk", or None for a key the file does not have."""
    row = measure_rows().get(key)
    if row is None:
        return None
    label = row.get(f"label_{language}") or row.get("label_ru")
    return str(label) if label else None


def repeats_measure(key: str, phrase: str) -> bool:
    """Whether the object phrase only names again what the measure counts ("участники"
    of the participants, "проекты" of the projects): a word of it is one of the measure's
    trigger words, as a Russian lemma or a Kazakh stem."""
    from bot.pipeline.morph import lemmas_of, tokens

    row = measure_rows().get(key)
    if row is None:
        return False
    russian = frozenset(row.get("ru", ()))
    kazakh = tuple(row.get("kk", ()))
    for word in tokens(phrase.lower()):
        if lemmas_of(word) & russian or any(word.startswith(stem) for stem in kazakh):
            return True
    return False
