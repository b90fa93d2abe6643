"""Words the renderers put around figures: metrics, topics, statuses, units, names.

Every label goes through gettext with an English msgid; the Russian and Kazakh
texts live in the catalogs under `locales/`.
"""

from __future__ import annotations

from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot.domain import Fact, Qualifier, Status, Topic
from bot.pipeline.gazetteer import load_gazetteer
from bot.render.i18n import DEFAULT_LANGUAGE, LANGUAGES
from bot.domain.metrics import Metric

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
    # A key the vocabulary does not know yet: show it rather than nothing.
    return metric.replace("_", " ")


def metric_labels_everywhere(metric: str) -> tuple[str, ...]:
    """A metric's label in every language (none outside an i18n context)."""
    i18n = I18n.get_current(no_error=True)
    if i18n is None:
        return ()
    labels = []
    for language in LANGUAGES:
        with i18n.use_locale(language):
            labels.append(metric_label(metric))
    return tuple(labels)


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
    """A value with the word that bounds it: "более 2 800 рабочих мест"."""
    match qualifier:
        case None:
            return value
        case Qualifier.MORE_THAN:
            return _("more than {value}").format(value=value)
        case Qualifier.ABOUT:
            return _("about {value}").format(value=value)
        case Qualifier.UP_TO:
            return _("up to {value}").format(value=value)
        case Qualifier.AT_LEAST:
            return _("at least {value}").format(value=value)
        case Qualifier.FROM:
            return _("from {value}").format(value=value)
        case Qualifier.ALMOST:
            return _("almost {value}").format(value=value)
        case Qualifier.LESS_THAN:
            return _("less than {value}").format(value=value)
    return value


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
        case "train pairs":
            text = ngettext("{number} pair of trains", "{number} pairs of trains", n)
        case "train pairs/day":
            text = ngettext("{number} pair of trains a day", "{number} pairs of trains a day", n)
        case "count" | "":
            return number
        case _:
            return None
    return text.format(number=number)


def with_unit(unit: str, number: str, n: int) -> str:
    """A formatted number with its unit; `n` picks the plural form. Money and
    percent are not here: Babel formats them."""
    text = counted(unit, number, n)
    if text is not None:
        return text
    symbol = unit_symbol(unit)
    # A unit this vocabulary does not know yet is shown as stored.
    return f"{number} {symbol or unit}"


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
