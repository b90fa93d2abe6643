"""The analyser whose dictionaries are mapped from their files (`morph.map_dictionaries`),
or read from them a page at a time (the bot's process), answers as pymorphy3's own, which
reads them into memory."""

from __future__ import annotations

import pymorphy3
import pytest

from bot import DOCUMENTS_DIR
from bot.pipeline import morph

# Dictionary words, unknown ones (the prediction suffixes), Kazakh and hyphenated words.
WORDS = ["Сарань", "орешка", "говядины", "тенге", "Қарағандыда", "агрокластера", "шымкентцы"]
DOCUMENT_WORDS = 3_000


def words() -> list[str]:
    found = list(WORDS)
    for path in sorted(DOCUMENTS_DIR.glob("*.txt"))[:3]:
        found += morph.WORD.findall(path.read_text(encoding="utf-8"))
    return list(dict.fromkeys(found))[:DOCUMENT_WORDS]


def shown(parses: list[pymorphy3.analyzer.Parse]) -> list[tuple[object, ...]]:
    """A parse as plain values: each analyser has parse and unit objects of its own."""
    return [(p.word, str(p.tag), p.normal_form, p.score, repr(p.methods_stack)) for p in parses]


@pytest.fixture(scope="module")
def stock() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def test_the_mapped_analyser_parses_as_pymorphy3s_own(stock: pymorphy3.MorphAnalyzer) -> None:
    mapped = morph.analyzer()
    assert isinstance(mapped.dictionary.words.dct._units, memoryview)
    assert isinstance(mapped.prob_estimator.p_t_given_w.dct._units, memoryview)
    same_answers(mapped, stock)


def test_the_analyser_read_by_page_parses_as_pymorphy3s_own(
    stock: pymorphy3.MorphAnalyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read by page, with room for few pages: pages are dropped and read again all along,
    and no more are kept than allowed."""
    monkeypatch.setattr(morph, "PAGES_KEPT", 64)
    paged = pymorphy3.MorphAnalyzer()
    morph.map_dictionaries(paged, by_page=True)
    units = paged.dictionary.words.dct._units
    assert isinstance(units, morph.PagedUnits)
    assert isinstance(paged.dictionary.words.guide._units, morph.PagedUnits)
    assert isinstance(paged.prob_estimator.p_t_given_w.dct._units, morph.PagedUnits)
    same_answers(paged, stock)
    assert len(units._pages) == 64
    assert len(units) == len(stock.dictionary.words.dct._units)
    with pytest.raises(IndexError):
        units[len(units) + morph.PAGE]


def same_answers(analyser: pymorphy3.MorphAnalyzer, stock: pymorphy3.MorphAnalyzer) -> None:
    for word in words():
        assert shown(analyser.parse(word)) == shown(stock.parse(word)), word
        assert analyser.word_is_known(word) == stock.word_is_known(word), word
    # Completion walks the guide as well as the units.
    assert analyser.dictionary.words.keys("сарань") == stock.dictionary.words.keys("сарань")
    assert shown(analyser.parse("орешка")[0].lexeme) == shown(stock.parse("орешка")[0].lexeme)
