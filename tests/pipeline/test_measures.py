"""The measure taxonomy: every metric key is a row of data/vocab/measures.toml with its
topic and its Russian and Kazakh labels, and the file names no measure the code lacks."""

from __future__ import annotations

from bot.domain import Topic
from bot.domain.metrics import Metric
from bot.pipeline.lexicon import kazakh_stem, terms
from bot.pipeline.measures import measure_label, measure_rows
from bot.pipeline.vocabulary import entry


def test_every_metric_key_has_a_row_with_labels_and_a_topic() -> None:
    rows = measure_rows()
    assert set(rows) == {metric.value for metric in Metric}
    for key, row in rows.items():
        assert row["label_ru"] and row["label_kk"], key
        assert Topic(row["topic"]), key
        for kind, topic in row.get("topic_by_kind", {}).items():
            assert Topic(topic), (key, kind)


def test_labels_are_given_per_language() -> None:
    assert measure_label("shipments", "ru") == "Отгрузка"
    assert measure_label("investment", "kk") == "Инвестициялар"
    assert measure_label("no_such_measure", "ru") is None


def test_money_measures_are_tried_in_an_order_of_known_keys() -> None:
    keys = entry("measures", "money_order")
    assert {Metric(key.split(".")[0]) for key in keys} <= set(Metric)


def test_a_kazakh_word_reads_as_the_longest_stem_it_begins_with() -> None:
    assert kazakh_stem("инвестициялық") == "инвестиц"
    assert kazakh_stem("тасымалдау") == "тасымал"
    assert kazakh_stem("жұмыс орнын") == "жұмыс орн"
    assert kazakh_stem("мектептер") == "мектеп"
    assert kazakh_stem("кітап") is None
    assert "жүк" in terms("measures", "cargo") and "груз" in terms("measures", "cargo")
