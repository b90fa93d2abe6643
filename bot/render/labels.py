"""Words the renderers put around figures: metrics, topics, statuses, units, names.

Every label goes through gettext with an English msgid; the Russian and Kazakh
texts live in the catalogs under `locales/`.
"""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.domain import Fact, Qualifier, Status, Topic
from bot.domain.metrics import Metric
from bot.pipeline.gazetteer import load_gazetteer
from bot.pipeline.measures import repeats_measure
from bot.render.i18n import DEFAULT_LANGUAGE, LANGUAGES

REGION_KEY = "karaganda_region"

TOPIC_EMOJI: dict[Topic, str] = {
    Topic.INVESTMENTS: "💼",
    Topic.ZONES: "🏭",
    Topic.CARGO: "✈️",
    Topic.PRODUCTION: "⚙️",
    Topic.JOBS: "👷",
    Topic.OTHER: "📌",
}


def current_language() -> str:
    """The language of the update being handled ("ru" outside any update)."""
    from aiogram.utils.i18n import get_i18n

    try:
        language = get_i18n().current_locale
    except LookupError:
        return DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def metric_label(metric: str) -> str:
    match metric:
        case Metric.INVESTMENT:
            return _("Investment")
        case Metric.FIXED_CAPITAL_INVESTMENT:
            return _("Fixed capital investment")
        case Metric.PROJECT_COST:
            return _("Project cost")
        case Metric.OUTPUT_VALUE:
            return _("Output value")
        case Metric.REVENUE:
            return _("Revenue")
        case Metric.PRICE:
            return _("Price")
        case Metric.PROJECTS:
            return _("Projects")
        case Metric.PARTICIPANTS:
            return _("Participants")
        case Metric.ENTERPRISES:
            return _("Enterprises")
        case Metric.JOBS:
            return _("Jobs")
        case Metric.UNITS_PRODUCED:
            return _("Units produced")
        case Metric.VOLUME:
            return _("Volume")
        case Metric.CAPACITY:
            return _("Capacity")
        case Metric.POWER:
            return _("Power capacity")
        case Metric.CARGO:
            return _("Cargo")
        case Metric.THROUGHPUT:
            return _("Throughput")
        case Metric.AREA:
            return _("Area")
        case Metric.GROWTH:
            return _("Growth")
        case Metric.SHARE:
            return _("Share")
        case Metric.RATE:
            return _("Rate")
        case Metric.COUNT:
            return _("Count")
        case Metric.AMOUNT:
            return _("Amount")
    # A measure the catalogs do not have yet: its label from the measure taxonomy.
    from bot.pipeline.measures import measure_label

    return measure_label(metric, current_language()) or metric.replace("_", " ")


def measure_label(metric: str) -> str:
    """What a figure measures, in the reader's language: the one place the renderers
    take it from."""
    return metric_label(metric)


def object_label(measured: str) -> str:
    """What is measured ("чугун"), as the source names it, first letter raised."""
    return measured[:1].upper() + measured[1:]


def shown_object(fact: Fact) -> str | None:
    """What is measured, where the reader can take it as written: the object is the
    source's own words, so only a reader of the source's language sees it, and not when
    it merely repeats the measure ("участники" of the participants)."""
    if not fact.object or fact.lang != current_language():
        return None
    if repeats_measure(fact.metric, fact.object):
        return None
    return fact.object


def indicator_label(fact: Fact) -> str:
    """The indicator a figure gives: its measure, and what is measured when the source
    names it: "Инвестиции в основной капитал", "Чугун — рост"."""
    measure = measure_label(fact.metric)
    measured = shown_object(fact)
    if not measured:
        return measure
    return _("{object} — {measure}").format(
        object=object_label(measured), measure=measure[:1].lower() + measure[1:]
    )


def per_label(per: str | None) -> str:
    """A rate's time unit: "в год", "в сутки" …; empty for a figure that is no rate."""
    match per:
        case "year":
            return _("per year")
        case "month":
            return _("per month")
        case "day":
            return _("per day")
        case "hour":
            return _("per hour")
    return ""


def quote_marker(lang: str) -> str:
    """The language of a quote, named in that language: "рус.", "қаз."."""
    if lang == "kk":
        return _("kaz. (quote in Kazakh)", locale="kk")
    return _("rus. (quote in Russian)", locale="ru")


def topic_label(topic: Topic) -> str:
    match topic:
        case Topic.INVESTMENTS:
            return _("Investments")
        case Topic.ZONES:
            return _("Economic zones")
        case Topic.CARGO:
            return _("Cargo and logistics")
        case Topic.PRODUCTION:
            return _("Production")
        case Topic.JOBS:
            return _("Jobs and employment")
        case Topic.OTHER:
            return _("Other figures")
    return str(topic)


def topic_button(topic: Topic) -> str:
    """A topic with its emoji, as on buttons: "💼 Инвестиции"."""
    return f"{TOPIC_EMOJI[topic]} {topic_label(topic)}"


def status_label(status: Status) -> str:
    match status:
        case Status.PLAN:
            return _("plan")
        case Status.ACTUAL:
            return _("actual")
    return str(status)


