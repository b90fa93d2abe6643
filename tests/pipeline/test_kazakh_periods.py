"""Periods as Kazakh news states them, resolved against the document's year."""

from __future__ import annotations

import pytest

from bot.domain import Period, PeriodKind
from bot.pipeline.periods import find_periods


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2024 жылы зауыт салынды", Period(PeriodKind.YEAR, year=2024)),
        ("2026 жылғы жоспар", Period(PeriodKind.YEAR, year=2026)),
        ("2023 ж. қорытындысы", Period(PeriodKind.YEAR, year=2023)),
        ("биыл егін жақсы", Period(PeriodKind.YEAR, year=2025)),
        ("биылғы көрсеткіш", Period(PeriodKind.YEAR, year=2025)),
        ("былтыр салынған", Period(PeriodKind.YEAR, year=2024)),
        ("келесі жылы ашылады", Period(PeriodKind.YEAR, year=2026)),
        ("2030 жылға дейін аяқталады", Period(PeriodKind.BY, year=2030)),
        ("2027 жылдың соңына дейін", Period(PeriodKind.BY_END, year=2027)),
        ("жыл соңына қарай", Period(PeriodKind.BY_END, year=2025)),
        ("2022 жылдан бері", Period(PeriodKind.SINCE, year=2022)),
        ("жыл басынан бері", Period(PeriodKind.SINCE, year=2025)),
        ("қаңтардан бері", Period(PeriodKind.SINCE, year=2025)),
        ("2026-2028 жылдары", Period(PeriodKind.RANGE, year=2026, year_to=2028)),
        ("2027–2029 жж. бағдарламасы", Period(PeriodKind.RANGE, year=2027, year_to=2029)),
        ("қаңтар–тамыз айларында", Period(PeriodKind.MONTHS, months=8, year=None)),
        ("2024 жылғы қаңтар-маусым", Period(PeriodKind.MONTHS, months=6, year=2024)),
        ("алты айда", Period(PeriodKind.MONTHS, months=6, year=2025)),
        ("биылғы 10 айда", Period(PeriodKind.MONTHS, months=10, year=2025)),
        ("жылына өндіреді", Period(PeriodKind.PER_YEAR)),
    ],
)
def test_kazakh_period_forms(text: str, period: Period) -> None:
    assert [p.period for p in find_periods(text, 2025)] == [period]


def test_the_year_of_a_figure_before_it() -> None:
    text = "Тасымал 2021 жылы 8 млн тонна болды, ал 2024 жылы 11 млн тоннаға жетті."
    assert [p.period.year for p in find_periods(text, None)] == [2021, 2024]


@pytest.mark.parametrize(
    "text",
    [
        "Бұл былтырғы көрсеткіштен 8 пайызға жоғары.",
        "Өткен жылмен салыстырғанда өнім 3 пайызға өсті.",
        "2023 жылғы деңгейден 12 пайызға артық.",
    ],
)
def test_a_base_of_comparison_is_not_the_period(text: str) -> None:
    assert find_periods(text, 2025) == []


def test_a_line_of_twenty_thousand_periods_is_read_in_one_pass() -> None:
    # Each period once was checked against every period found before it.
    line = "; ".join(f"{2000 + n % 30} жылы" for n in range(20_000))
    assert len(find_periods(line, 2025)) == 20_000
