"""Kazakh case endings for figures: "2 300-ден астам", "800-ге жуық", "15%-дан астам".

A Kazakh postposition governs a case, and the case's ending follows the sound of the
last word spoken: the figure's number as read aloud ("2 300": екі мың үш жүз → жүз), or
the unit symbol after it (₸ → теңге). The words are read from `data/vocab/kazakh_reading.toml`;
the rules of sound here are the language's (vowel harmony; voiced, voiceless and nasal
endings). Which case a qualifier takes is the translator's choice: the catalogs' Kazakh
texts name `{value_from}` (ablative) or `{value_to}` (dative).
"""

from __future__ import annotations

import re
from functools import cache

from bot.pipeline.vocabulary import entry

BACK_VOWELS = frozenset("аоұыя")
FRONT_VOWELS = frozenset("әеөүіиэю")
# Endings after a voiceless consonant start with т/қ-к; after м, н, ң with н (ablative);
# after a vowel or any other voiced sound with д (ablative), ғ-г (dative). A final
# voiced stop is spoken voiceless.
VOICELESS = frozenset("кқпстфхцчшщбвгд")
NASAL = frozenset("мнң")
# The number at the end of a figure's text: digits with group separators and a
# decimal comma ("2 300", "1,6").
_TRAILING_NUMBER = re.compile(r"(\d[\d\s\u00a0\u202f]*)(?:[.,](\d+))?$")


@cache
def _reading() -> dict[str, object]:
    return dict(entry("kazakh_reading"))


def spoken_number_end(digits: str) -> str:
    """The last word of an integer read aloud: "2300" → "жүз", "15" → "бес"."""
    digits = digits.lstrip("0")
    if not digits:
        return str(_reading()["zero"])
    position = len(digits) - len(digits.rstrip("0"))
    digit = digits[len(digits) - 1 - position]
    if position == 0:
        return str(entry("kazakh_reading", "digits", digit))
    if position == 1:
        return str(entry("kazakh_reading", "tens", digit))
    powers = {int(key): str(word) for key, word in entry("kazakh_reading", "powers").items()}
    return powers[max(power for power in powers if power <= position)]


def spoken_end(text: str) -> str:
    """The last word spoken when `text` (a formatted figure) is read aloud."""
    text = text.strip()
    number = _TRAILING_NUMBER.search(text)
    if number:
        whole, fraction = number.groups()
        return spoken_number_end(fraction or re.sub(r"\D", "", whole))
    symbols: dict[str, str] = dict(entry("kazakh_reading", "symbols"))
    for symbol in sorted(symbols, key=len, reverse=True):
        if text.endswith(symbol):
            return symbols[symbol]
    words = text.split()
    return words[-1].lower() if words else text


def _harmony(word: str) -> str:
    """ "back" or "front": the kind of the word's last vowel."""
    for letter in reversed(word.lower()):
        if letter in BACK_VOWELS:
            return "back"
        if letter in FRONT_VOWELS:
            return "front"
    return "front"


def ablative_ending(word: str) -> str:
    """-дан/-ден, -тан/-тен, -нан/-нен."""
    last = word.lower()[-1:]
    first = "т" if last in VOICELESS else "н" if last in NASAL else "д"
    return first + ("а" if _harmony(word) == "back" else "е") + "н"


def dative_ending(word: str) -> str:
    """-ға/-ге, -қа/-ке."""
    last = word.lower()[-1:]
    back = _harmony(word) == "back"
    if last in VOICELESS:
        return "қа" if back else "ке"
    return "ға" if back else "ге"


def _attach(text: str, ending: str) -> str:
    # A figure, symbol or abbreviation takes its ending after a hyphen; a word spoken
    # as written, directly.
    words = text.split()
    last = words[-1] if words else text
    if last.lower() == spoken_end(text) and last not in entry("kazakh_reading", "symbols"):
        return f"{text}{ending}"
    return f"{text}-{ending}"


def ablative(text: str) -> str:
    """The figure in the ablative: "2 300" → "2 300-ден", "15%" → "15%-дан"."""
    return _attach(text, ablative_ending(spoken_end(text)))


def dative(text: str) -> str:
    """The figure in the dative: "800" → "800-ге", "1,6 трлн ₸" → "1,6 трлн ₸-ге"."""
    return _attach(text, dative_ending(spoken_end(text)))
