"""Topic, metric and status of a figure from the words around it.

Lexicons are lemmas (pymorphy3 normal forms, ё folded): they describe how Russian
economic news speaks of investment, zones, freight, output and employment.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.domain import Period, PeriodKind, Status, Topic
from bot.domain.metrics import Metric

INVESTMENT_WORDS = frozenset(
    {
        "инвестиция",
        "инвестировать",
        "инвестор",
        "инвестиционный",
        "вложение",
        "вложить",
        "вкладывать",
        "капитал",
        "капиталовложение",
        "инвестпроект",
        "финансирование",
        "профинансировать",
        "освоить",
        "привлечь",
        "привлекать",
        "инвестпул",
    }
)
CARGO_WORDS = frozenset(
    {
        "груз",
        "грузовой",
        "грузоперевозка",
        "грузооборот",
        "перевозка",
        "перевезти",
        "отгрузить",
        "отгрузка",
        "отгружать",
        "транзит",
        "транзитный",
        "вагон",
        "поезд",
        "состав",
        "контейнер",
        "логистика",
        "логистический",
        "пропускной",
        "склад",
        "складской",
        "запас",
        "перевалка",
        "терминал",
        "авиагруз",
        "экспедирование",
        "заказ",
        "хаб",
        "аэрохаб",
        "вывоз",
        "пассажиропоток",
    }
)
PRODUCTION_WORDS = frozenset(
    {
        "производство",
        "произвести",
        "производить",
        "выпуск",
        "выпустить",
        "выпускать",
        "продукция",
        "мощность",
        "добыча",
        "добыть",
        "выплавка",
        "выработка",
        "выработать",
        "изготовить",
        "переработка",
        "переработать",
        "завод",
        "печь",
        "промышленность",
        "промышленный",
        "обрабатывающий",
        "машиностроение",
        "станция",
        "ветропарк",
        "электростанция",
        "вэс",
        "сэс",
        "запасы",
        "месторождение",
        "урожай",
        "собрать",
    }
)
JOB_WORDS = frozenset(
    {
        "рабочее место",
        "занятость",
        "трудоустроить",
        "трудоустройство",
        "безработица",
        "безработный",
        "вакансия",
        "кадры",
        "работник",
        "сотрудник",
        "персонал",
    }
)
OTHER_WORDS = frozenset(
    {
        "цена",
        "стоить",
        "тариф",
        "жилье",
        "жилой",
        "квартира",
        "бюджет",
        "налог",
        "налоговый",
        "поступление",
        "содержание",
        "казсодержание",
        "школа",
        "сад",
        "больница",
        "колледж",
        "вуз",
        "студент",
        "ребенок",
        "пенсия",
        "зарплата",
        "инфляция",
        "экономика",
        "ввп",
        "врп",
        "строитель",
        "строительный",
        "торговля",
        "турист",
        "туризм",
    }
)
# Places where things are made or mined: counting them is about production.
PRODUCTION_SITES = frozenset(
    {
        "шахта",
        "разрез",
        "рудник",
        "завод",
        "фабрика",
        "цех",
        "комбинат",
        "месторождение",
        "скважина",
        "карьер",
        "предприятие",
    }
)
PRICE_WORDS = frozenset(
    {
        "цена",
        "стоить",
        "тариф",
        "продаваться",
        "просить",
        "обходиться",
        "дорожать",
        "подорожать",
        "подешеветь",
    }
)
# What a figure is, by the words near it (checked in order).
MONEY_METRICS: list[tuple[frozenset[str], Metric]] = [
    (frozenset({"основной"}), Metric.FIXED_CAPITAL_INVESTMENT),
    (PRICE_WORDS, Metric.PRICE),
    (
        frozenset({"стоимость", "сумма", "оцениваться", "обойтись", "проект", "инвестпроект"}),
        Metric.PROJECT_COST,
    ),
    (INVESTMENT_WORDS, Metric.INVESTMENT),
    (
        frozenset(
            {
                "налог",
                "налоговый",
                "поступление",
                "фонд",
                "доход",
                "бюджет",
                "экспорт",
                "выручка",
                "принести",
            }
        ),
        Metric.REVENUE,
    ),
    (
        frozenset(
            {"произвести", "производство", "продукция", "выпуск", "выпустить", "инновационный"}
        ),
        Metric.OUTPUT_VALUE,
    ),
]
GROWTH_WORDS = frozenset(
    {
        "рост",
        "вырасти",
        "расти",
        "увеличиться",
        "увеличить",
        "прирост",
        "нарастить",
        "больше",
        "выше",
        "снизиться",
        "сократиться",
        "уменьшиться",
        "снижение",
        "повыситься",
        "подняться",
        "упасть",
        "превысить",
        "динамика",
        "меньше",
        "ниже",
    }
)
SHARE_WORDS = frozenset(
    {"доля", "составлять", "удельный", "формировать", "обеспечивать", "приходиться"}
)
RATE_WORDS = frozenset({"уровень", "безработица", "инфляция"})

PLAN_WORDS = frozenset(
    {
        "планироваться",
        "планировать",
        "запланировать",
        "запланированный",
        "ожидаться",
        "ожидать",
        "ожидаемый",
        "предстоять",
        "намереваться",
        "намеренный",
        "собираться",
        "прогнозироваться",
        "прогнозировать",
        "прогноз",
        "предполагаться",
        "предполагать",
        "рассчитывать",
        "плановый",
        "планируемый",
        "должный",
        "мочь",
        "оцениваться",
        "нацелить",
        "цель",
        "перспектива",
        "будущий",
        "намечать",
        "намечаться",
        "наметить",
        "задача",
        "обещать",
        "позволить",
        # what a plan, budget or project "provides for" or "lays down"
        "предусматривать",
        "предусматриваться",
        "предусмотреть",
        "предусмотренный",
        "заложить",
        "закладывать",
        "закладываться",
        "заложенный",
        "целевой",
        "ориентир",
    }
)
ACTUAL_WORDS = frozenset({"уже", "функционировать", "действовать", "насчитываться", "работать"})


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
    if metric is Metric.PRICE:
        return Topic.OTHER
    if unit == "jobs" or metric is Metric.JOBS:
        return Topic.ZONES if about_zone or in_zone else Topic.JOBS
    if about_zone and metric not in {Metric.UNITS_PRODUCED, Metric.CAPACITY, Metric.POWER}:
        return Topic.ZONES
    if unit in {"train pairs/day", "train pairs", "orders", "passengers"}:
        return Topic.CARGO
    if metric in {Metric.CARGO, Metric.THROUGHPUT}:
        return Topic.CARGO
    if metric in {Metric.INVESTMENT, Metric.FIXED_CAPITAL_INVESTMENT, Metric.PROJECT_COST}:
        return Topic.ZONES if in_zone else Topic.INVESTMENTS
    if unit == "projects" or metric is Metric.PROJECTS:
        return Topic.ZONES if in_zone else Topic.INVESTMENTS
    if unit == "participants":
        return Topic.ZONES
    if metric in {
        Metric.UNITS_PRODUCED,
        Metric.VOLUME,
        Metric.CAPACITY,
        Metric.POWER,
        Metric.OUTPUT_VALUE,
    }:
        return Topic.PRODUCTION
    if metric is Metric.RATE and "безработица" in lemmas:
        return Topic.JOBS
    if metric is Metric.REVENUE:
        return Topic.OTHER
    if unit in {"percent", "times"}:
        return _percent_topic(lemmas)
    # A thing's own topic covers its physical figures, not counts of whatever else.
    if (
        subject_topic is not None
        and unit not in {"count", "people"}
        and not (set(lemmas) & OTHER_WORDS)
    ):
        return subject_topic
    if set(lemmas) & CARGO_WORDS and unit in {"t", "units"}:
        return Topic.CARGO
    if unit == "units" or (metric is Metric.ENTERPRISES and noun in PRODUCTION_SITES):
        return Topic.PRODUCTION
    if unit == "count" and noun in PRODUCTION_SITES:
        return Topic.PRODUCTION
    if set(lemmas) & PRODUCTION_WORDS and unit in {"t", "MW"}:
        return Topic.PRODUCTION
    return Topic.OTHER


def zone_context(lemmas: Collection[str]) -> bool:
    """The words speak of a special economic or industrial zone."""
    words = set(lemmas)
    return bool(words & {"сэз", "промзона"}) or (
        "зона" in words
        and bool(words & {"индустриальный", "экономический", "промышленный", "специальный"})
    )


def _percent_topic(lemmas: Collection[str]) -> Topic:
    words = set(lemmas)
    if words & {"инвестиция", "вложение", "капитал", "инвестировать"}:
        return Topic.INVESTMENTS
    if words & {"безработица", "занятость"}:
        return Topic.JOBS
    if words & {"груз", "грузоперевозка", "грузооборот", "пропускной", "перевозка", "транзит"}:
        return Topic.CARGO
    if words & {
        "производство",
        "промышленность",
        "промышленный",
        "машиностроение",
        "продукция",
        "выпуск",
        "обрабатывающий",
        "добыча",
        "чугун",
        "сталь",
        "прокат",
        "уголь",
        "выплавка",
    }:
        return Topic.PRODUCTION
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
    words = set(lemmas)
    near = set(window)
    if unit.startswith(("KZT", "USD", "EUR", "RUB", "CNY")):
        if "/" in unit:
            return Metric.PRICE
        for vocabulary, metric in MONEY_METRICS:
            if near & vocabulary:
                return metric
        for vocabulary, metric in MONEY_METRICS:
            if words & vocabulary:
                return metric
        return Metric.AMOUNT
    if unit == "percent":
        if change:
            return Metric.GROWTH
        if words & {"безработица", "инфляция"} or near & {"уровень", "ставка"}:
            return Metric.RATE
        if near & SHARE_WORDS or near & {"доля", "удельный"}:
            return Metric.SHARE
        if near & GROWTH_WORDS:
            return Metric.GROWTH
        return Metric.SHARE
    if unit == "times":
        return Metric.GROWTH
    if unit == "jobs":
        return Metric.JOBS
    if unit == "projects":
        return Metric.PROJECTS
    if unit == "participants":
        return Metric.PARTICIPANTS
    if unit in {"MW", "GW", "kW"}:
        return Metric.POWER
    if unit in {"ha", "m2", "km2", "km"}:
        return Metric.AREA
    if unit in {"train pairs/day", "train pairs", "passengers"}:
        return Metric.THROUGHPUT
    if unit == "orders":
        return Metric.CAPACITY
    if unit in {"t", "m3", "kg", "Gcal", "kWh"}:
        if near & {
            "груз",
            "грузоперевозка",
            "отгрузить",
            "отгрузка",
            "перевезти",
            "перевозка",
            "вывоз",
            "транзит",
            "перевалка",
        } or words & {"груз", "грузоперевозка", "отгрузить", "отгрузка", "перевезти", "перевалка"}:
            return Metric.CARGO
        if near & {"мощность", "мощностью"}:
            return Metric.CAPACITY
        if near & {"запас", "склад", "складской"}:
            return Metric.CARGO if words & CARGO_WORDS - {"запас"} else Metric.VOLUME
        return Metric.VOLUME
    if unit == "units":
        if words & {
            "произвести",
            "производство",
            "выпустить",
            "выпуск",
            "изготовить",
            "собрать",
            "произведено",
        }:
            return Metric.UNITS_PRODUCED
        return Metric.COUNT
    if noun in {
        "предприятие",
        "завод",
        "фабрика",
        "производство",
        "компания",
        "объект",
        "цех",
        "комбинат",
    }:
        return Metric.ENTERPRISES
    return Metric.COUNT


def status_for(
    tokens: list[tuple[str, int, str | None, frozenset[str]]],
    position: int,
    period: Period | None,
    document_year: int | None,
    *,
    design: bool = False,
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
        if period.kind is PeriodKind.BY and target and not _has_near(tokens, position, {"уже"}, 3):
            return Status.PLAN
        if period.kind is PeriodKind.MONTHS:
            return Status.ACTUAL
        if period.kind in {PeriodKind.YEAR, PeriodKind.RANGE} and document_year is not None:
            if period.sort_year > document_year:
                return Status.PLAN
            if period.sort_year < document_year:
                return Status.ACTUAL
    best: tuple[float, Status] | None = None
    future_auxiliary = False
    for index, (lemma, _offset, pos, grammemes) in enumerate(tokens):
        marker = _marker(lemma, pos, grammemes)
        # "будут введены": a past participle after a future "быть" is a plan
        if future_auxiliary and pos == "PRTS":
            marker = Status.PLAN
        if design and marker is Status.PLAN and lemma not in PLAN_WORDS:
            marker = None
        if pos != "PUNCT":
            future_auxiliary = lemma == "быть" and "futr" in grammemes
        if marker is None:
            continue
        distance: float = abs(index - position) + _boundaries(tokens, index, position) * 4
        if index > position:
            distance += 0.5  # a verb before the figure governs it more often
        if best is None or distance < best[0]:
            best = (distance, marker)
    if best is not None:
        return best[1]
    if period is not None and period.kind is PeriodKind.BY:
        return Status.PLAN
    return Status.ACTUAL


def _marker(lemma: str, pos: str | None, grammemes: frozenset[str]) -> Status | None:
    if lemma in PLAN_WORDS:
        return Status.PLAN
    if lemma in ACTUAL_WORDS:
        return Status.ACTUAL
    if pos in {"VERB", "PRTS"}:
        if "futr" in grammemes:
            return Status.PLAN
        if "past" in grammemes or "pres" in grammemes:
            return Status.ACTUAL
    return None


def _boundaries(tokens: list[tuple[str, int, str | None, frozenset[str]]], a: int, b: int) -> int:
    low, high = sorted((a, b))
    return sum(
        1
        for lemma, _o, pos, _g in tokens[low:high]
        if pos == "PUNCT" and lemma in {",", ";", "—", "–", ":"}
    )


def _has_near(
    tokens: list[tuple[str, int, str | None, frozenset[str]]],
    position: int,
    words: set[str],
    reach: int,
) -> bool:
    return any(
        lemma in words for lemma, *_ in tokens[max(0, position - reach) : position + reach + 1]
    )
