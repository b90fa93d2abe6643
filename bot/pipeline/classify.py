"""Topic, metric and status of a figure from the words around it.

The word lists live in `data/vocab/` (measures, topics, modality): Russian lemmas
(pymorphy3 normal forms, ё folded) and Kazakh stems, read by `bot.pipeline.lexicon`
into one set each, so this module holds only the logic of how news in either language
speaks of investment, zones, freight, output and employment.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass

from bot.domain import Period, PeriodKind, Status, Topic
from bot.domain.metrics import Metric
from bot.pipeline.lexicon import plain, terms
from bot.pipeline.vocabulary import entry, vocabulary

CARGO_WORDS = terms("topics", "cargo")
PRODUCTION_WORDS = terms("topics", "production")
JOB_WORDS = terms("topics", "jobs")
OTHER_WORDS = terms("topics", "other")
# Places where things are made or mined: counting them is about production.
PRODUCTION_SITES = terms("topics", "production_sites")
ZONE_NAMES = plain("topics", "zone", "names") | plain("topics", "zone", "kk")
ZONE_NOUNS = plain("topics", "zone", "zone")
ZONE_KINDS = plain("topics", "zone", "kind")
PERCENT_TOPICS: list[tuple[frozenset[str], Topic]] = [
    (plain("topics", "percent", key) | plain("topics", "percent", f"kk_{key}"), Topic(key))
    for key in entry("topics", "percent", "order")
]
# What a sum of money is, by the words near it (checked in order).
MONEY_METRICS: list[tuple[frozenset[str], Metric]] = [
    (terms("measures", *key.split(".")), Metric(key.split(".")[0]))
    for key in entry("measures", "money_order")
]
GROWTH_WORDS = terms("measures", "growth")
SHARE_WORDS = terms("measures", "share")
RATE_WORDS = terms("measures", "rate")
# Tonnes moved rather than made: shipped, carried, in transit.
MOVED_WORDS = terms("measures", "cargo") | terms("measures", "shipments")
TRANSIT_WORDS = terms("measures", "transit")
STOCK_WORDS = terms("measures", "stock")
VOLUME_WORDS = terms("measures", "volume")
STORAGE_WORDS = terms("measures", "storage_capacity")
RESERVE_WORDS = terms("measures", "reserves")
DEPOSIT_WORDS = terms("measures", "reserves", "deposits")
CAPACITY_WORDS = terms("measures", "capacity")
STAFF_WORDS = terms("measures", "staff")
# "рабочие места" are jobs even beside a word of staff
JOB_PLACE_WORDS = terms("measures", "jobs")
SHIPMENT_WORDS = terms("measures", "shipments")
MADE_WORDS = terms("measures", "units_produced")
ENTERPRISE_NOUNS = terms("measures", "enterprises")
FACILITY_COUNT_NOUNS = terms("measures", "facilities")
THROUGHPUT_WORDS = terms("measures", "throughput")
# Verbs of trains and wagons going through: "прошли 1 200 поездов", "принимает 500 вагонов".
THROUGHPUT_MOTION = terms("measures", "throughput_motion")

PLAN_WORDS = terms("modality", "plan")
ACTUAL_WORDS = terms("modality", "actual")
# Words of planning that still make a design figure (a plant's capacity) a plan.
DESIGN_PLAN_WORDS = terms("modality", "design")
PLAN_PHRASES = plain("modality", "plan", "phrases")
FUTURE_AUXILIARY = plain("modality", "grammar", "future_auxiliary")
ALREADY = plain("modality", "grammar", "already")
# Words whose form looks like a tense but that do not make a figure plan or actual.
NOT_MARKERS = terms("modality", "neutral")
# How far, in tokens, a marker may stand from the figure it speaks of.
REACH = 30
CLAUSE_MARKS = frozenset({",", ";", "—", "–", ":"})
CLAUSE_WORDS = plain("modality", "kk_tense", "clause_words")


# Measures whose topic the measure alone decides (the `topic` of each in measures.toml).
MEASURE_TOPICS: dict[Metric, Topic] = {
    Metric(key): Topic(row["topic"])
    for key, row in vocabulary("measures").items()
    if isinstance(row, dict) and "topic" in row
}
ZONE_MEASURES = frozenset(
    Metric(key)
    for key, row in vocabulary("measures").items()
    if isinstance(row, dict) and row.get("topic_by_kind", {}).get("zone") == "zones"
)
MOVED_METRICS = frozenset(
    {Metric.CARGO, Metric.SHIPMENTS, Metric.TRANSIT, Metric.THROUGHPUT, Metric.STOCK}
)
DESIGN_OF_OUTPUT = frozenset({Metric.UNITS_PRODUCED, Metric.CAPACITY, Metric.POWER})
AGRICULTURE_WORDS = terms("topics", "agriculture")
REPAIR_WORDS = terms("topics", "repair")


def topic_for(
    unit: str,
    lemmas: Collection[str],
    *,
    subject_kind: str | None,
    subject_topic: Topic | None,
    metric: Metric,
    noun: str | None = None,
    in_zone: bool = False,
) -> Topic:
    """The topic of one figure; `in_zone`: its subject is a project the story places in
    a special economic or industrial zone, whose investment and jobs are the zone's."""
    about_zone = subject_kind == "zone"
    in_zone = in_zone or zone_context(lemmas)
    words = _as_set(lemmas)
    if metric is Metric.PRICE:
        return Topic.OTHER
    if unit == "jobs" or metric in {Metric.JOBS, Metric.STAFF}:
        return Topic.ZONES if about_zone or in_zone else Topic.JOBS
    if about_zone and metric not in DESIGN_OF_OUTPUT and metric not in MOVED_METRICS:
        return Topic.ZONES
    if in_zone and metric is Metric.AREA:
        return Topic.ZONES  # the land of a zone is a fact about the zone itself
    if unit in {"train pairs/day", "train pairs", "orders", "passengers"}:
        return Topic.CARGO
    if metric in MOVED_METRICS:
        return Topic.CARGO
    if metric in ZONE_MEASURES or MEASURE_TOPICS.get(metric) is Topic.INVESTMENTS:
        return Topic.ZONES if in_zone else MEASURE_TOPICS[metric]
    if unit == "projects":
        return Topic.ZONES if in_zone else Topic.INVESTMENTS
    if unit == "participants":
        return Topic.ZONES
    if metric in {Metric.AREA, Metric.YIELD} and words & AGRICULTURE_WORDS:
        return Topic.PRODUCTION  # sown and harvested land, yields: the harvest
    if metric in {
        Metric.UNITS_PRODUCED,
        Metric.VOLUME,
        Metric.CAPACITY,
        Metric.POWER,
        Metric.OUTPUT_VALUE,
        Metric.RESERVES,
        Metric.YIELD,
    }:
        return Topic.PRODUCTION
    if metric is Metric.RATE and words & JOB_WORDS:
        return Topic.JOBS
    if metric in {Metric.REVENUE, Metric.LENGTH, Metric.FACILITIES, Metric.STORAGE_CAPACITY}:
        return Topic.OTHER
    if unit in {"percent", "times"}:
        return _percent_topic(lemmas)
    # A thing's own topic covers its physical figures, not counts of whatever else.
    if subject_topic is not None and unit not in {"count", "people"} and not (words & OTHER_WORDS):
        return subject_topic
    if words & CARGO_WORDS and unit in {"t", "units"}:
        return Topic.CARGO
    if unit in {"units", "count"} and words & REPAIR_WORDS:
        return Topic.OTHER  # boilers and turbines repaired: upkeep, not output
    if unit == "units" or (metric is Metric.ENTERPRISES and noun in PRODUCTION_SITES):
        return Topic.PRODUCTION
    if unit == "count" and noun in PRODUCTION_SITES:
        return Topic.PRODUCTION
    if words & PRODUCTION_WORDS and unit in {"t", "MW"}:
        return Topic.PRODUCTION
    return Topic.OTHER


