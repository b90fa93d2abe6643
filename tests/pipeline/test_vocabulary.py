"""Every vocabulary file parses, and the loader reports a bad entry by name."""

from __future__ import annotations

import pytest

from bot.pipeline.vocabulary import VocabularyError, all_vocabularies, entry, vocabulary


@pytest.mark.parametrize("name", list(all_vocabularies()))
def test_every_vocabulary_file_parses(name: str) -> None:
    assert isinstance(vocabulary(name), dict)


def test_missing_vocabulary_is_a_clear_error() -> None:
    with pytest.raises(VocabularyError, match="no-such-vocabulary"):
        vocabulary("no-such-vocabulary")


def test_missing_entry_names_the_path() -> None:
    names = list(all_vocabularies())
    if not names:
        pytest.skip("no vocabulary files yet")
    with pytest.raises(VocabularyError, match=r"no\.such"):
        entry(names[0], "no", "such")
