"""Answers that say what each figure measures: indicator labels, ranges, rates, parts
under their whole, the change from the last earlier value, every source, and quotes
marked with their language. Sentences are new ones, written for these tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date

from bot.domain import Citation, Fact, Period, PeriodKind, Qualifier, Status, Topic
from bot.queries.facts import group_by_subject
from bot.render.facts import fact_html, render_card
from bot.render.format import format_figure
from bot.render.html import visible_text
from tests.factories import make_fact, make_source, stored
from tests.handlers.answers import plain

UseLanguage = Callable[[str], AbstractContextManager[None]]


def smelted(value: int, *, fact_id: int, source_id: int, published: date, **extra: object) -> Fact:
    values: dict[str, object] = {
        "topic": Topic.PRODUCTION,
        "subject": "Темиртауский комбинат",
        "entity_key": None,
        "metric": "volume",
        "value": value,
        "unit": "t",
        "period": None,
        "status": Status.ACTUAL,
        "object": "чугун",
        "quote": f"За смену комбинат выдал {value} тонн чугуна.",
    }
    values.update(extra)
    source = make_source(id=source_id, file_name=f"{source_id}.txt", published=published)
    return stored(make_fact(**values), fact_id=fact_id, source=source)  # type: ignore[arg-type]


def text_of(html: str) -> str:
    return plain(visible_text(html))


def test_the_label_names_the_indicator_and_its_object(use_language: UseLanguage) -> None:
    growth = smelted(
        7, fact_id=1, source_id=1, published=date(2025, 5, 1), metric="growth", unit="percent"
    )
    capital = stored(make_fact(metric="fixed_capital_investment", value=90_000_000_000))
    with use_language("ru"):
        assert text_of(fact_html(growth)).splitlines()[1].startswith("Чугун — рост: 7 %")
        assert "Инвестиции в основной капитал: 90 млрд ₸" in text_of(fact_html(capital))
    with use_language("kk"):
        # The object is the Russian source's own word: a Kazakh reader gets the measure.
        assert text_of(fact_html(growth)).splitlines()[1].startswith("Өсім: 7%")
        assert "Негізгі капиталға инвестициялар: 90 млрд ₸" in text_of(fact_html(capital))
    kazakh = smelted(
        7,
        fact_id=2,
        source_id=2,
        published=date(2025, 5, 1),
        metric="growth",
        unit="percent",
        object="шойын",
        lang="kk",
        quote="Шойын балқыту 7 пайызға өсті.",
    )
    with use_language("kk"):
        assert text_of(fact_html(kazakh)).splitlines()[1].startswith("Шойын — өсім: 7%")


def test_an_object_that_repeats_the_measure_is_not_shown(use_language: UseLanguage) -> None:
    counted = stored(
        make_fact(metric="participants", unit="count", value=24, object="участники", period=None)
    )
    with use_language("ru"):
        assert text_of(fact_html(counted)).splitlines()[1].startswith("Участники: 24")


def test_ranges_rates_and_end_of_year_are_written_out(use_language: UseLanguage) -> None:
    share = stored(make_fact(metric="growth", unit="percent", value=5, value_max=10, period=None))
    rate = stored(make_fact(metric="capacity", unit="t", value=120_000, per="year", period=None))
    daily = stored(make_fact(metric="throughput", unit="count", value=14, per="day", period=None))
    end = stored(make_fact(period=Period(PeriodKind.BY_END, year=2026)))
    with use_language("ru"):
        assert plain(format_figure(share)) == "5–10 %"
        assert plain(format_figure(rate)) == "120 000 т в год"
        assert plain(format_figure(daily)) == "14 в сутки"
        assert plain(format_figure(end)) == "1,6 трлн ₸ до конца 2026 г."
    with use_language("kk"):
        assert plain(format_figure(share)) == "5–10%"
        assert plain(format_figure(rate)) == "120 000 т жылына"
        assert plain(format_figure(daily)) == "14 тәулігіне"
        assert plain(format_figure(end)) == "1,6 трлн ₸ 2026 жылдың соңына дейін"


def test_a_range_of_money_keeps_its_unit_once(use_language: UseLanguage) -> None:
    cost = stored(make_fact(value=2_000_000_000, value_max=3_500_000_000, period=None))
    with use_language("ru"):
        assert plain(format_figure(cost)) == "2–3,5 млрд ₸"


def test_kazakh_bounds_take_their_case(use_language: UseLanguage) -> None:
    more = stored(
        make_fact(
            metric="jobs", unit="jobs", value=2300, qualifier=Qualifier.MORE_THAN, period=None
        )
    )
    near = stored(
        make_fact(metric="jobs", unit="jobs", value=800, qualifier=Qualifier.ALMOST, period=None)
    )
    share = stored(
        make_fact(
            metric="share", unit="percent", value=15, qualifier=Qualifier.MORE_THAN, period=None
        )
    )
    with use_language("kk"):
        assert plain(format_figure(more)) == "2 300-ден астам жұмыс орны"
        assert plain(format_figure(near)) == "800-ге жуық жұмыс орны"
        assert plain(format_figure(share)) == "15%-дан астам"
    with use_language("ru"):
        assert plain(format_figure(more)) == "более 2 300 рабочих мест"


def test_a_part_is_shown_under_its_whole_never_as_a_total(use_language: UseLanguage) -> None:
    published = date(2025, 6, 2)
    quote = "В районе открыли 40 рабочих мест, из них 15 — в металлургии."
    whole = smelted(
        40,
        fact_id=1,
        source_id=1,
        published=published,
        metric="jobs",
        unit="jobs",
        object=None,
        quote=quote,
    )
    part = smelted(
        15,
        fact_id=2,
        source_id=1,
        published=published,
        metric="jobs",
        unit="jobs",
        object="металлургия",
        quote=quote,
    )
    part = dataclasses.replace(part, part_of=1)
    (group,) = group_by_subject([whole, part])
    with use_language("ru"):
        text = text_of(render_card(group)[0])
    lines = text.splitlines()
    whole_line = next(i for i, line in enumerate(lines) if "Рабочие места: 40" in line)
    assert (
        lines[whole_line + 1].strip()
        == "↳ из них Металлургия — рабочие места: 15 рабочих мест (факт)"
    )
    assert sum("15 рабочих мест" in line for line in lines) == 1


def test_earlier_lists_only_the_same_indicator_with_the_change(use_language: UseLanguage) -> None:
    newer = smelted(519, fact_id=1, source_id=2, published=date(2025, 9, 1))
    steel = smelted(830, fact_id=2, source_id=2, published=date(2025, 9, 1), object="сталь")
    older = smelted(472, fact_id=3, source_id=1, published=date(2025, 3, 1))
    (group,) = group_by_subject([newer, steel, older])
    with use_language("ru"):
        text = text_of(render_card(group)[0])
    assert "Ранее: было 472 т → 519 т, +10 %" in text
    earlier = text[text.index("Ранее:") :].split("•")[0]
    assert "472 т (факт)" in earlier
    assert "830" not in earlier and text.count("Ранее:") == 1
    with use_language("kk"):
        assert "Бұрын: 472 т → 519 т, +10%" in text_of(render_card(group)[0])


def test_a_figure_several_documents_state_lists_every_source(use_language: UseLanguage) -> None:
    fact = smelted(519, fact_id=1, source_id=1, published=date(2025, 9, 1))
    other = make_source(id=2, file_name="2.txt", outlet="Kazinform", published=date(2025, 9, 3))
    fact = replace(
        fact,
        citations=(
            Citation(fact.source, fact.quote),
            Citation(other, "Комбинат сообщил о 519 тоннах.", "ru"),
        ),
    )
    with use_language("ru"):
        text = text_of(fact_html(fact))
    assert "Источники: BAQ.kz, 1 сентября 2025 г.; Kazinform, 3 сентября 2025 г." in text


def test_a_quote_in_the_other_language_is_marked(use_language: UseLanguage) -> None:
    kazakh = smelted(
        519,
        fact_id=1,
        source_id=1,
        published=date(2025, 9, 1),
        lang="kk",
        quote="Комбинат 519 тонна шойын берді.",
    )
    with use_language("ru"):
        assert "<blockquote expandable><i>қаз.</i> Комбинат 519" in fact_html(kazakh)
    with use_language("kk"):
        assert "<blockquote expandable>Комбинат 519" in fact_html(kazakh)


def test_charts_write_kazakh_bounds_natively(use_language: UseLanguage) -> None:
    from bot.features.charts.spec import _figure_text

    bound = stored(
        make_fact(
            metric="jobs", unit="jobs", value=2300, qualifier=Qualifier.MORE_THAN, period=None
        )
    )
    money = stored(make_fact(value=4_200_000_000, qualifier=Qualifier.ABOUT, period=None))
    with use_language("kk"):
        assert plain(_figure_text(bound, with_unit=False)) == "2 300-ден астам"
        assert plain(_figure_text(money)) == "шамамен 4,2 млрд ₸"
