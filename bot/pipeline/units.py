"""Unit vocabularies: what a word after a number says the number counts.

The words are data (`data/vocab/units.toml`, Russian and Kazakh side by side);
this module turns them into phrase tables once per process.
"""

from __future__ import annotations

from functools import cache

from bot.pipeline.phrases import PhraseTable
from bot.pipeline.vocabulary import entry, normalise, word_map, words

VOCABULARY = "units"


@cache
def multipliers() -> PhraseTable[int]:
    """ "млн", "мыңнан", "млрд-қа" → the factor."""
    return PhraseTable(
        {p: 10 ** int(power) for p, power in entry(VOCABULARY, "multipliers").items()}
    )


@cache
def currencies() -> PhraseTable[str]:
    return PhraseTable(dict(entry(VOCABULARY, "currencies")))


@cache
def prefix_currencies() -> dict[str, str]:
    return dict(entry(VOCABULARY, "prefix_currencies"))


@cache
def per_words() -> PhraseTable[bool]:
    return PhraseTable({word: True for word in entry(VOCABULARY, "per", "words")})


@cache
def per_units() -> PhraseTable[str]:
    return PhraseTable(
        {p: code for p, code in entry(VOCABULARY, "per", "units").items() if isinstance(code, str)}
    )


@cache
def percent() -> PhraseTable[str]:
    return PhraseTable({p: "percent" for p in entry(VOCABULARY, "percent", "patterns")})


@cache
def times() -> tuple[PhraseTable[bool], PhraseTable[bool], str]:
    """("в 3 раза" words, "3 есе" words, the preposition the first need)."""
    table = entry(VOCABULARY, "times")
    return (
        PhraseTable({p: True for p in table["after_preposition"]}),
        PhraseTable({p: True for p in table["plain"]}),
        normalise(table["preposition"]),
    )


@cache
def symbols() -> PhraseTable[str]:
    return PhraseTable(dict(entry(VOCABULARY, "symbols")))


@cache
def rate_tables() -> tuple[PhraseTable[str], frozenset[str]]:
    """Per-day and per-hour phrases (→ the unit's suffix), and the units they apply to."""
    table = entry(VOCABULARY, "rates")
    phrases = {p: "/day" for p in table["per_day"]} | {p: "/h" for p in table["per_hour"]}
    return PhraseTable(phrases), frozenset(table["units"])


@cache
def per_area() -> PhraseTable[bool]:
    return PhraseTable({p: True for p in entry(VOCABULARY, "rates", "per_area")})


@cache
def russian_nouns() -> dict[str, str]:
    """Counted nouns (lemmas) → unit."""
    return word_map(VOCABULARY, "nouns", "ru")


@cache
def russian_noun_phrases() -> dict[tuple[str, str], tuple[str, str]]:
    """(adjective lemma, noun lemma) → (unit, the phrase): "рабочее место", "грузовая машина"."""
    found = {}
    for phrase, (unit, label) in word_map(VOCABULARY, "nouns", "ru_phrases").items():
        adjective, noun = phrase.split(" ", 1)
        found[(adjective, noun)] = (unit, label)
    return found


@cache
def kazakh_nouns() -> PhraseTable[str]:
    return PhraseTable(dict(entry(VOCABULARY, "nouns", "kk")))


@cache
def kazakh_stop_words() -> frozenset[str]:
    """Words that end a Kazakh number's phrase before its noun."""
    return words(VOCABULARY, "nouns", "kk_stop", "words")


@cache
def time_lemmas() -> frozenset[str]:
    """Russian nouns of time: a number before them is a duration or a date."""
    return words(VOCABULARY, "time", "ru", "lemmas")


@cache
def kazakh_time() -> PhraseTable[bool]:
    return PhraseTable({p: True for p in entry(VOCABULARY, "time", "kk", "patterns")})


@cache
def people_lemmas() -> frozenset[str]:
    return words(VOCABULARY, "people", "ru")


@cache
def kazakh_people() -> PhraseTable[bool]:
    return PhraseTable({p: True for p in entry(VOCABULARY, "people", "kk")})


@cache
def job_context_lemmas() -> frozenset[str]:
    return words(VOCABULARY, "job_context", "ru")


@cache
def kazakh_job_context() -> PhraseTable[bool]:
    return PhraseTable({p: True for p in entry(VOCABULARY, "job_context", "kk")})
