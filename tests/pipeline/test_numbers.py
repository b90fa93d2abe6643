"""How Russian news writes figures: scales, units, ranges, hedges — and what is no figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import Qualifier
from bot.pipeline.numbers import find_numbers


def figures(text: str) -> list[tuple[Decimal, str]]:
    return [(m.value, m.unit) for m in find_numbers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Бюджет составит 2,4 трлн тенге.", [(Decimal("2400000000000"), "KZT")]),
        ("Выделено 910 млрд тг.", [(Decimal("910000000000"), "KZT")]),
        ("Сумма — 35,5 млн ₸.", [(Decimal("35500000"), "KZT")]),
        ("Экспорт достиг $1,2 млрд.", [(Decimal("1200000000"), "USD")]),
        ("Привлечено 300 млн долларов США.", [(Decimal("300000000"), "USD")]),
        ("Отгружено 1 250 000 тонн угля.", [(Decimal("1250000"), "t")]),
        ("Собрано 3,1 млн т зерна.", [(Decimal("3100000"), "t")]),
        ("Площадь парка — 120 гектаров.", [(Decimal("120"), "ha")]),
        ("Сдано 15,4 тыс. кв. м жилья.", [(Decimal("15400"), "m2")]),
        ("Мощность станции — 100 МВт.", [(Decimal("100"), "MW")]),
        ("Территория — 2,5 кв. км.", [(Decimal("2.5"), "km2")]),
        ("Построено 48 тысяч квадратных метров.", [(Decimal("48000"), "m2")]),
        ("Создано 3 400 новых рабочих мест.", [(Decimal("3400"), "jobs")]),
        ("Зарегистрированы 18 участников.", [(Decimal("18"), "participants")]),
        ("Реализуют 42 инвестиционных проекта.", [(Decimal("42"), "projects")]),
        ("Выпущено 5 тысяч автобусов.", [(Decimal("5000"), "units")]),
        ("Рост составил 4,8%.", [(Decimal("4.8"), "percent")]),
        ("Показатель вырос на 12 процентов.", [(Decimal("12"), "percent")]),
        ("Объем увеличится в 3 раза.", [(Decimal("3"), "times")]),
        ("Цена — 9 500 тенге за тонну.", [(Decimal("9500"), "KZT/t")]),
        ("Вложат 12 миллиардов тенге.", [(Decimal("12000000000"), "KZT")]),
        ("Привлекли 2,5 миллиарда долларов.", [(Decimal("2500000000"), "USD")]),
        ("Выделено 4 миллиона тенге.", [(Decimal("4000000"), "KZT")]),
        ("Вывезено 3 тысячи тонн.", [(Decimal("3000"), "t")]),
        ("Бюджет — 1,1 триллиона тенге.", [(Decimal("1100000000000"), "KZT")]),
        ("Стоимость — 1 трлн 250 млрд тенге.", [(Decimal("1250000000000"), "KZT")]),
        ("Потратили 2 млрд 300 млн тенге.", [(Decimal("2300000000"), "KZT")]),
    ],
)
def test_scale_and_unit(text: str, expected: list[tuple[Decimal, str]]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "В 2024 году итоги подвели на сессии.",
        "Новость опубликована 05.03.2025 в 10:15.",
        "Программа рассчитана до 2030 года.",
        "За 9 месяцев года итоги подведены.",
        "Работы длятся 5 лет.",
        "Матч COVID-19 отменили, ТЭЦ-3 работает.",
        "Это 2-й этап проекта.",
    ],
)
def test_dates_years_durations_and_names_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_a_range_gives_both_ends_with_the_shared_unit_and_scale() -> None:
    assert figures("Инвестиции составят от 5 до 7 млрд тенге.") == [
        (Decimal("5000000000"), "KZT"),
        (Decimal("7000000000"), "KZT"),
    ]
    assert figures("Прирост составит 3–4 процента.") == [
        (Decimal("3"), "percent"),
        (Decimal("4"), "percent"),
    ]


def test_a_change_from_to_marks_its_start_and_its_target() -> None:
    start, target = find_numbers("Перевалка вырастет с 40 тыс. до 90 тыс. тонн.")
    assert (start.value, start.unit, start.change_from) == (Decimal("40000"), "t", True)
    assert (target.value, target.unit, target.change_to) == (Decimal("90000"), "t", True)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Создано более 500 рабочих мест.", Qualifier.MORE_THAN),
        ("Привлекут свыше 20 млрд тенге.", Qualifier.MORE_THAN),
        ("Работают около 300 человек.", Qualifier.ABOUT),
        ("Склад принимает до 40 тыс. тонн.", Qualifier.UP_TO),
        ("Рост составит не менее 2%.", Qualifier.AT_LEAST),
        ("Выпуск вырос почти на 9%.", Qualifier.ALMOST),
        ("Выручка превысила 14 млрд тенге.", Qualifier.MORE_THAN),
    ],
)
def test_hedges_are_kept_as_qualifiers(text: str, qualifier: Qualifier) -> None:
    (mention,) = find_numbers(text)
    assert mention.qualifier is qualifier


def test_elliptic_counts_borrow_the_noun_of_the_first() -> None:
    assert figures("Работают 120 предприятий, из них 20 крупных и 100 малых.") == [
        (Decimal("120"), "count"),
        (Decimal("20"), "count"),
        (Decimal("100"), "count"),
    ]


def test_of_them_counts_what_the_previous_sentence_counted() -> None:
    (previous,) = find_numbers("В пул вошли 40 проектов.")
    (mention,) = find_numbers("В 6 из них участвуют иностранцы.", before=previous)
    assert (mention.value, mention.unit) == (Decimal("6"), "projects")


def test_a_new_level_after_a_verb_of_change_is_no_bound() -> None:
    (mention,) = find_numbers("Число участников выросло до 19 компаний.")
    assert mention.qualifier is None
    (mention,) = find_numbers("Склад примет до 19 тыс. тонн.")
    assert mention.qualifier is Qualifier.UP_TO
