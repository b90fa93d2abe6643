"""What each figure measures, of what, per what time, and as a part of what: one test
per class of misreading, each in sentences written for the test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import ExtractedFact, Status, Topic
from bot.pipeline.extract import extract_facts
from bot.pipeline.gazetteer import load_gazetteer


def facts_of(text: str, year: int = 2025) -> list[ExtractedFact]:
    return extract_facts(text + "\n", load_gazetteer(), document_year=year)


def only(text: str, year: int = 2025) -> ExtractedFact:
    [fact] = facts_of(text, year)
    return fact


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("С угольного разреза вывезено 640 тыс. тонн топлива.", "shipments"),
        ("Отгрузка концентрата потребителям достигла 1,3 млн тонн.", "shipments"),
        ("За квартал отправлено 420 тыс. тонн угля потребителям.", "shipments"),
        ("Через станцию в транзите прошло 9,1 млн тонн грузов.", "transit"),
        ("Железнодорожники перевезли 3,3 млн тонн грузов.", "cargo"),
    ],
)
def test_goods_moved_are_cargo_whatever_the_verb(sentence: str, metric: str) -> None:
    fact = only(sentence)
    assert (fact.topic, fact.metric) == (Topic.CARGO, metric)


def test_a_change_in_freight_is_cargo() -> None:
    fact = only("Объем грузоперевозок по магистрали вырос на 7,1%.")
    assert (fact.topic, fact.metric) == (Topic.CARGO, "growth")


def test_a_change_names_what_changed() -> None:
    steel, coal = facts_of("Выплавка стали выросла на 3,4%. Добыча угля за год снизилась на 2,2%.")
    assert (steel.metric, steel.object) == ("growth", "сталь")
    assert (coal.metric, coal.object) == ("growth", "уголь")


def test_figures_sharing_one_verb_keep_their_own_objects() -> None:
    facts = facts_of(
        "На комбинате выпуск кокса увеличился на 3%, чугуна — на 5,2%, проката — на 1,1%, "
        "а добыча руды — на 12%."
    )
    assert [(f.value, f.object) for f in facts] == [
        (Decimal(3), "кокс"),
        (Decimal("5.2"), "чугун"),
        (Decimal("1.1"), "прокат"),
        (Decimal(12), "руда"),
    ]


def test_counts_in_one_sentence_differ_by_their_objects() -> None:
    facts = facts_of("В городе действуют 14 крупных предприятий и 230 малых.")
    assert [fact.object for fact in facts] == ["крупное предприятие", "малое предприятие"]


def test_reserves_in_the_ground_are_not_output() -> None:
    fact = only("Балансовые запасы месторождения оцениваются в 42 млн тонн руды.")
    assert (fact.metric, fact.status, fact.object) == ("reserves", Status.ACTUAL, "руда")


def test_clinics_are_facilities_not_enterprises() -> None:
    fact = only("В районе открыты 17 медицинских организаций.")
    assert fact.metric == "facilities" and fact.topic is Topic.OTHER


def test_a_yearly_capacity_keeps_its_rate() -> None:
    fact = only("Цех рассчитан на выпуск 90 тыс. тонн труб в год.")
    assert (fact.per, fact.object, fact.metric) == ("year", "трубы", "capacity")


@pytest.mark.parametrize(
    ("sentence", "per"),
    [
        ("Шахта ежесуточно отгружает 28 вагонов угля.", "day"),
        ("Погрузка достигает 420 тонн в час.", "hour"),
        ("Предприятие перерабатывает 1 200 тонн молока в сутки.", "day"),
    ],
)
def test_rates_per_time(sentence: str, per: str) -> None:
    assert only(sentence).per == per


def test_a_range_is_one_fact_with_both_ends() -> None:
    fact = only("Цены на услуги вырастут на 4–6 % в будущем году.")
    assert (fact.value, fact.value_max, fact.unit) == (Decimal(4), Decimal(6), "percent")


def test_parts_point_at_their_whole_and_are_not_totals() -> None:
    total, industry, trade = facts_of(
        "За год в районе создано 2 400 рабочих мест, в том числе 900 — в "
        "промышленности и 300 — в торговле."
    )
    assert total.part_of is None
    assert industry.part_of == trade.part_of == 0


def test_of_them_links_to_the_figure_before() -> None:
    facts = facts_of(
        "До 2029 года холдинг вложит 600 млрд тенге, из них 150 млрд тенге уже освоено."
    )
    assert [fact.part_of for fact in facts] == [None, 0]
    assert [fact.status for fact in facts] == [Status.PLAN, Status.ACTUAL]


@pytest.mark.parametrize(
    "sentence",
    [
        "Инвестор намерен наладить выпуск 12 тыс. тонн кабеля.",
        "В планах — вложения в размере 35 млрд тенге.",
        "Добыча меди может достичь 95 тыс. тонн.",
        "В Шахтинске прорабатывается создание индустриального парка на 40 га.",
        "Стороны подписали меморандум о строительстве завода мощностью 200 МВт.",
    ],
)
def test_intent_and_potential_are_plans(sentence: str) -> None:
    assert only(sentence).status is Status.PLAN


def test_design_capacity_of_a_working_plant_is_actual() -> None:
    fact = only("Проектная мощность действующей фабрики составляет 180 тыс. тонн концентрата.")
    assert (fact.metric, fact.status) == ("capacity", Status.ACTUAL)


def test_list_items_take_the_status_of_their_heading() -> None:
    cost, jobs = facts_of(
        "В будущем году планируется запустить проекты:\n"
        "– завод по выпуску плитки стоимостью 8 млрд тенге;\n"
        "– цех на 120 рабочих мест."
    )
    assert cost.status is jobs.status is Status.PLAN


def test_list_items_of_one_measure_measure_the_object_an_item_before_names() -> None:
    """An item that names no object ("– 2026 год — 2,4 млн тонн") measures what the item
    before it in the same unit measured; a figure in another unit, or in a line after the
    list that is not set out as an item, does not take it."""
    first, second, share, after = facts_of(
        "Добыча на разрезе по годам составит:\n"
        "– 2025 год — 1,8 млн тонн угля;\n"
        "– 2026 год — 2,4 млн тонн;\n"
        "– рост к 2025 году — 33%.\n"
        "Всего компания добудет 5 млн тонн."
    )
    assert first.object == second.object == "уголь"
    assert first.metric == second.metric and (second.period and second.period.year) == 2026
    assert share.object is None and share.unit == "percent"
    assert after.object is None
    assert after.quote == "Всего компания добудет 5 млн тонн."  # a line, not an item set out


def test_a_place_before_the_dash_is_what_the_item_is_of_not_what_it_measures() -> None:
    lead = "Протяженность новых сетей по городам:\n"
    town, other = facts_of(lead + "– Темиртау — 63 км;\n– Шахтинск — 35,5 км.")
    assert town.object is other.object is None
    (steel,) = facts_of("Выпуск чугуна вырос на 6 %, стали — на 6,6 %.")[1:]
    assert steel.object == "сталь"


def test_list_items_are_quoted_with_the_sentence_that_leads_them() -> None:
    """An item alone ("– 2026 год — 2,4 млн тонн;") does not say what it counts: its quote
    (shown under the figure, and searched) begins with the lead's last sentence."""
    first, second = facts_of(
        "Работы начнутся весной. Выпуск концентрата на фабрике по годам составит:\n"
        "– 2026 год — 2,4 млн тонн;\n"
        "– 2027 год — 3,1 млн тонн.\n"
        "Проект окупится за семь лет."
    )
    assert first.quote == (
        "Выпуск концентрата на фабрике по годам составит: – 2026 год — 2,4 млн тонн;"
    )
    assert second.quote.endswith("составит: – 2027 год — 3,1 млн тонн.")
    # an item written with a Latin letter among the Cyrillic is quoted as written
    (latin,) = facts_of("Выпуск концентрата по городам составит:\n– Темiртау — 2,4 млн тонн;")
    assert latin.quote == "Выпуск концентрата по городам составит: – Темiртау — 2,4 млн тонн;"
    (alone,) = facts_of("Выпуск концентрата на фабрике в 2026 году составит 2,4 млн тонн.")
    assert alone.quote == "Выпуск концентрата на фабрике в 2026 году составит 2,4 млн тонн."


