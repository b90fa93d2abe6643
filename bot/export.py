"""Facts as a CSV table for spreadsheets.

UTF-8 with a byte order mark, so that Excel opens Cyrillic and Kazakh text
correctly; semicolons between fields, as Excel expects in the Russian and Kazakh
locales, where the comma is the decimal mark. Values are written exactly as
stored (a plain decimal, no rounding, no grouping) next to the text the bot
shows, and every row carries its source and date.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.domain import DatePrecision, Fact, Source, Topic
from bot.render.facts import outlet_name
from bot.render.format import format_period, format_source_date, format_value
from bot.render.html import escape
from bot.render.labels import metric_label, status_label, subject_name, topic_label

BOM = "\ufeff"
DELIMITER = ";"


def headers() -> list[str]:
    return [
        _("ID"),
        _("Topic"),
        _("Subject"),
        _("Name"),
        _("Metric"),
        _("Value"),
        _("Unit"),
        _("Period"),
        _("Status"),
        _("Figure as shown"),
        _("Source"),
        _("Link"),
        _("Published"),
        _("Publication date"),
        _("Quote"),
        _("Document"),
    ]


def fact_row(fact: Fact) -> list[str]:
    figure = format_value(fact.value, fact.unit, fact.qualifier)
    period = format_period(fact.period)
    return [
        str(fact.id),
        topic_label(fact.topic),
        fact.subject,
        subject_name(fact),
        metric_label(fact.metric),
        exact_value(fact),
        fact.unit,
        period,
        status_label(fact.status),
        f"{figure} {period}".strip(),
        outlet_name(fact.source),
        fact.source.url or "",
        iso_date(fact.source),
        format_source_date(fact.source),
        fact.quote,
        fact.source.file_name,
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
    return _("I don't know the topic «{topic}».").format(topic=asked)
