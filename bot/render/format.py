"""Numbers, money, dates and periods with Babel in `ru_KZ` and `kk_KZ`.

Plain `ru` would print "KZT"; the Kazakhstan locales print "₸". Babel puts
non-breaking spaces between a figure and its unit ("1,6\u00a0трлн\u00a0₸") so
Telegram never wraps a line inside a figure; the functions keep them.

A stored value is exact, and so is its text: a compact form ("572,9 млрд ₸") is
used only when it shows every significant digit, never a rounded one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from bot.domain import DatePrecision, Fact, Period, PeriodKind, Qualifier, Source
from bot.render.labels import (
    counted,
    current_language,
    per_label,
    per_unit,
    qualified,
    with_unit,
)

BABEL_LOCALES = {"ru": "ru_KZ", "kk": "kk_KZ"}
CURRENCIES = {"KZT", "USD", "EUR", "RUB", "CNY"}
# More fraction digits than this and a compact form stops reading as one.
COMPACT_MAX_FRACTION = 3
# Babel's largest compact step is the trillion.
COMPACT_MAX_EXPONENT = 12
# Compact forms Babel's data abbreviates past recognition, as the words we print.
COMPACT_WORDS = {"kk_KZ": {"\xa0м.": "\xa0мың"}}  # newer CLDR data: "120 м. ₸"
# Counted things (jobs, tonnes …) stay in full below a million: "2 800", "200 000".
QUANTITY_COMPACT_FROM = Decimal(1_000_000)
MONEY_COMPACT_FROM = Decimal(1_000)


def babel_locale(language: str | None = None) -> str:
    return BABEL_LOCALES[language or current_language()]


def format_number(value: Decimal | int) -> str:
    """Every digit of the value, grouped the local way: "2 800", "28,25"."""
    return format_decimal(_exact(value), locale=babel_locale(), decimal_quantization=False)


def compact_number(value: Decimal | int, currency: str | None = None) -> str | None:
    """The compact form ("572,9 млрд", "572,9 млрд ₸") when it is exact, else None."""
    value = _exact(value)
    magnitude = abs(value)
    if magnitude < 1000:
        return None
    exponent = min((len(str(int(magnitude))) - 1) // 3 * 3, COMPACT_MAX_EXPONENT)
    scaled = (magnitude / Decimal(10) ** exponent).normalize()
    digits = max(0, -int(scaled.as_tuple().exponent))
    if digits > COMPACT_MAX_FRACTION:
        return None
    locale = babel_locale()
    if currency:
        text = format_compact_currency(value, currency, locale=locale, fraction_digits=digits)
    else:
        text = format_compact_decimal(value, locale=locale, fraction_digits=digits)
    # Babel picks its own divisor; accept its text only if it shows our exact figure.
    expected = format_decimal(scaled.copy_sign(value), locale=locale, decimal_quantization=False)
    if not text.startswith(expected) or text[len(expected) : len(expected) + 1].isdigit():
        return None
    for short, word in COMPACT_WORDS.get(locale, {}).items():
        text = text.replace(short, word)
    return text


def format_money(value: Decimal | int, currency: str = "KZT") -> str:
    """Compact where exact ("1,6 трлн ₸", "15 тыс. ₸"), else every digit ("1 234 567 ₸")."""
    value = _exact(value)
    if abs(value) >= MONEY_COMPACT_FROM:
        compact = compact_number(value, currency)
        if compact is not None:
            return compact
    locale = babel_locale()
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", ".###")
    return format_currency(
        value,
        currency,
        format=pattern,
        locale=locale,
        currency_digits=False,
        decimal_quantization=False,
    )


def format_percent_value(value: Decimal | int) -> str:
    """A value given in percent (7.3 → "7,3 %" in Russian, "7,3%" in Kazakh)."""
    return format_percent(_exact(value) / 100, locale=babel_locale(), decimal_quantization=False)


def format_quantity(value: Decimal | int, unit: str, qualifier: Qualifier | None = None) -> str:
    """A value with its unit and its bound: "2 800 рабочих мест", "28,2 млн т",
    "более 24 участников", "24-тен астам қатысушы"."""
    value = _exact(value)
    if qualifier is not None and counted(unit, "", 0) is None:
        # A measured unit: the bound takes the figure with its unit ("15%-дан астам").
        return qualified(qualifier, format_quantity(value, unit))
    if unit in CURRENCIES:
        return format_money(value, unit)
    currency, slash, per = unit.partition("/")
    if slash and currency in CURRENCIES:
        return per_unit(format_money(value, currency), per)
    if unit == "percent":
        return format_percent_value(value)
    compact = compact_number(value) if abs(value) >= QUANTITY_COMPACT_FROM else None
    number = compact or format_number(value)
    # A counted thing: the bound takes the number, the noun follows ("2 300-ден астам
    # жұмыс орны", "более 2 300 рабочих мест").
    number = qualified(qualifier, number)
    return with_unit(unit, number, plural_count(value, compacted=compact is not None))


def format_value(
    value: Decimal | int,
    unit: str,
    qualifier: Qualifier | None = None,
    value_max: Decimal | int | None = None,
) -> str:
    """A value with its unit and its bound: "более 2 800 рабочих мест"; a range with
    its unit once: "5–10 %", "1–2 млрд ₸"."""
    if value_max is None or Decimal(value_max) == Decimal(value):
        return format_quantity(value, unit, qualifier)
    return qualified(qualifier, format_range(value, value_max, unit))


def format_range(low: Decimal | int, high: Decimal | int, unit: str) -> str:
    """Both ends, the unit they share written once: "5–10 %", "500 млн – 1 млрд ₸"."""
    low_text, high_text = format_quantity(low, unit), format_quantity(high, unit)
    shared = _shared_ending(low_text, high_text)
    if not shared:
        return f"{low_text} – {high_text}"
    head = low_text[: len(low_text) - len(shared)].rstrip("\u00a0 ")
    joiner = "–" if head[-1:].isdigit() else " – "
    return f"{head}{joiner}{high_text}"


def _shared_ending(a: str, b: str) -> str:
    """The longest ending of both texts that starts after a number, not inside one."""
    size = 0
    while size < min(len(a), len(b)) and a[-1 - size] == b[-1 - size]:
        size += 1
    shared = a[len(a) - size :] if size else ""
    # Never cut through digits: "2 800 т" and "3 000 т" share " т", not "00 т".
    while shared and (
        shared[0].isdigit()
        or shared[0] in ",."
        or (shared[0] in "\u00a0 " and shared[1:2].isdigit())
    ):
        shared = shared[1:]
    return shared


def format_figure(fact: Fact) -> str:
    """A fact's figure as the bot writes it: bound, range, unit, rate and period
    ("5–10 % в год до конца 2025 г.")."""
    text = format_value(fact.value, fact.unit, fact.qualifier, fact.value_max)
    per = per_label(fact.per)
    period = fact.period
    if per and not (
        period is not None and period.kind is PeriodKind.PER_YEAR and fact.per == "year"
    ):
        text = f"{text} {per}"
    period_text = format_period(period)
    return f"{text} {period_text}" if period_text else text


def plural_count(value: Decimal, *, compacted: bool = False) -> int:
    """The n for ngettext that gives the right noun form after this figure.

    After тыс./млн/млрд the noun is genitive plural ("2 млн рабочих мест"), the
    form of 5; a fraction takes the form of 2 ("1,5 раза"); gettext wants an int.
    """
    if compacted:
        return 5
    if value == value.to_integral_value():
        return int(abs(value))
    return 2


def format_date(value: date) -> str:
    """Babel's long date: "11 сентября 2025 г.", "2025 ж. 11 қыркүйек"."""
    return babel_format_date(value, "long", locale=babel_locale())