def _as_set(words: Collection[str]) -> frozenset[str]:
    """The words as a set, without copying one (a sentence's set is shared by its figures)."""
    return words if isinstance(words, frozenset) else frozenset(words)


def zone_context(lemmas: Collection[str]) -> bool:
    """The words speak of a special economic or industrial zone."""
    words = _as_set(lemmas)
    return bool(words & ZONE_NAMES) or (bool(words & ZONE_NOUNS) and bool(words & ZONE_KINDS))


def _percent_topic(lemmas: Collection[str]) -> Topic:
    words = _as_set(lemmas)
    for vocabulary_words, topic in PERCENT_TOPICS:
        if words & vocabulary_words:
            return topic
    return Topic.OTHER


def metric_for(
    unit: str,
    noun: str | None,
    lemmas: Collection[str],
    window: Collection[str],
    *,
    change: bool = False,
) -> Metric:
    """What a figure measures. `window` holds the lemmas nearest to it; `change`
    says the figure is a difference ("на 7,3%", "в 5 раз")."""
    words = _as_set(lemmas)
    near = _as_set(window)
    if unit.startswith(("KZT", "USD", "EUR", "RUB", "CNY")):
        if "/" in unit:
            return Metric.PRICE
        for vocabulary_words, metric in MONEY_METRICS:
            if near & vocabulary_words:
                return metric
        for vocabulary_words, metric in MONEY_METRICS:
            if words & vocabulary_words:
                return metric
        return Metric.AMOUNT
    if unit == "percent":
        if change:
            return Metric.GROWTH
        if near & RATE_WORDS:
            return Metric.RATE
        if near & SHARE_WORDS:
            return Metric.SHARE
        if near & GROWTH_WORDS:
            return Metric.GROWTH
        return Metric.SHARE
    if unit == "times":
        return Metric.GROWTH
    if unit == "jobs":
        return Metric.STAFF if near & STAFF_WORDS and not near & JOB_PLACE_WORDS else Metric.JOBS
    if unit == "people":
        # "персонал — 2 000 человек"; "пассажиропоток — 900 тыс. человек"
        if near & STAFF_WORDS:
            return Metric.STAFF
        if near & THROUGHPUT_WORDS:
            return Metric.THROUGHPUT
    if unit == "projects":
        return Metric.PROJECTS
    if unit == "participants":
        return Metric.PARTICIPANTS
    if unit in {"MW", "GW", "kW"}:
        return Metric.POWER
    if unit in {"km"}:
        return Metric.LENGTH
    if unit in {"ha", "m2", "km2"}:
        return Metric.AREA
    if unit == "c/ha":
        return Metric.YIELD
    if unit in {"train pairs/day", "train pairs", "passengers"} or (
        "/" in unit and near & THROUGHPUT_WORDS
    ):
        return Metric.THROUGHPUT
    if unit == "orders":
        return Metric.CAPACITY
    if unit in {"t", "m3", "kg", "Gcal", "kWh", "t/h", "t/day"}:
        return _tonnes_metric(words, near)
    if unit == "units" or noun in THROUGHPUT_WORDS:
        # wagons, trains, trucks: shipped, or passing, or else made or counted
        if near & SHIPMENT_WORDS:
            return Metric.SHIPMENTS
        if near & THROUGHPUT_WORDS and near & (MOVED_WORDS | THROUGHPUT_MOTION):
            return Metric.THROUGHPUT
        return Metric.UNITS_PRODUCED if words & MADE_WORDS else Metric.COUNT
    if noun in ENTERPRISE_NOUNS:
        return Metric.ENTERPRISES
    if noun in FACILITY_COUNT_NOUNS:
        return Metric.FACILITIES
    return Metric.COUNT


