"""Word lists of the classifier in both languages, and Kazakh words read through them.

A list entry in `measures`, `topics` or `modality` has Russian lemmas (`ru`) and
Kazakh stems (`kk`). Russian words are lemmatised by pymorphy3; a Kazakh word, whose
endings pile up after the stem ("инвестициялық", "жобаларды"), reads as the longest
known stem it begins with, so one set holds both and the logic that tests a sentence's
words against it does not care which language it is in. A Kazakh word that no list
knows is read as a verb when its ending says a tense ("-ады" future, "-ды" past).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bot.pipeline.vocabulary import entry, normalise, vocabulary, words

# Letters Russian does not have: a sentence with them is Kazakh.
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
KAZAKH_SHARE = 0.02
KAZAKH_LETTER = re.compile("[" + "".join(sorted(KAZAKH_LETTERS)) + "]", re.IGNORECASE)
# The vocabularies whose lists carry Kazakh stems.
BILINGUAL = ("measures", "topics", "modality")


def is_kazakh(text: str) -> bool:
    """At least one letter in fifty is one only Kazakh has, as the dev set's rule reads."""
    if not KAZAKH_LETTER.search(text):
        return False
    letters = [
        ch for ch in text.lower() if (ch.isalpha() and "а" <= ch <= "я") or ch in KAZAKH_LETTERS
    ]
    if not letters:
        return False
    special = sum(1 for ch in letters if ch in KAZAKH_LETTERS)
    return special >= 1 and special / len(letters) >= KAZAKH_SHARE


def terms(name: str, *keys: str) -> frozenset[str]:
    """The Russian lemmas and Kazakh stems of a list entry, as one set."""
    node = entry(name, *keys)
    result = words(name, *keys, "ru") if "ru" in node else frozenset()
    if "kk" in node:
        result |= words(name, *keys, "kk")
    return result


def plain(name: str, *keys: str) -> frozenset[str]:
    """A plain word list (no language split)."""
    return words(name, *keys)


@cache
def kazakh_stems() -> tuple[tuple[str, ...], frozenset[int]]:
    """Every Kazakh stem of the bilingual lists, longest first, and their lengths in words."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "kk" or key.startswith("kk_"):
                    found.update(normalise(item) for item in value if isinstance(item, str))
                else:
                    walk(value)

    for name in BILINGUAL:
        walk(dict(vocabulary(name)))
    stems = tuple(sorted(found, key=len, reverse=True))
    return stems, frozenset(len(stem.split()) for stem in stems)


# A stem's last voiceless consonant turns voiced before a vowel: "жүк" → "жүгі",
# "кітап" → "кітабы", "салық" → "салығы".
VOICED = {"к": "г", "қ": "ғ", "п": "б"}


@cache
def _by_first_letters() -> dict[str, tuple[tuple[str, str], ...]]:
    """(written form, stem) pairs by their first two letters, longest form first."""
    forms: list[tuple[str, str]] = []
    for stem in kazakh_stems()[0]:
        forms.append((stem, stem))
        if stem[-1] in VOICED:
            forms.append((stem[:-1] + VOICED[stem[-1]], stem))
    forms.sort(key=lambda pair: len(pair[0]), reverse=True)
    index: dict[str, list[tuple[str, str]]] = {}
    for form, stem in forms:
        index.setdefault(form[:2], []).append((form, stem))
    return {key: tuple(value) for key, value in index.items()}


def kazakh_stem(phrase: str) -> str | None:
    """The longest known stem the (lowercase) phrase begins with, in either form."""
    for form, stem in _by_first_letters().get(phrase[:2], ()):
        if phrase.startswith(form):
            return stem
    return None


@cache
def _tense_endings() -> tuple[tuple[str, str], ...]:
    table = entry("modality", "kk_tense")
    pairs = [
        (normalise(ending), grammeme)
        for key, grammeme in (("future", "futr"), ("past", "past"), ("present", "pres"))
        for ending in table[key]
        if " " not in ending
    ]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


@cache
def _not_verbs() -> frozenset[str]:
    return plain("modality", "kk_tense", "not_verbs")


def kazakh_tense(word: str) -> str | None:
    """ "futr", "past" or "pres" for a Kazakh verb form, by its ending."""
    if len(word) < 4 or word in _not_verbs():
        return None
    for ending, grammeme in _tense_endings():
        if word.endswith(ending):
            return grammeme
    return None


KAZAKH_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