def qualified(qualifier: Qualifier | None, value: str) -> str:
    """A value with the word that bounds it: "более 2 800 рабочих мест",
    "2 300-ден астам жұмыс орны".

    Kazakh bounds are postpositions that put the figure in a case: the Kazakh texts
    name `{value_from}` (ablative) or `{value_to}` (dative) instead of `{value}`.
    """
    match qualifier:
        case None:
            return value
        case Qualifier.MORE_THAN:
            template = _("more than {value}")
        case Qualifier.ABOUT:
            template = _("about {value}")
        case Qualifier.UP_TO:
            template = _("up to {value}")
        case Qualifier.AT_LEAST:
            template = _("at least {value}")
        case Qualifier.FROM:
            template = _("from {value}")
        case Qualifier.ALMOST:
            template = _("almost {value}")
        case Qualifier.LESS_THAN:
            template = _("less than {value}")
        case _:
            return value
    if "{value_" not in template:
        return template.format(value=value)
    from bot.render.kazakh import ablative, dative

    return template.format(value=value, value_from=ablative(value), value_to=dative(value))


def unit_symbol(unit: str) -> str | None:
    """The abbreviation of a measured unit: "т", "га", "МВт"; None for counted things."""
    match unit:
        case "t":
            return _("t (tonnes)")
        case "kg":
            return _("kg")
        case "ha":
            return _("ha")
        case "m2" | "m²":
            return _("m²")
        case "m3" | "m³":
            return _("m³")
        case "km":
            return _("km")
        case "km2" | "km²":
            return _("km²")
        case "kW":
            return _("kW")
        case "MW":
            return _("MW")
        case "GW":
            return _("GW")
        case "kWh":
            return _("kWh")
        case "Gcal":
            return _("Gcal")
        case "l":
            return _("l (litres)")
        case "c":
            return _("c (centners)")
        case "c/ha":
            return _("c/ha")
        case "unit":
            return _("pc. (piece)")
    return None


def counted(unit: str, number: str, n: int) -> str | None:
    """A number of things with the noun in its plural form: "2 800 рабочих мест"."""
    match unit:
        case "jobs":
            text = ngettext("{number} job", "{number} jobs", n)
        case "units":
            text = ngettext("{number} unit", "{number} units", n)
        case "projects":
            text = ngettext("{number} project", "{number} projects", n)
        case "participants":
            text = ngettext("{number} participant", "{number} participants", n)
        case "orders":
            text = ngettext("{number} order", "{number} orders", n)
        case "enterprises":
            text = ngettext("{number} enterprise", "{number} enterprises", n)
        case "people":
            text = ngettext("{number} person", "{number} people", n)
        case "passengers":
            text = ngettext("{number} passenger", "{number} passengers", n)
        case "times":
            text = ngettext("{number} time", "{number} times", n)
        case "apartments":
            text = ngettext("{number} apartment", "{number} apartments", n)
        case "houses":
            text = ngettext("{number} house", "{number} houses", n)
        case "subscribers":
            text = ngettext("{number} subscriber", "{number} subscribers", n)
        case "trains":
            text = ngettext("{number} train", "{number} trains", n)
        case "trucks":
            text = ngettext("{number} truck", "{number} trucks", n)
        case "wagons":
            text = ngettext("{number} wagon", "{number} wagons", n)
        case "train pairs":
            text = ngettext("{number} pair of trains", "{number} pairs of trains", n)
        case "count" | "":
            return number
        case _:
            return None
    return text.format(number=number)


# The time a rate's unit ends with ("wagons/day"): the figure's rate (`per_label`) says it.
RATE_SUFFIXES = ("/day", "/h", "/month", "/year")


def with_unit(unit: str, number: str, n: int) -> str:
    """A formatted number with its unit; `n` picks the plural form. Money and
    percent are not here: Babel formats them. A rate's unit is shown without its time
    ("35 вагонов", then "в сутки" from the figure's rate)."""
    text = counted(unit, number, n)
    if text is not None:
        return text
    symbol = unit_symbol(unit)
    if symbol is not None:
        return f"{number} {symbol}"
    base = next((unit.removesuffix(s) for s in RATE_SUFFIXES if unit.endswith(s)), None)
    if base is not None:
        text = counted(base, number, n)
        if text is not None:
            return text
        if (symbol := unit_symbol(base)) is not None:
            return f"{number} {symbol}"
    # A unit this vocabulary does not know yet is shown as stored.
    return f"{number} {unit}"


def per_unit(money: str, unit: str) -> str:
    """A price per unit: "15 тыс. ₸/т"."""
    return f"{money}/{unit_symbol(unit) or unit}"


def entity_name(entity_key: str | None, fallback: str) -> str:
    """The gazetteer's name of an entity in the current language, else `fallback`."""
    entity = load_gazetteer().get(entity_key)
    return entity.name(current_language()) if entity else fallback


def subject_name(fact: Fact) -> str:
    return entity_name(fact.entity_key, fact.subject)


def region_name() -> str:
    return entity_name(REGION_KEY, _("Karaganda region"))


def language_name(language: str) -> str:
    """A language's name in that language itself, for the /lang buttons."""
    if language == "kk":
        return _("Kazakh", locale="kk")
    return _("Russian", locale="ru")
