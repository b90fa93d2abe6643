"""Every msgid in the code has a Russian and a Kazakh translation, and the compiled
catalogs are current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot import LOCALES_DIR, PROJECT_ROOT

KEYWORDS = {
    "_": None,
    "gettext": None,
    "lazy_gettext": None,
    "__": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}
SOURCE_DIRS = ("bot", "handlers")
PLURAL_FORMS = {"ru": 3, "kk": 2}


def extracted() -> dict[str, tuple[str, str | None, str]]:
    """msgid → (msgid, plural or None, where it was found)."""
    found: dict[str, tuple[str, str | None, str]] = {}
    for folder in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            PROJECT_ROOT / folder, keywords=KEYWORDS, comment_tags=()
        ):
            singular, plural = message if isinstance(message, tuple) else (message, None)
            if singular:
                found.setdefault(singular, (singular, plural, f"{folder}/{filename}:{lineno}"))
    return found


def load_catalog(language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def test_the_code_has_messages() -> None:
    assert len(extracted()) > 50


@pytest.mark.parametrize("language", sorted(PLURAL_FORMS))
def test_every_msgid_is_translated(language: str) -> None:
    catalog = load_catalog(language)
    problems = []
    for singular, plural, where in extracted().values():
        message = catalog.get(singular)
        if message is None:
            problems.append(f"missing: {singular!r} ({where})")
            continue
        if plural is not None:
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            if not message.pluralizable:
                problems.append(f"not a plural entry: {singular!r} ({where})")
            elif len(forms) != PLURAL_FORMS[language] or not all(forms):
                problems.append(f"plural forms incomplete: {singular!r} ({where})")
        elif not message.string:
            problems.append(f"empty translation: {singular!r} ({where})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", sorted(PLURAL_FORMS))
def test_catalog_declares_its_plural_forms(language: str) -> None:
    assert load_catalog(language).num_plurals == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", sorted(PLURAL_FORMS))
def test_compiled_catalog_is_current(language: str) -> None:
    mo = Path(LOCALES_DIR / language / "LC_MESSAGES" / "messages.mo")
    assert mo.exists(), f"run `make catalogs`: {mo} is missing"
    with mo.open("rb") as file:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(file) if m.id}
    source = {_key(m.id): _key(m.string) for m in load_catalog(language) if m.id and not m.fuzzy}
    assert compiled == source, f"run `make catalogs`: {mo} is stale"


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


# Russian and Kazakh may share a text only when it holds no word of either language:
# placeholders, symbols and unit abbreviations ("км", "МВт", "{date}, {time}"), or a
# term Kazakh uses as it is.
SHARED_TERMS: set[str | tuple[str, str]] = {
    "Digest",  # "Дайджест": the feature's name, used as is in Kazakh
    # words Kazakh has as Russian has them: "7 527 абонент", "35 вагон"
    ("{number} subscriber", "{number} subscribers"),
    ("{number} wagon", "{number} wagons"),
}
ABBREVIATION = 4  # letters: "т", "кг", "МВт", "Гкал"


def _holds_words(text: str) -> bool:
    without_placeholders = re.sub(r"\{[^}]*\}", " ", text)
    return any(len(word) > ABBREVIATION for word in re.findall(r"[^\W\d_]+", without_placeholders))


def test_no_kazakh_text_is_empty_or_the_russian_one() -> None:
    russian, kazakh = load_catalog("ru"), load_catalog("kk")
    problems = []
    for message in kazakh:
        if not message.id or message.id in SHARED_TERMS:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"empty: {message.id!r}")
            continue
        other = russian.get(message.id)
        if other is None:
            continue
        others = other.string if isinstance(other.string, tuple) else (other.string,)
        if set(strings) & set(others) and any(_holds_words(s) for s in strings):
            problems.append(f"the Russian text in Kazakh: {message.id!r} → {strings!r}")
    assert not problems, "\n".join(problems)


def test_the_check_tells_words_from_symbols() -> None:
    assert _holds_words("График")
    assert not _holds_words("МВт")
    assert not _holds_words("{date}, {time}")
