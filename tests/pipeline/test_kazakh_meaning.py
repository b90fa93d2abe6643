"""Kazakh sentences: topic and status from the same tables as Russian, the status from
the clause's final predicate. Sentences written for the test."""

from __future__ import annotations

import pytest

from bot.domain import ExtractedFact, Status, Topic
from bot.pipeline.classify import status_for
from bot.pipeline.extract import _analyse, extract_facts
from bot.pipeline.gazetteer import load_gazetteer


def only(text: str, year: int = 2025) -> ExtractedFact:
    [fact] = extract_facts(text + "\n", load_gazetteer(), document_year=year)
    return fact


def status_of(sentence: str, figure: str) -> Status:
    tokens = _analyse(sentence)
    offset = sentence.index(figure)
    position = next(i for i, token in enumerate(tokens) if token[1] >= offset)
    return status_for(tokens, position, None, 2025, kazakh=True)


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("Өткен жылы кеніштен 3,1 млн тонна көмір тиеп жөнелтілді.", "shipments"),
        ("Бағыт бойынша транзит 14 млн тоннаға жетті.", "transit"),
        ("Темір жол 8 млн тонна жүк тасымалдады.", "cargo"),
    ],
)
def test_goods_moved_are_cargo(sentence: str, metric: str) -> None:
    fact = only(sentence)
    assert (fact.topic, fact.metric) == (Topic.CARGO, metric)


def test_reserves_are_stated_not_planned() -> None:
    fact = only("Кен орнының қоры 45 млн тонна деп бағаланады.")
    assert (fact.metric, fact.status, fact.topic) == ("reserves", Status.ACTUAL, Topic.PRODUCTION)


@pytest.mark.parametrize(
    ("sentence", "figure", "status"),
    [
        ("Биыл өңірде 24 жоба іске асырылмақ.", "24", Status.PLAN),
        ("Аудандағы 7 жобаны жүзеге асыру көзделіп отыр.", "7", Status.PLAN),
        ("Зауыт іске қосылғаннан кейін 300 адам жұмыс істейді.", "300", Status.PLAN),
        ("Көлемі 12 пайызға жетеді деп күтілуде.", "12", Status.PLAN),
        ("Қазір аймақта 9 жоба жүзеге асырылуда.", "9", Status.ACTUAL),
        ("Жыл басынан бері 640 адам жұмысқа орналасты.", "640", Status.ACTUAL),
        ("Бұл жобалар 850 адамға жұмыс табуға мүмкіндік берді.", "850", Status.ACTUAL),
        (
            "Жүк 2023 жылы 5 млн тонна болған еді, ал биыл 9 млн тоннаға дейін өсті.",
            "9",
            Status.ACTUAL,
        ),
        ("Тасымалды 70 млн тоннаға дейін арттыру жоспарланып отыр.", "70", Status.PLAN),
    ],
)
def test_the_final_predicate_decides(sentence: str, figure: str, status: Status) -> None:
    assert status_of(sentence, figure) is status


def test_kazakh_words_read_as_the_stems_of_the_tables() -> None:
    lemmas = [token[0] for token in _analyse("Инвестициялық жобалардың жүгі тасымалданды.")]
    assert lemmas[:3] == ["инвестиц", "жоба", "жүк"]


def test_a_range_does_not_end_the_clause() -> None:
    sentence = "Жабдықтың үлесі 50–60 пайызға жетеді деп күтілуде."
    assert status_of(sentence, "50") is Status.PLAN


def test_a_kazakh_rate_with_a_present_future_verb_is_what_is_done() -> None:
    fact = only("Кеніште жылына 4 млн тонна көмір өндіріледі.")
    assert (fact.per, fact.status, fact.topic) == ("year", Status.ACTUAL, Topic.PRODUCTION)
