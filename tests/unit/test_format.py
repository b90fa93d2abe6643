"""Numbers, money, dates and periods in Russian and Kazakh, as Babel writes them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal

import pytest

from bot.domain import DatePrecision, Period, PeriodKind, Qualifier
from bot.render.format import (
    format_date,
    format_figure,
    format_money,
    format_percent_value,
    format_period,
    format_quantity,
    format_source_date,
    format_value,
    plural_count,
)
from tests.factories import make_fact, make_source

UseLanguage = Callable[[str], AbstractContextManager[None]]


def plain(text: str) -> str:
    """Babel's non-breaking and narrow non-breaking spaces as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("value", "ru", "kk"),
    [
        ("1600000000000", "1,6 трлн ₸", "1,6 трлн ₸"),
        ("572900000000", "572,9 млрд ₸", "572,9 млрд ₸"),
        ("644700000000", "644,7 млрд ₸", "644,7 млрд ₸"),
        ("312500000000", "312,5 млрд ₸", "312,5 млрд ₸"),
        ("3000000000000", "3 трлн ₸", "3 трлн ₸"),
        ("2700000000000", "2,7 трлн ₸", "2,7 трлн ₸"),
        ("15000", "15 тыс. ₸", "15 мың ₸"),
        ("1234000000", "1,234 млрд ₸", "1,234 млрд ₸"),
        ("999", "999 ₸", "999 ₸"),
    ],
)
def test_tenge_is_compact_and_exact(
    use_language: UseLanguage, value: str, ru: str, kk: str
) -> None:
    with use_language("ru"):
        assert plain(format_money(Decimal(value))) == ru
    with use_language("kk"):
        assert plain(format_money(Decimal(value))) == kk


def test_babel_keeps_figures_and_units_together(use_language: UseLanguage) -> None:
    with use_language("kk"):
        assert format_money(Decimal("1600000000000")) == "1,6\xa0трлн\xa0₸"
    with use_language("ru"):
        assert format_money(Decimal("572900000000")) == "572,9\xa0млрд\xa0₸"


@pytest.mark.parametrize(
    "value", ["1234567", "1234567.5", "312512345678", "1000001", "0.125", "-572900000000"]
)
def test_money_never_rounds_away_a_digit(language: str, value: str) -> None:
    digits = Decimal(value).normalize().as_tuple().digits
    text = plain(format_money(Decimal(value)))
    shown = [int(ch) for ch in text if ch.isdigit()]
    while shown and shown[0] == 0:
        shown.pop(0)
    significant = list(digits)
    while significant and significant[-1] == 0:
        significant.pop()
    assert shown[: len(significant)] == significant, text


def test_plain_russian_locale_would_print_kzt() -> None:
    from babel.numbers import format_compact_currency

    assert "KZT" in format_compact_currency(1_600_000_000_000, "KZT", locale="ru")
    assert "₸" in format_compact_currency(1_600_000_000_000, "KZT", locale="ru_KZ")


