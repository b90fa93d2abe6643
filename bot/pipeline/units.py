"""Unit vocabularies: what a word after a number says the number counts.

Hand-kept reference data about the language, not about any document.
"""

from __future__ import annotations

import re

MULTIPLIERS: dict[str, int] = {
    "тыс": 10**3,
    "тысяча": 10**3,
    "млн": 10**6,
    "миллион": 10**6,
    "млрд": 10**9,
    "миллиард": 10**9,
    "трлн": 10**12,
    "триллион": 10**12,
}
MULTIPLIER = re.compile(
    r"\s*(тыс\.?|тысяч[аиу]?|млн\.?|миллион(?:ами|ам|ах|ов|а|е)?|млрд\.?|"
    r"миллиард(?:ами|ам|ах|ов|а|е)?|трлн\.?|триллион(?:ами|ам|ах|ов|а|е)?)(?![а-яё])",
    re.IGNORECASE,
)

CURRENCY = re.compile(
    r"\s*(тенге|тг\b\.?|₸|KZT\b|долл(?:ар(?:ов|ами|ам|а|ы)?)?\b\.?|\$|USD\b|"
    r"евро\b|€|EUR\b|рубл(?:ей|я|ь|ями)\b|RUB\b|юан(?:ей|я|ь)\b|CNY\b)",
    re.IGNORECASE,
)
CURRENCY_CODES = {
    "тенге": "KZT",
    "тг": "KZT",
    "₸": "KZT",
    "kzt": "KZT",
    "долл": "USD",
    "$": "USD",
    "usd": "USD",
    "евро": "EUR",
    "€": "EUR",
    "eur": "EUR",
    "рубл": "RUB",
    "rub": "RUB",
    "юан": "CNY",
    "cny": "CNY",
}
PREFIX_CURRENCY = re.compile(r"(\$|€|₸)\s*$")

PER_UNIT = re.compile(
    r"\s*(?:за|/)\s*(тонну|т\b|килограмм|кг\b|литр|л\b|кубометр|куб\.?\s*м|квадратный метр|"
    r"кв\.?\s*м(?:етр)?|гектар|га\b|кВт[·*⋅]?ч|киловатт-час|гигакалори|Гкал|штуку|единицу)",
    re.IGNORECASE,
)
PER_UNIT_CODES = [
    ("кв", "m2"),
    ("тонн", "t"),
    ("т", "t"),
    ("кило", "kg"),
    ("кг", "kg"),
    ("литр", "l"),
    ("л", "l"),
    ("куб", "m3"),
    ("гектар", "ha"),
    ("га", "ha"),
    ("квт", "kWh"),
    ("киловатт", "kWh"),
    ("гигакал", "Gcal"),
    ("гкал", "Gcal"),
    ("шту", "unit"),
    ("едини", "unit"),
]

PERCENT = re.compile(
    r"\s*(%|процент(?:ов|ами|ам|ах|а|ы)?\b|п\.\s?п\.|процентн(?:ых|ого|ый)\s+пункт)",
    re.IGNORECASE,
)
TIMES = re.compile(r"\s*раз(?:а)?\b", re.IGNORECASE)

# Units written as abbreviations or symbols, matched on the text right after the number.
SYMBOL_UNITS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\s*(?:кв\.?\s*км\b\.?|км²|км2\b|квадратн\w+\s+километр\w*)", re.I),
        "km2",
    ),
    (
        re.compile(r"\s*(?:кв\.?\s*(?:м\b\.?|метр\w*)|м²|м2\b|квадратн\w+\s+метр\w*)", re.I),
        "m2",
    ),
    (re.compile(r"\s*(?:куб\.?\s*м\b\.?|м³|м3\b|кубометр\w*|кубическ\w+\s+метр\w*)", re.I), "m3"),
    (re.compile(r"\s*(?:МВт|мегаватт\w*)", re.I), "MW"),
    (re.compile(r"\s*(?:ГВт|гигаватт\w*)", re.I), "GW"),
    (re.compile(r"\s*(?:кВт[·*⋅]?ч|киловатт-час\w*)", re.I), "kWh"),
    (re.compile(r"\s*(?:кВт|киловатт\w*)", re.I), "kW"),
    (re.compile(r"\s*(?:га\b|гектар\w*)", re.I), "ha"),
    (re.compile(r"\s*(?:км\b\.?|километр\w*)", re.I), "km"),
    (re.compile(r"\s*(?:т\b\.?(?!\s*е\.)|тонн\w*)", re.I), "t"),
    (re.compile(r"\s*(?:кг\b\.?|килограмм\w*)", re.I), "kg"),
    (re.compile(r"\s*(?:Гкал\b|гигакалори\w*)", re.I), "Gcal"),
]

# Counted nouns (lemmas) and the unit of a number that counts them.
NOUN_UNITS: dict[str, str] = {
    # projects
    "проект": "projects",
    "инвестпроект": "projects",
    "инвестпроекты": "projects",
    # zone participants
    "участник": "participants",
    "резидент": "participants",
    # orders and parcels
    "заказ": "orders",
    "посылка": "orders",
    "отправление": "orders",
    # people and passengers
    "пассажир": "passengers",
    # things made or installed: pieces
    "единица": "units",
    "штука": "units",
    "автобус": "units",
    "шина": "units",
    "покрышка": "units",
    "автомобиль": "units",
    "машина": "units",
    "техника": "units",
    "спецтехника": "units",
    "вагон": "units",
    "локомотив": "units",
    "трактор": "units",
    "комбайн": "units",
    "печь": "units",
    "турбина": "units",
    "ветрогенератор": "units",
    "ветроустановка": "units",
    "ветряк": "units",
    "генератор": "units",
    "конвертер": "units",
    "телевизор": "units",
    "холодильник": "units",
    "радиатор": "units",
    "контейнер": "units",
    "трансформатор": "units",
    "станок": "units",
    "панель": "units",
    "котел": "units",
    "лифт": "units",
    "электровоз": "units",
    "тепловоз": "units",
}
# Nouns of time: a number before them is a duration or a date, never a fact.
TIME_NOUNS = frozenset(
    {
        "год",
        "лет",
        "лето",
        "месяц",
        "неделя",
        "день",
        "сутки",
        "час",
        "минута",
        "секунда",
        "квартал",
        "полугодие",
        "век",
        "десятилетие",
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
        "гг",
        "г",
    }
)
# Nouns that mean people in work when the sentence is about employment.
PEOPLE_NOUNS = frozenset({"человек", "работник", "сотрудник", "специалист", "рабочий", "житель"})
JOB_CONTEXT = frozenset(
    {
        "трудоустроить",
        "трудоустройство",
        "работа",
        "занятость",
        "занять",
        "работать",
        "рабочий",
        "трудиться",
        "штат",
        "вакансия",
        "нанять",
        "принять",
    }
)