def month_name(value: date) -> str:
    """The month alone, nominative, lower case: "август", "тамыз"."""
    return babel_format_date(value, "LLLL", locale=babel_locale()).lower()


def format_month_window(start: date, end: date) -> str:
    """A window of months: "август – сентябрь 2025 г.", "2025 ж. тамыз – қыркүйек"."""
    if (start.year, start.month) == (end.year, end.month):
        return _("{month} {year}").format(month=month_name(start), year=start.year)
    if start.year == end.year:
        return _("{start} – {end} {year}").format(
            start=month_name(start), end=month_name(end), year=start.year
        )
    return _("{start} – {end}").format(
        start=_("{month} {year}").format(month=month_name(start), year=start.year),
        end=_("{month} {year}").format(month=month_name(end), year=end.year),
    )


def format_source_date(source: Source) -> str:
    """A document's date as honestly as it is known."""
    if source.precision == DatePrecision.EXACT and source.published:
        return format_date(source.published)
    if source.precision == DatePrecision.ESTIMATED and source.published:
        window = format_month_window(source.published, source.published_to or source.published)
        return _("date not stated (≈ {window})").format(window=window)
    return _("date not stated")


def format_period(period: Period | None) -> str:
    """A period: "в 2024 г.", "2025–2027 гг.", "до 2028 г.", "за 8 месяцев 2025 г." …"""
    if period is None:
        return ""
    year, year_to, months = period.year, period.year_to, period.months
    match period.kind:
        case PeriodKind.YEAR if year:
            return _("in {year}").format(year=year)
        case PeriodKind.RANGE if year and year_to:
            return _("in {start}–{end}").format(start=year, end=year_to)
        case PeriodKind.BY if year:
            return _("by {year}").format(year=year)
        case PeriodKind.BY_END if year:
            return _("by the end of {year}").format(year=year)
        case PeriodKind.MONTHS if months and year:
            return ngettext(
                "in {months} month of {year}", "in {months} months of {year}", months
            ).format(months=months, year=year)
        case PeriodKind.MONTHS if months:
            return ngettext("in {months} month", "in {months} months", months).format(months=months)
        case PeriodKind.PER_YEAR:
            return _("per year")
        case PeriodKind.SINCE if year:
            return _("since {year}").format(year=year)
    return ""


def _exact(value: Decimal | int) -> Decimal:
    """The value without trailing zeros or exponent noise ("12.50" → 12.5)."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()