def test_a_sectors_figure_is_the_sectors() -> None:
    output, growth = facts_of(
        "В металлургии области выпущено продукции на 540 млрд тенге, что на 3,1% больше."
    )
    assert output.entity_key == growth.entity_key == "karaganda_region"
    assert "металлургия" in output.subject and "металлургия" in growth.subject


def test_region_jobs_stay_the_regions_in_a_paragraph_about_a_zone() -> None:
    zone, region = facts_of(
        "В индустриальной зоне «Сарань» работают 9 предприятий. По области за год "
        "создано 2 100 рабочих мест."
    )
    assert zone.topic is Topic.ZONES
    assert (region.entity_key, region.topic) == ("karaganda_region", Topic.JOBS)


def test_a_route_is_not_the_subject_of_what_goes_along_it() -> None:
    fact = only("Экспорт зерна по железной дороге составил 700 тыс. тонн.")
    assert "дорога" not in fact.subject.lower()
    assert fact.topic is Topic.CARGO


def test_machines_repaired_are_upkeep_not_output() -> None:
    boilers, turbines = facts_of("За лето капитальный ремонт прошли 4 котла и 2 турбины.")
    assert boilers.topic is turbines.topic is Topic.OTHER


def test_machines_of_a_plant_being_built_are_its_design() -> None:
    fact = only("Всего на новой станции будет смонтировано 16 ветроустановок.")
    assert fact.status is Status.ACTUAL