@pytest.mark.parametrize(
    ("value", "unit", "ru", "kk"),
    [
        (2800, "jobs", "2 800 рабочих мест", "2 800 жұмыс орны"),
        (1, "jobs", "1 рабочее место", "1 жұмыс орны"),
        (24, "participants", "24 участника", "24 қатысушы"),
        (21, "participants", "21 участник", "21 қатысушы"),
        (11, "participants", "11 участников", "11 қатысушы"),
        (1, "projects", "1 проект", "1 жоба"),
        (3, "projects", "3 проекта", "3 жоба"),
        (25, "projects", "25 проектов", "25 жоба"),
        (5, "orders", "5 заказов", "5 тапсырыс"),
        (2, "units", "2 единицы", "2 дана"),
        ("1.5", "times", "1,5 раза", "1,5 есе"),
        ("28200000", "t", "28,2 млн т", "28,2 млн т"),
        (200000, "t", "200 000 т", "200 000 т"),
        (15000, "ha", "15 000 га", "15 000 га"),
        ("12.5", "m2", "12,5 м²", "12,5 м²"),
        ("1.5", "km2", "1,5 км²", "1,5 км²"),
        (300, "MW", "300 МВт", "300 МВт"),
        (2500000, "jobs", "2,5 млн рабочих мест", "2,5 млн жұмыс орны"),
        (941, "count", "941", "941"),
        ("120000", "KZT/t", "120 тыс. ₸/т", "120 мың ₸/т"),
        ("1200000", "USD", "1,2 млн $", "1,2 млн $"),
    ],
)
def test_quantities_with_plural_forms(
    use_language: UseLanguage, value: object, unit: str, ru: str, kk: str
) -> None:
    with use_language("ru"):
        assert plain(format_quantity(Decimal(str(value)), unit)) == ru
    with use_language("kk"):
        assert plain(format_quantity(Decimal(str(value)), unit)) == kk


def test_percent_follows_the_locale(use_language: UseLanguage) -> None:
    with use_language("ru"):
        assert format_percent_value(Decimal("7.3")) == "7,3\xa0%"
        assert plain(format_quantity(Decimal("11.1"), "percent")) == "11,1 %"
    with use_language("kk"):
        assert format_percent_value(Decimal("7.3")) == "7,3%"


def test_unknown_unit_is_shown_as_stored(language: str) -> None:
    assert format_quantity(Decimal(5), "widgets") == "5 widgets"


@pytest.mark.parametrize(
    ("qualifier", "ru", "kk"),
    [
        (Qualifier.MORE_THAN, "более 2 800 рабочих мест", "2 800-ден астам жұмыс орны"),
        (Qualifier.ABOUT, "около 2 800 рабочих мест", "шамамен 2 800 жұмыс орны"),
        (Qualifier.UP_TO, "до 2 800 рабочих мест", "2 800-ге дейін жұмыс орны"),
        (Qualifier.AT_LEAST, "не менее 2 800 рабочих мест", "кем дегенде 2 800 жұмыс орны"),
        (Qualifier.FROM, "от 2 800 рабочих мест", "2 800-ден бастап жұмыс орны"),
        (Qualifier.ALMOST, "почти 2 800 рабочих мест", "2 800-ге жуық жұмыс орны"),
        (Qualifier.LESS_THAN, "менее 2 800 рабочих мест", "2 800-ден кем жұмыс орны"),
        (None, "2 800 рабочих мест", "2 800 жұмыс орны"),
    ],
)
def test_qualifiers_come_before_the_value(
    use_language: UseLanguage, qualifier: Qualifier | None, ru: str, kk: str
) -> None:
    with use_language("ru"):
        assert plain(format_value(Decimal(2800), "jobs", qualifier)) == ru
    with use_language("kk"):
        assert plain(format_value(Decimal(2800), "jobs", qualifier)) == kk


def test_long_dates(use_language: UseLanguage) -> None:
    with use_language("ru"):
        assert format_date(date(2025, 9, 11)) == "11 сентября 2025\u202fг."
    with use_language("kk"):
        assert format_date(date(2025, 9, 11)) == "2025\u202fж. 11 қыркүйек"


