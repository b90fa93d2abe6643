"""The language of a document and of each sentence: Russian or Kazakh.

Kazakh Cyrillic has nine letters Russian lacks (ә, ғ, қ, ң, ө, ұ, ү, һ, і) and
they are frequent in running text, so their share among the Cyrillic letters
tells a Kazakh document from a Russian one. A sentence is too short for a share
(a Russian sentence may quote "Қарағанды облысы"), so it is weighed by words:
words with Kazakh letters and Kazakh function words against Russian function
words; names (capitalised words inside the sentence, words in quotes) do not
count. The letters, words and threshold are data (`data/vocab/kazakh.toml`).
No statistical detector is used: the choice is between two languages that
differ in their alphabet, and rules keep the bot's memory and start-up small.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot.pipeline.vocabulary import entry, words

RUSSIAN = "ru"
KAZAKH = "kk"
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Names in quotes ("«Қазақстан темір жолы»") say nothing of the sentence's language.
QUOTED = re.compile(r"«[^«»]*»|\"[^\"]*\"|“[^“”]*”")


@cache
def kazakh_letters() -> frozenset[str]:
    return frozenset(str(entry("kazakh", "detect", "letters")))


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def kazakh_share(text: str) -> float:
    """The share of Kazakh-specific letters among the Cyrillic letters of `text`."""
    letters = kazakh_letters()
    cyrillic = special = 0
    for char in text.lower():
        if _is_cyrillic(char):
            cyrillic += 1
            special += char in letters
    return special / cyrillic if cyrillic else 0.0


def document_language(text: str) -> str:
    """ "kk" when the document is written in Kazakh (in Cyrillic or in Latin
    letters), else "ru"."""
    from bot.pipeline.latin import to_cyrillic

    threshold = float(entry("kazakh", "detect", "document_share"))
    return KAZAKH if kazakh_share(to_cyrillic(text)) >= threshold else RUSSIAN


@lru_cache(maxsize=1024)
def sentence_language(text: str) -> str:
    """ "kk" when the sentence reads as Kazakh, else "ru"; a sentence with no
    Cyrillic word keeps Russian, the language most of the sources write in."""
    from bot.pipeline.latin import to_cyrillic

    letters = kazakh_letters()
    kazakh_words = words("kazakh", "detect", "function_words")
    russian_words = words("kazakh", "detect", "russian_words")
    kazakh = russian = 0
    for index, match in enumerate(WORD.finditer(QUOTED.sub(" ", to_cyrillic(text)))):
        if index and match.group()[0].isupper():
            continue  # a name inside the sentence
        word = match.group().lower()
        if any(char in letters for char in word) or word in kazakh_words:
            kazakh += 1
        elif word in russian_words:
            russian += 1
    return KAZAKH if kazakh > russian else RUSSIAN
