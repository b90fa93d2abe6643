"""Whole sentences: which subject, topic, period and status a figure gets."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import PeriodKind, Status, Topic
from bot.pipeline.extract import extract_facts
from bot.pipeline.gazetteer import load_gazetteer


def facts_of(text: str, year: int = 2025) -> list:
    return extract_facts(text, load_gazetteer(), document_year=year)


def test_a_paragraph_keeps_its_subject_for_following_figures() -> None:
    (participants, investment) = facts_of(
        "В СЭЗ «Сарыарка» зарегистрировано 30 участников. Общий объем инвестиций "
        "составил 95 млрд тенге.\n"
    )
    assert participants.entity_key == investment.entity_key == "sez_saryarka"
    assert investment.topic is Topic.ZONES
    assert (investment.value, investment.unit) == (Decimal("95000000000"), "KZT")


def test_region_wide_figures_do_not_inherit_the_paragraphs_subject() -> None:
    facts = facts_of(
        "В индустриальной зоне «Сарань» работают 15 предприятий. "
        "Уровень безработицы в регионе снизился до 4,1%.\n"
    )
    rate = facts[-1]
    assert rate.entity_key == "karaganda_region"
    assert rate.topic is Topic.JOBS and rate.qualifier is None


def test_plan_and_actual_in_one_sentence() -> None:
    plan, actual = facts_of(
        "До 2030 года компания Qarmet вложит 2 трлн тенге, из них 300 млрд тенге "
        "уже инвестировано в 2024 году.\n"
    )
    assert (plan.status, plan.period.kind, plan.period.year) == (Status.PLAN, PeriodKind.BY, 2030)
    assert (actual.status, actual.period.year) == (Status.ACTUAL, 2024)
    assert plan.entity_key == actual.entity_key == "qarmet"


def test_a_change_range_gives_the_current_and_the_target_figure() -> None:
    now, target = facts_of(
        "Ожидается, что к 2032 году перевалка в аэропорту Сары-Арка вырастет "
        "с 20 тыс. до 150 тыс. тонн.\n"
    )
    assert (now.value, now.status, now.period) == (Decimal("20000"), Status.ACTUAL, None)
    assert (target.value, target.status) == (Decimal("150000"), Status.PLAN)
    assert target.period.year == 2032 and now.topic is target.topic is Topic.CARGO


def test_headlines_and_page_chrome_yield_no_facts() -> None:
    text = (
        "Регион привлек 500 млрд тенге\n\n"
        "+5 °C Караганда\nПросмотров: 1 234\n"
        "В регионе построят 3 школы.\n"
        "Читайте также:\n— Продано 40 тонн угля\n"
    )
    values = [f.value for f in facts_of(text)]
    assert values == [Decimal("3")]


def test_a_thing_the_title_introduces_is_the_subject_of_the_opening_paragraph() -> None:
    facts = facts_of(
        "В Шахтинске построят фабрику по производству окон\n\n"
        "Стоимость проекта составляет 7,2 млрд тенге, на фабрике будет создано "
        "140 рабочих мест.\n\n"
        "Между тем уровень безработицы в области составил 4,3%.\n"
    )
    cost, jobs, rate = facts
    assert cost.subject == jobs.subject == "Фабрика по производству окон"
    assert cost.status is Status.PLAN and cost.topic is Topic.INVESTMENTS
    assert rate.entity_key == "karaganda_region"


def test_trains_a_day_are_a_daily_throughput() -> None:
    (fact,) = facts_of("Через станцию ежесуточно проходят до 25 пар грузовых поездов.\n")
    assert (fact.unit, fact.topic) == ("train pairs/day", Topic.CARGO)


def test_a_figure_about_this_enterprise_belongs_to_the_one_named_before() -> None:
    (jobs,) = facts_of(
        "В Темиртау построят завод по выпуску цементной продукции. "
        "На данном предприятии будут трудоустроены 400 человек.\n"
    )
    assert jobs.subject == "Завод по выпуску цементной продукции"
    assert jobs.status is Status.PLAN


def test_a_pronoun_after_a_preposition_refers_to_the_town_named_before() -> None:
    (events,) = facts_of(
        "Особое внимание уделят Шахтинску. Для него утвердили программу, "
        "в которую вошли 40 мероприятий.\n"
    )
    assert events.entity_key == "shakhtinsk"


def test_a_bare_noun_refers_back_an_ordinal_one_is_another_thing() -> None:
    first, stations, another = facts_of(
        "Компания построит солнечную электростанцию мощностью 100 МВт. "
        "На станции установят 200 тысяч панелей. "
        "Мощность второй станции тоже составит 100 МВт.\n"
    )
    assert first.subject.startswith("Электростанция")
    assert stations.subject == first.subject
    # The same figure about another station is a fact of its own, not a repeat.
    assert another.value == first.value and another.subject != first.subject


def test_what_a_budget_provides_for_is_a_plan() -> None:
    provided, laid = facts_of(
        "Бюджетом области предусмотрено 12 млрд тенге на ремонт дорог. "
        "Акимат заложил в бюджет еще 4 млрд тенге на освещение.\n"
    )
    assert provided.status is laid.status is Status.PLAN


def test_a_design_capacity_describes_the_plant_a_possible_one_is_a_plan() -> None:
    (design,) = facts_of("Мощность строящегося завода составит 120 тыс. тонн стали в год.\n")
    (possible,) = facts_of("Мощность электростанции может составить 300 МВт.\n")
    assert design.status is Status.ACTUAL
    assert possible.status is Status.PLAN


def test_a_project_the_title_places_in_a_zone_brings_its_money_and_jobs_there() -> None:
    text = (
        "В индустриальной зоне «Сарань» построят завод по выпуску труб\n\n"
        "Компания «ТрубСталь» вложит в строительство 40 млрд тенге. "
        "На заводе будут работать 350 человек.\n"
    )
    investment, jobs = extract_facts(text, load_gazetteer(), document_year=2025)
    assert investment.topic is jobs.topic is Topic.ZONES
    # The same story without the zone is about investment and jobs.
    elsewhere = text.replace("В индустриальной зоне «Сарань»", "В Темиртау")
    investment, jobs = extract_facts(elsewhere, load_gazetteer(), document_year=2025)
    assert (investment.topic, jobs.topic) == (Topic.INVESTMENTS, Topic.JOBS)


def test_a_price_is_for_the_goods_it_names() -> None:
    (beef,) = facts_of("За килограмм свежей говядины на рынке просят 3 200 тенге.\n")
    (sugar,) = facts_of("Сахар стоит 520 тенге за килограмм.\n")
    assert beef.subject == "Свежая говядина" and beef.unit == "KZT/kg"
    assert sugar.subject == "Сахар"


def test_a_change_of_a_whole_sector_is_the_regions() -> None:
    *_, growth = facts_of(
        "В индустриальной зоне «Сарань» работают 15 предприятий. "
        "Они дают прирост в обрабатывающей отрасли на 3 процента.\n"
    )
    assert (growth.value, growth.unit) == (Decimal(3), "percent")
    assert growth.entity_key == "karaganda_region"


def test_counted_facilities_are_not_the_subject_of_the_next_count() -> None:
    mines, pits = facts_of(
        "Компания построила завод по обогащению угля. Сырье поставляют 3 шахты и 12 разрезов.\n"
    )
    assert mines.subject == pits.subject
    assert not pits.subject.startswith("Шахт")
