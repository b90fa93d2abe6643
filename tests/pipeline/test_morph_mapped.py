"""The analyser whose dictionaries are mapped from their files (`morph.map_dictionaries`)
answers as pymorphy3's own, which reads them into memory."""

from __future__ import annotations

import pymorphy3

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


def test_the_mapped_analyser_parses_as_pymorphy3s_own() -> None:
    mapped = morph.analyzer()
    stock = pymorphy3.MorphAnalyzer()
    assert isinstance(mapped.dictionary.words.dct._units, memoryview)
    assert isinstance(mapped.prob_estimator.p_t_given_w.dct._units, memoryview)
    for word in words():
        assert shown(mapped.parse(word)) == shown(stock.parse(word)), word
        assert mapped.word_is_known(word) == stock.word_is_known(word), word
    # Completion walks the guide as well as the units.
    assert mapped.dictionary.words.keys("сарань") == stock.dictionary.words.keys("сарань")
    assert shown(mapped.parse("орешка")[0].lexeme) == shown(stock.parse("орешка")[0].lexeme)
