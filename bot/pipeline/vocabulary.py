"""Hand-kept language knowledge, read from TOML files under `data/vocab/`.

Every word list the pipeline uses (units, multipliers, period words, measures,
modality words, topic words, bilingual equivalents) is a table in one of these
files; code holds only the logic that reads them. One file is one vocabulary,
named by its stem (`data/vocab/units.toml` is `vocabulary("units")`).

The format is plain TOML. A table's keys are the file's sections; values are
strings, lists of strings, numbers or nested tables, as each consumer documents
at the top of its file. Every file starts with a comment that says what it holds
and how a line is added. Words are written as they appear in running text or as
lemmas, as the file's comment says; `words()` folds ё to е and lowercases them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bot import DATA_DIR

VOCAB_DIR = DATA_DIR / "vocab"


class VocabularyError(ValueError):
    """A vocabulary file is missing or does not have the shape its reader expects."""


def vocabulary_path(name: str) -> Path:
    return VOCAB_DIR / f"{name}.toml"


@cache
def vocabulary(name: str) -> Mapping[str, Any]:
    """The parsed file `data/vocab/<name>.toml`; read once per process."""
    path = vocabulary_path(name)
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise VocabularyError(f"vocabulary file {path} is missing") from error
    except tomllib.TOMLDecodeError as error:
        raise VocabularyError(f"vocabulary file {path} is not valid TOML: {error}") from error


def entry(name: str, *keys: str) -> Any:
    """The value at `keys` inside vocabulary `name` (a table path such as "status", "plan")."""
    node: Any = vocabulary(name)
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            raise VocabularyError(f"vocabulary {name!r} has no entry {'.'.join(keys)!r}")
        node = node[key]
    return node


def normalise(word: str) -> str:
    return word.lower().replace("ё", "е")


def words(name: str, *keys: str) -> frozenset[str]:
    """A list entry as a set of normalised words."""
    value = entry(name, *keys)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise VocabularyError(f"vocabulary {name!r} entry {'.'.join(keys)!r} is not a word list")
    return frozenset(normalise(item) for item in value)


def word_map(name: str, *keys: str) -> dict[str, Any]:
    """A table entry as a mapping with normalised keys."""
    value = entry(name, *keys)
    if not isinstance(value, Mapping):
        raise VocabularyError(f"vocabulary {name!r} entry {'.'.join(keys)!r} is not a table")
    return {normalise(key): item for key, item in value.items()}


def all_vocabularies() -> Iterable[str]:
    """The names of every vocabulary file, for the schema test."""
    return sorted(path.stem for path in VOCAB_DIR.glob("*.toml"))