def test_room_to_store_grain_is_not_a_stock() -> None:
    fact = only("Для хранения урожая элеваторы и склады района могут принять 300 тыс. тонн зерна.")
    assert (fact.metric, fact.topic) == ("storage_capacity", Topic.OTHER)


def test_a_part_of_a_plan_is_planned() -> None:
    pool, part = facts_of(
        "В следующем году планируется реализовать 30 проектов. В 8 из них участвуют "
        "иностранные инвесторы."
    )
    assert part.part_of == 0
    assert pool.status is part.status is Status.PLAN


def test_money_put_into_a_project_is_investment_and_its_price_tag_is_cost() -> None:
    invested = only("Холдинг намерен вложить в проект 120 млн долларов.")
    cost = only("Стоимость проекта оценивается в 45 млрд тенге.")
    assert (invested.metric, cost.metric) == ("investment", "project_cost")
    assert invested.status is cost.status is Status.PLAN


@pytest.mark.parametrize(
    "sentence",
    [
        "Идут переговоры о строительстве ветропарка мощностью 250 МВт.",
        "Рассматривается возможность запуска линии мощностью 80 тыс. тонн в год.",
    ],
)
def test_capacity_still_under_talks_is_a_plan(sentence: str) -> None:
    assert only(sentence).status is Status.PLAN


def test_mined_from_a_deposit_is_output_and_held_in_it_is_reserves() -> None:
    mined = only("На месторождении ежегодно добывают 3 млн тонн руды.")
    held = only("Запасы угля на месторождении превышают 90 млн тонн.")
    assert (mined.metric, held.metric) == ("volume", "reserves")


def test_a_region_clause_gives_its_figure_to_the_region() -> None:
    zone, region = facts_of(
        "В индустриальной зоне «Сарань» запущено 4 цеха, а всего по области за год "
        "создано 3 100 рабочих мест."
    )
    assert zone.entity_key != "karaganda_region"
    assert (region.entity_key, region.topic) == ("karaganda_region", Topic.JOBS)


def test_a_company_and_the_region_in_two_clauses_keep_their_own_figures() -> None:
    company, region = facts_of(
        "Qarmet нарастил выпуск проката на 6%, тогда как в целом по региону "
        "производство выросло на 1,8%."
    )
    assert company.entity_key == "qarmet"
    assert region.entity_key == "karaganda_region"


def test_people_counted_as_staff_or_as_passengers() -> None:
    staff = only("Компания доведет численность персонала до 3 500 человек к 2028 году.")
    passengers = only("Пассажиропоток вокзала превысил 640 тыс. человек.")
    assert (staff.metric, staff.topic, staff.status) == ("staff", Topic.JOBS, Status.PLAN)
    assert (passengers.metric, passengers.topic) == ("throughput", Topic.CARGO)


def test_an_object_keeps_its_adjective_in_agreement() -> None:
    fact = only("Склады приняли 70 тыс. тонн минеральных удобрений.")
    assert fact.object == "минеральные удобрения"


def test_the_cost_of_a_pool_of_projects_is_not_one_projects_cost() -> None:
    pool = facts_of(
        "До 2030 года планируется реализовать 64 проекта общей стоимостью 2,2 трлн тенге."
    )
    cost = next(fact for fact in pool if fact.unit == "KZT")
    assert (cost.metric, cost.topic, cost.status) == (
        "projects_cost",
        Topic.INVESTMENTS,
        Status.PLAN,
    )
    single = only("Стоимость нового завода составит 14 млрд тенге.")
    assert single.metric == "project_cost"
