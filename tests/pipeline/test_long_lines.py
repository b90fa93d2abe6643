"""A figure's words are looked for near it, not over the whole text: a document of one
long line with many figures is read in time proportional to its length."""

from __future__ import annotations

from bot.pipeline.extract import extract_facts
from bot.pipeline.gazetteer import load_gazetteer


def test_one_line_of_twenty_thousand_figures_is_read() -> None:
    line = "Выплаты по заявкам: " + ", ".join(f"{n % 997 + 3} тенге" for n in range(20_000))
    facts = extract_facts(line + ".\n", load_gazetteer(), document_year=2025)
    # the same sum repeated in one article is one fact: 997 different sums
    assert len(facts) == 997
    assert {fact.unit for fact in facts} == {"KZT"}