def _tonnes_metric(words: frozenset[str], near: frozenset[str]) -> Metric:
    """Tonnes (cubic metres, …) moved, in stock, in the ground, or made."""
    if near & TRANSIT_WORDS or (words & TRANSIT_WORDS and not near & MOVED_WORDS):
        return Metric.TRANSIT
    if near & SHIPMENT_WORDS:
        return Metric.SHIPMENTS
    if near & MOVED_WORDS or words & MOVED_WORDS:
        return Metric.CARGO
    in_ground = bool(near & STOCK_WORDS and words & DEPOSIT_WORDS)
    if (near & RESERVE_WORDS or in_ground) and not near & VOLUME_WORDS:
        return Metric.RESERVES
    if near & CAPACITY_WORDS:
        return Metric.CAPACITY
    if near & STOCK_WORDS and words & STORAGE_WORDS:
        return Metric.STORAGE_CAPACITY  # what elevators and warehouses can hold
    if near & STOCK_WORDS:
        return Metric.STOCK if words & (CARGO_WORDS | STOCK_WORDS) else Metric.VOLUME
    return Metric.VOLUME


@dataclass(frozen=True, slots=True)
class Markers:
    """A sentence's words of plan and fact, found once for all its figures: each as
    (token index, status, whether it still makes a design figure a plan), and the
    count of clause marks before each token."""

    found: tuple[tuple[int, Status, bool], ...]
    marks_before: tuple[int, ...]
    indexes: tuple[int, ...]

    @classmethod
    def of(cls, tokens: list[tuple[str, int, str | None, frozenset[str]]]) -> Markers:
        found: list[tuple[int, Status, bool]] = []
        marks = [0]
        future_auxiliary = False
        before = ""
        for index, (lemma, _offset, pos, grammemes) in enumerate(tokens):
            marks.append(marks[-1] + (pos == "PUNCT" and lemma in CLAUSE_MARKS))
            marker = _marker(lemma, pos, grammemes)
            if f"{before} {lemma}" in PLAN_PHRASES:
                marker = Status.PLAN  # "в планах — …"
            before = lemma
            # "будут введены": a past participle after a future "быть" is a plan
            if future_auxiliary and pos == "PRTS":
                marker = Status.PLAN
            if pos != "PUNCT":
                future_auxiliary = lemma in FUTURE_AUXILIARY and "futr" in grammemes
            if marker is not None:
                found.append((index, marker, lemma in DESIGN_PLAN_WORDS))
        return cls(tuple(found), tuple(marks), tuple(item[0] for item in found))

    def between(self, low: int, high: int) -> tuple[tuple[int, Status, bool], ...]:
        return self.found[bisect_left(self.indexes, low) : bisect_left(self.indexes, high)]

    def boundaries(self, a: int, b: int) -> int:
        low, high = sorted((a, b))
        return self.marks_before[high] - self.marks_before[low]


