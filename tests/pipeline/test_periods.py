"""Periods as Russian news states them, resolved against the document's year."""

from __future__ import annotations

import pytest

from bot.domain import Period, PeriodKind
from bot.pipeline.periods import find_periods


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("по итогам 2023 года", Period(PeriodKind.YEAR, year=2023)),
        ("в 2026-м году", Period(PeriodKind.YEAR, year=2026)),
        ("а в 2026-м их стало больше", Period(PeriodKind.YEAR, year=2026)),
        ("до 2029 года", Period(PeriodKind.BY, year=2029)),
        ("к 2035 году", Period(PeriodKind.BY, year=2035)),
        ("до конца 2026-го", Period(PeriodKind.BY_END, year=2026)),
        ("до конца года", Period(PeriodKind.BY_END, year=2025)),
        ("до конца 2027 года", Period(PeriodKind.BY_END, year=2027)),
        ("к концу следующего года", Period(PeriodKind.BY_END, year=2026)),
        ("до середины 2027 года", Period(PeriodKind.BY, year=2027)),
        ("с начала года", Period(PeriodKind.SINCE, year=2025)),
        ("в 2024–2026 годах", Period(PeriodKind.RANGE, year=2024, year_to=2026)),
        ("за 9 месяцев 2024 года", Period(PeriodKind.MONTHS, months=9, year=2024)),
        ("за шесть месяцев текущего года", Period(PeriodKind.MONTHS, months=6, year=2025)),
        ("за январь–октябрь 2024 года", Period(PeriodKind.MONTHS, months=10, year=2024)),
        ("в первом полугодии", Period(PeriodKind.MONTHS, months=6, year=None)),
        ("в этом году", Period(PeriodKind.YEAR, year=2025)),
        ("в следующем году", Period(PeriodKind.YEAR, year=2026)),
        ("в прошлом году", Period(PeriodKind.YEAR, year=2024)),
        ("с 2021 года", Period(PeriodKind.SINCE, year=2021)),
    ],
)
def test_period_forms(text: str, period: Period) -> None:
    found = find_periods(text, 2025)
    assert [p.period for p in found] == [period]


def test_a_base_of_comparison_is_not_the_period() -> None:
    found = find_periods("рост на 5% по сравнению с аналогичным периодом прошлого года", 2025)
    assert found == []


def test_relative_years_need_the_document_year() -> None:
    assert find_periods("в этом году", None) == []
