"""The pattern notation of the vocabulary files."""

from __future__ import annotations

from bot.pipeline.phrases import PhraseTable


def test_the_notation() -> None:
    table = PhraseTable({"тонн*": "t", "кв. м": "m2", "млн.": "M", "шаршы метр~": "m2"})
    assert table.match(" тоннами", 0) is not None
    assert table.match("кв.м", 0) is not None and table.match("кв. м", 0) is not None
    assert table.match("млн-нан", 0) is not None  # a Kazakh ending after a hyphen
    assert table.match("шаршы метрге", 0) is not None
    assert table.match("шаршы метрлеу", 0) is None  # "~" takes inflection only
    assert table.match("млнх", 0) is None


def test_the_longest_match_wins_and_search_starts_on_a_word() -> None:
    table = PhraseTable({"кВт": "kW", "кВт·ч": "kWh"})
    found = table.match("кВт·ч", 0)
    assert found is not None and found.value == "kWh"
    assert PhraseTable({"ал": 1}).search("шалғай ал") is not None
    assert PhraseTable({"ал": 1}).search("шалғай") is None
