"""A card's figures by year, and the years and statuses an answer may be narrowed to."""

from __future__ import annotations

from bot.domain import Period, PeriodKind, Status
from bot.pipeline.search_terms import Filters
from bot.queries.facts import YEAR_CHOICES, Card, by_year, fact_year, filter_choices
from bot.render.facts import render_card
from bot.render.html import MESSAGE_LIMIT, html_problems, telegram_length, visible_text
from tests.factories import make_fact, make_source, stored


def fact(fact_id: int, period: Period | None, status: Status = Status.ACTUAL, **fields: object):
    source = make_source(id=100 - fact_id)
    return stored(make_fact(period=period, status=status, **fields), fact_id=fact_id, source=source)  # type: ignore[arg-type]


def year(value: int) -> Period:
    return Period(PeriodKind.YEAR, year=value)


def test_a_plan_to_a_later_year_goes_under_that_year() -> None:
    assert fact_year(fact(1, Period(PeriodKind.BY, year=2028), Status.PLAN)) == 2028
    assert fact_year(fact(2, Period(PeriodKind.RANGE, year=2025, year_to=2027))) == 2027
    assert fact_year(fact(3, Period(PeriodKind.MONTHS, months=8, year=2025))) == 2025
    assert fact_year(fact(4, Period(PeriodKind.PER_YEAR))) is None
    assert fact_year(fact(5, None)) is None


def test_years_newest_first_and_the_undated_last() -> None:
    facts = [
        fact(1, None, metric="growth", unit="percent"),
        fact(2, year(2024)),
        fact(3, Period(PeriodKind.BY, year=2028), Status.PLAN),
        fact(4, year(2024), metric="jobs", unit="jobs"),
        fact(5, year(2024)),  # an older document's figure of the same indicator
    ]
    sections = by_year(facts)
    assert [section.year for section in sections] == [2028, 2024, None]
    [investment, jobs] = sections[1].timelines
    assert [f.id for f in investment.current] == [2]
    assert [f.id for f in investment.earlier] == [5]
    assert [f.id for f in jobs.current] == [4]


def test_choices_are_the_years_that_narrow_newest_first_a_few_at_most() -> None:
    facts = [fact(i, year(2015 + i)) for i in range(1, 8)] + [fact(20, None, Status.PLAN)]
    choices = filter_choices(facts, Filters())
    assert choices.years == (2022, 2021, 2020, 2019)[:YEAR_CHOICES]
    assert choices.statuses == (Status.ACTUAL, Status.PLAN)
    # A chosen year stays offered (to let it go); statuses are those of its figures.
    chosen = filter_choices(facts, Filters((2016,)))
    assert 2016 in chosen.years
    assert chosen.statuses == ()


def test_one_year_and_one_status_offer_nothing_that_would_not_narrow() -> None:
    facts = [fact(1, year(2024)), fact(2, year(2024), metric="jobs", unit="jobs")]
    assert filter_choices(facts, Filters()).years == ()
    assert filter_choices(facts, Filters()).statuses == ()


def test_a_town_card_names_each_subject_located_there_once_a_year(language: str) -> None:
    park = {"subject": "Промышленный парк в Темиртау", "entity_key": "temirtau_industrial_park"}
    facts = [
        *(
            fact(i, year(2024), metric="jobs", unit="jobs", value=i, quote=f"Q{i}")
            for i in range(1, 4)
        ),
        fact(10, year(2024), **park, metric="area", unit="ha", value=15, quote="P"),
        *(fact(20 + i, year(2020 + i), value=i, quote="x" * 600 + str(i)) for i in range(6)),
    ]
    card = Card("temirtau", "temirtau", "Темиртау", tuple(facts), place=True)
    pages = render_card(card)
    assert len(pages) > 1
    for page in pages:
        assert not html_problems(page) and telegram_length(page) <= MESSAGE_LIMIT
        body = visible_text(page).split("\n\n", 1)[1] if page is not pages[0] else ""
        assert not body or body.startswith("📅")  # a page goes on under its year's heading
    text = visible_text("".join(pages))
    section_2024 = text[text.index("2024") : text.index("2023")]
    assert section_2024.count("Qarmet") == 1
    assert (
        section_2024.count("Промышленный парк в Темиртау")
        + section_2024.count("Теміртаудағы өнеркәсіптік парк")
        == 1
    )
