"""Facts as a CSV table for spreadsheets.

UTF-8 with a byte order mark, so that Excel opens Cyrillic and Kazakh text
correctly; semicolons between fields, as Excel expects in the Russian and Kazakh
locales, where the comma is the decimal mark. Values are written exactly as
stored (a plain decimal, no rounding, no grouping) next to the text the bot
shows, and every row carries its source and date.

Beside the translated labels sit plain code columns (`topic`, `entity_key`,
`metric`, `qualifier`, `period_key`, `status`, `outlet`, `date_precision`, and the
indicator's `object`, `per`, `value_max`, `part_of`, `lang`, `document_lang`):
stored values under the same header in every language, so that a program can
read the file back into the same facts whichever language it was exported in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.domain import DatePrecision, Fact, Source, Topic
from bot.render.facts import outlet_name
from bot.render.format import format_figure, format_period, format_source_date
from bot.render.html import echo, escape
from bot.render.labels import metric_label, status_label, subject_name, topic_label

BOM = "\ufeff"
DELIMITER = ";"


# The code columns' headers: identifiers, the same in every language.
TOPIC = "topic"
ENTITY_KEY = "entity_key"
METRIC = "metric"
QUALIFIER = "qualifier"
PERIOD_KEY = "period_key"
STATUS = "status"
OUTLET = "outlet"
DATE_PRECISION = "date_precision"
OBJECT = "object"
PER = "per"
VALUE_MAX = "value_max"
PART_OF = "part_of"
LANG = "lang"
DOCUMENT_LANG = "document_lang"


def headers() -> list[str]:
    return [
        _("ID"),
        _("Topic"),
        TOPIC,
        _("Subject"),
        _("Name"),
        ENTITY_KEY,
        _("Metric"),
        METRIC,
        _("Value"),
        QUALIFIER,
        _("Unit"),
        _("Period"),
        PERIOD_KEY,
        _("Status"),
        STATUS,
        _("Figure as shown"),
        _("Source"),
        OUTLET,
        _("Link"),
        _("Published"),
        DATE_PRECISION,
        _("Publication date"),
        _("Quote"),
        _("Document"),
        OBJECT,
        PER,
        VALUE_MAX,
        PART_OF,
        LANG,
        DOCUMENT_LANG,
    ]


def fact_row(fact: Fact) -> list[str]:
    period = format_period(fact.period)
    source = fact.source
    return [
        str(fact.id),
        topic_label(fact.topic),
        fact.topic.value,
        fact.subject,
        subject_name(fact),
        fact.entity_key or "",
        metric_label(fact.metric),
        fact.metric,
        exact_value(fact),
        fact.qualifier.value if fact.qualifier else "",
        fact.unit,
        period,
        fact.period.key() if fact.period else "",
        status_label(fact.status),
        fact.status.value,
        format_figure(fact),
        outlet_name(source),
        source.outlet or "",
        source.url or "",
        iso_date(source),
        source.precision.value,
        format_source_date(source),
        fact.quote,
        source.file_name,
        fact.object or "",
        fact.per or "",
        format(fact.value_max, "f") if fact.value_max is not None else "",
        str(fact.part_of) if fact.part_of is not None else "",
        fact.lang,
        source.lang or "",
    ]


def exact_value(fact: Fact) -> str:
    """The stored value as a plain decimal: "1600000000000", "11.1"."""
    return format(fact.value, "f")


def iso_date(source: Source) -> str:
    """ "2025-09-11"; an estimated window as an ISO interval, "2025-08-01/2025-09-30"."""
    if source.published is None or source.precision == DatePrecision.UNKNOWN:
        return ""
    if source.precision == DatePrecision.ESTIMATED and source.published_to:
        return f"{source.published.isoformat()}/{source.published_to.isoformat()}"
    return source.published.isoformat()


def facts_csv(facts: Sequence[Fact]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(headers())
    writer.writerows(fact_row(fact) for fact in facts)
    return (BOM + buffer.getvalue()).encode("utf-8")


def export_filename(topic: Topic | None) -> str:
    return f"karaganda-facts-{topic.value if topic else 'all'}.csv"


def export_caption(topic: Topic | None, facts: Sequence[Fact]) -> str:
    title = topic_label(topic) if topic else _("All facts")
    count = ngettext("{count} fact", "{count} facts", len(facts)).format(count=len(facts))
    sources = len({fact.source.id for fact in facts})
    documents = ngettext("{count} source", "{count} sources", sources).format(count=sources)
    return f"📄 <b>{escape(title)}</b>\n{escape(count)} · {escape(documents)}"


def nothing_to_export_text() -> str:
    return _("There are no figures to export yet.")


def unknown_topic_text(asked: str) -> str:
    return _("I don't know the topic «{topic}».").format(topic=echo(asked))
