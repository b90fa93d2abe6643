"""How Kazakh news writes figures: case endings on digits, multipliers in their
case forms, hedges after the number, number words, percent and units."""

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
        ("Зауыт құрылысына 45 млрд теңге бөлінді.", [(Decimal("45000000000"), "KZT")]),
        ("Кен орнына 1,2 трлн теңгеден астам қаржы салынады.", [(Decimal("1.2E12"), "KZT")]),
        ("Элеваторлар 650 мың тоннаға дейін астық сақтайды.", [(Decimal("650000"), "t")]),
        ("Жаңа ауданда 3,4 мыңнан астам пәтер салынды.", [(Decimal("3400"), "apartments")]),
        ("Күн электр станциясының қуаты 120 мегаватт болады.", [(Decimal("120"), "MW")]),
        ("Егістік 18 мың гектарға кеңейді.", [(Decimal("18000"), "ha")]),
        ("Тұрғын үй 240 мың шаршы метрге жетті.", [(Decimal("240000"), "m2")]),
        ("Жол 86 шақырымға созылады.", [(Decimal("86"), "km")]),
        ("Өндіріс 7,5 пайызға өсті.", [(Decimal("7.5"), "percent")]),
        ("Бағасы 12%-ға төмендеді.", [(Decimal("12"), "percent")]),
        ("Станса күн сайын 450-ден астам вагон қабылдайды.", [(Decimal("450"), "wagons/day")]),
        ("Теміржол арқылы 24 пойыз өтті.", [(Decimal("24"), "trains")]),
        ("Бекеттен 310 контейнерлік пойыз өтті.", [(Decimal("310"), "trains")]),
        ("Жобаға 1,5 млрд-тан астам теңге жұмсалды.", [(Decimal("1500000000"), "KZT")]),
        ("Ауылда 12 жаңа кәсіпорын ашылды.", [(Decimal("12"), "count")]),
        ("Қыс алдында 9 қазандық жөнделді.", [(Decimal("9"), "units")]),
        ("Тәулігіне 8 мың тонна кен тиеледі.", [(Decimal("8000"), "t/day")]),
        ("Инвестиция 2 трлн 40 млрд теңгені құрады.", [(Decimal("2040000000000"), "KZT")]),
    ],
)
def test_kazakh_scale_and_unit(text: str, expected: list[tuple[Decimal, str]]) -> None:
    assert [(value.normalize(), unit) for value, unit in figures(text)] == [
        (value.normalize(), unit) for value, unit in expected
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Зауытта 1,2 мыңнан астам адам жұмыс істейді.", (Decimal("1200"), "jobs")),
        ("Жобалар 640-қа жуық жаңа жұмыс орнын ашады.", (Decimal("640"), "jobs")),
        ("Облыста 27 инвестициялық жоба іске асырылуда.", (Decimal("27"), "projects")),
        ("Мерекеге 300-ге жуық адам жиналды.", (Decimal("300"), "people")),
        ("Цехта 420 жұмысшы еңбек етеді.", (Decimal("420"), "jobs")),
    ],
)
def test_kazakh_counted_things(text: str, expected: tuple[Decimal, str]) -> None:
    (mention,) = find_numbers(text)
    assert (mention.value, mention.unit) == expected


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Аймақта 500-ден астам жұмыс орны бар.", Qualifier.MORE_THAN),
        ("Қоймада 70 мың тоннаға жуық көмір жатыр.", Qualifier.ABOUT),
        ("Шамамен 40 млрд теңге жұмсалады.", Qualifier.ABOUT),
        ("Кем дегенде 15 жоба іске қосылады.", Qualifier.AT_LEAST),
        ("Терминал 200 мың тоннаға дейін жүк өңдейді.", Qualifier.UP_TO),
        ("Өнім 30 пайыздан артық өсті.", Qualifier.MORE_THAN),
    ],
)
def test_kazakh_hedges_follow_the_number(text: str, qualifier: Qualifier) -> None:
    (mention,) = find_numbers(text)
    assert mention.qualifier is qualifier


def test_a_level_reached_after_dejin_is_no_bound() -> None:
    (mention,) = find_numbers("Экспорт 9 млн тоннаға дейін өсті.")
    assert (mention.value, mention.unit, mention.qualifier) == (Decimal("9000000"), "t", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Өнім көлемі екі есе артты.", (Decimal("2"), "times")),
        ("Тасымал үш есе өсті.", (Decimal("3"), "times")),
        ("Бюджет бір жарым миллиард теңгеге жетті.", (Decimal("1500000000"), "KZT")),
        ("Выпуск вырос в два раза.", (Decimal("2"), "times")),
        ("Экспорт 4 есе ұлғайды.", (Decimal("4"), "times")),
        ("Табыс екі есеге көбейді.", (Decimal("2"), "times")),
    ],
)
def test_number_words_before_a_multiplier_or_times(
    text: str, expected: tuple[Decimal, str]
) -> None:
    (mention,) = find_numbers(text)
    assert (mention.value.normalize(), mention.unit) == (expected[0].normalize(), expected[1])


@pytest.mark.parametrize(
    "text",
    [
        "Жоспар 2030 жылға дейін бекітілді.",
        "Келісім 2024 жылы қол қойылды.",
        "Құрылыс 3 жылға созылады.",
        "Бұл өңірдегі 2-інші зауыт.",
        "Мектеп 1 қыркүйекте ашылады.",
        "Бір адам келді, екі адам кетті.",
        "Ол 27 жастағы инженер.",
        "Бұл 3 рет айтылды және жоба жоқ.",
    ],
)
def test_kazakh_dates_durations_ordinals_and_plain_words_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_a_line_of_twenty_thousand_numbers_is_read_in_one_pass() -> None:
    # Each number once looked back over the whole line before it; the line is read
    # now with bounded looks, so this size finishes in well under a second.
    line = ", ".join(f"{n % 900 + 100} тенге" for n in range(20_000))
    mentions = find_numbers(line)
    assert len(mentions) == 20_000
    assert {m.unit for m in mentions} == {"KZT"}


def test_a_hyphen_between_numbers_is_a_range_in_both_languages() -> None:
    assert figures("Үлесі 20-25 пайызға жетеді.") == [
        (Decimal(20), "percent"),
        (Decimal(25), "percent"),
    ]
    assert figures("Выпуск вырастет на 10-15 процентов.") == [
        (Decimal(10), "percent"),
        (Decimal(15), "percent"),
    ]
    assert figures("Отчет от 2024-11-05 без цифр.") == []
    assert figures("Склад примет 1500-2000 тонн.") == [(Decimal(1500), "t"), (Decimal(2000), "t")]


def test_a_kazakh_range_from_ablative_to_dative() -> None:
    assert figures("Өнім 15-тен 20 мың тоннаға дейін өседі.") == [
        (Decimal(15000), "t"),
        (Decimal(20000), "t"),
    ]