def status_for(
    tokens: list[tuple[str, int, str | None, frozenset[str]]],
    position: int,
    period: Period | None,
    document_year: int | None,
    *,
    design: bool = False,
    kazakh: bool = False,
    markers: Markers | None = None,
) -> Status:
    """Plan or actual for the figure at token `position`.

    The nearest marker decides: words of planning or a future verb say plan; a past
    verb, a short past participle ("вложено"), "уже" or a verb of present state say
    actual. A target period ("till 2028") or a future year says plan whatever the verb.

    A `design` figure (a plant's capacity, a station's power) is what the thing is
    built for: "мощность завода составит 95 тыс. тонн" describes it, so a future verb
    alone does not make it a plan; words of planning ("будущей", "может составить",
    "планируется") still do.
    """
    if period is not None:
        target = document_year is None or period.sort_year >= document_year
        if period.kind is PeriodKind.BY and target and not _has_near(tokens, position, ALREADY, 3):
            return Status.PLAN
        if period.kind is PeriodKind.MONTHS:
            return Status.ACTUAL
        if period.kind in {PeriodKind.YEAR, PeriodKind.RANGE} and document_year is not None:
            if period.sort_year > document_year:
                return Status.PLAN
            if period.sort_year < document_year:
                return Status.ACTUAL
    # Only the clause around the figure can speak of it: a bounded reach keeps a
    # sentence of many figures linear.
    low, high = max(0, position - REACH), min(len(tokens), position + REACH + 1)
    if kazakh:
        found = _kazakh_predicate(tokens, position, low, high, design=design)
        if found is not None:
            return found
    found_markers = markers if markers is not None else Markers.of(tokens)
    best: tuple[float, Status] | None = None
    for index, marker, plans_design in found_markers.between(low, high):
        if design and marker is Status.PLAN and not plans_design:
            continue
        distance: float = abs(index - position) + found_markers.boundaries(index, position) * 4
        if index > position:
            distance += 0.5  # a verb before the figure governs it more often
        if best is None or distance < best[0]:
            best = (distance, marker)
    if best is not None:
        return best[1]
    if period is not None and period.kind is PeriodKind.BY:
        return Status.PLAN
    return Status.ACTUAL


