"""Whatever text arrives, the pipeline answers with facts or a clear refusal, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pipeline.analysis import analyse
from bot.pipeline.documents import DocumentError, parse_document
from bot.pipeline.gazetteer import load_gazetteer

PIECES = st.sampled_from(
    [
        "1,6 трлн тенге",
        "до 2028 года",
        " 2 800 рабочих мест",
        "с 15 тыс. до 200 тыс. тонн",
        "за 8 месяцев",
        "%",
        "–",
        "\n",
        "\n\n",
        "Похожие статьи",
        "«",
        "»",
        "СЭЗ «Сарыарка»",
        "из них",
        ".",
        ",",
        " ",
        "в 5 раз",
        "$",
        "млрд",
        "2025-го",
        "13:40",
        "11.09.2025",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_any_text_yields_facts_that_quote_it_or_a_document_error(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass") if text else b""
    try:
        document = parse_document("fuzz.txt", data, None)
        analysis = analyse(document, load_gazetteer())
    except (DocumentError, UnicodeEncodeError):
        return
    for fact in analysis.facts:
        assert document.text[fact.start : fact.end] == fact.quote
        assert fact.value >= 0


def test_words_with_letters_morphology_cannot_read_keep_their_own_form() -> None:
    from bot.pipeline.morph import lemma, parses

    word = "\U00017000Сарань"
    assert lemma(word) == word.lower()
    assert parses(word)[0][0] == word.lower()