@pytest.mark.parametrize(
    ("period", "ru", "kk"),
    [
        (Period(PeriodKind.YEAR, year=2024), "в 2024 г.", "2024 ж."),
        (Period(PeriodKind.RANGE, year=2025, year_to=2027), "2025–2027 гг.", "2025–2027 жж."),
        (Period(PeriodKind.BY, year=2028), "до 2028 г.", "2028 жылға дейін"),
        (
            Period(PeriodKind.MONTHS, year=2025, months=8),
            "за 8 месяцев 2025 г.",
            "2025 жылғы 8 айда",
        ),
        (
            Period(PeriodKind.MONTHS, year=2025, months=3),
            "за 3 месяца 2025 г.",
            "2025 жылғы 3 айда",
        ),
        (Period(PeriodKind.MONTHS, months=1), "за 1 месяц", "1 айда"),
        (Period(PeriodKind.PER_YEAR), "в год", "жылына"),
        (Period(PeriodKind.SINCE, year=2023), "с 2023 г.", "2023 жылдан бастап"),
        (None, "", ""),
    ],
)
def test_periods(use_language: UseLanguage, period: Period | None, ru: str, kk: str) -> None:
    with use_language("ru"):
        assert format_period(period) == ru
    with use_language("kk"):
        assert format_period(period) == kk


def test_source_dates_by_precision(use_language: UseLanguage) -> None:
    exact = make_source()
    estimated = make_source(
        published=date(2025, 8, 1),
        published_to=date(2025, 9, 30),
        precision=DatePrecision.ESTIMATED,
    )
    across_years = make_source(
        published=date(2025, 12, 1),
        published_to=date(2026, 1, 31),
        precision=DatePrecision.ESTIMATED,
    )
    unknown = make_source(published=None, precision=DatePrecision.UNKNOWN)
    with use_language("ru"):
        assert plain(format_source_date(exact)) == "11 сентября 2025 г."
        assert format_source_date(estimated) == "дата не указана (≈ август – сентябрь 2025 г.)"
        assert (
            format_source_date(across_years)
            == "дата не указана (≈ декабрь 2025 г. – январь 2026 г.)"
        )
        assert format_source_date(unknown) == "дата не указана"
    with use_language("kk"):
        assert plain(format_source_date(exact)) == "2025 ж. 11 қыркүйек"
        assert format_source_date(estimated) == "күні көрсетілмеген (≈ 2025 ж. тамыз – қыркүйек)"
        assert format_source_date(unknown) == "күні көрсетілмеген"


def test_an_estimated_date_is_never_shown_as_exact(use_language: UseLanguage) -> None:
    estimated = make_source(published=date(2025, 8, 1), precision=DatePrecision.ESTIMATED)
    with use_language("ru"):
        assert format_source_date(estimated).startswith("дата не указана")


@pytest.mark.parametrize(
    ("value", "compacted", "n"),
    [(Decimal(21), False, 21), (Decimal("1.5"), False, 2), (Decimal(2), True, 5)],
)
def test_plural_count(value: Decimal, compacted: bool, n: int) -> None:
    assert plural_count(value, compacted=compacted) == n


@pytest.mark.parametrize(
    ("value", "unit", "per", "ru", "kk"),
    [
        (16500, "houses", None, "16 500 домов", "16 500 үй"),
        (7527, "subscribers", None, "7 527 абонентов", "7 527 абонент"),
        (3442, "apartments", None, "3 442 квартиры", "3 442 пәтер"),
        (21, "trains", None, "21 поезд", "21 пойыз"),
        (12, "c/ha", None, "12 ц/га", "12 ц/га"),
        (120, "trucks/day", "day", "120 грузовиков в сутки", "120 жүк көлігі тәулігіне"),
        (35, "wagons/day", "day", "35 вагонов в сутки", "35 вагон тәулігіне"),
        (556, "t/h", "hour", "556 т в час", "556 т сағатына"),
        (4, "train pairs/day", "day", "4 пары поездов в сутки", "4 жұп пойыз тәулігіне"),
    ],
)
def test_counted_things_and_rates_are_written_in_the_readers_language(
    use_language: UseLanguage, value: int, unit: str, per: str | None, ru: str, kk: str
) -> None:
    """A counted noun in its plural form, and a rate's time said once, by the rate."""
    fact = make_fact(value=Decimal(value), unit=unit, per=per, period=None)
    with use_language("ru"):
        assert plain(format_figure(fact)) == ru
    with use_language("kk"):
        assert plain(format_figure(fact)) == kk