def _kazakh_predicate(
    tokens: list[tuple[str, int, str | None, frozenset[str]]],
    position: int,
    low: int,
    high: int,
    *,
    design: bool = False,
) -> Status | None:
    """A Kazakh clause ends with its predicate: the last marker after the figure before
    the clause ends decides ("… 50 млн тоннаға дейін арттыру жоспарланып отыр"), and a
    word of planning anywhere in that stretch outweighs a verb's tense."""
    last: Status | None = None
    planned = False
    for index in range(position + 1, high):
        lemma, _offset, pos, grammemes = tokens[index]
        if _ends_clause(lemma, pos) and not _joins_numbers(tokens, index):
            break
        marker = _marker(lemma, pos, grammemes)
        if design and marker is Status.PLAN and lemma not in DESIGN_PLAN_WORDS:
            continue  # what a thing is built for or holds is stated in any tense
        if marker is not None:
            last = marker
            planned = planned or lemma in PLAN_WORDS
    if last is not None:
        return Status.PLAN if planned else last
    for index in range(position - 1, low - 1, -1):
        lemma, _offset, pos, grammemes = tokens[index]
        if _ends_clause(lemma, pos):
            break
        marker = _marker(lemma, pos, grammemes)
        if marker is not None:
            return marker
    return None


def _joins_numbers(tokens: list[tuple[str, int, str | None, frozenset[str]]], index: int) -> bool:
    """A dash or comma inside a figure ("30–40", "2,3"), not between clauses."""
    return (
        0 < index < len(tokens) - 1
        and tokens[index - 1][2] == "NUMB"
        and tokens[index + 1][2] == "NUMB"
    )


def _ends_clause(lemma: str, pos: str | None) -> bool:
    return (pos == "PUNCT" and lemma in CLAUSE_MARKS) or lemma in CLAUSE_WORDS


def _marker(lemma: str, pos: str | None, grammemes: frozenset[str]) -> Status | None:
    if lemma in PLAN_WORDS:
        return Status.PLAN
    if lemma in NOT_MARKERS:
        return None
    if lemma in ACTUAL_WORDS:
        return Status.ACTUAL
    if pos in {"VERB", "PRTS"}:
        if "futr" in grammemes:
            return Status.PLAN
        if "past" in grammemes or "pres" in grammemes:
            return Status.ACTUAL
    return None


def _has_near(
    tokens: list[tuple[str, int, str | None, frozenset[str]]],
    position: int,
    words: frozenset[str],
    reach: int,
) -> bool:
    return any(
        lemma in words for lemma, *_ in tokens[max(0, position - reach) : position + reach + 1]
    )
