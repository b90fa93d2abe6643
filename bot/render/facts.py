"""Facts as Telegram HTML: one fact, a topic answer, a subject card, the sources,
search results — each cut into pages that Telegram accepts.

Everything that comes from the store is escaped; the markup uses only tags
Telegram knows. A page is a run of whole blocks (one fact each, with its source
and quote), so no fact is ever cut between two messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.domain import Fact, Source, Topic
from bot.queries.facts import SourceSummary, SubjectFacts, Timeline
from bot.render.format import format_period, format_source_date, format_value
from bot.render.html import PAGE_LIMIT, escape, link, shorten, telegram_length
from bot.render.labels import (
    TOPIC_EMOJI,
    entity_name,
    metric_label,
    region_name,
    status_label,
    subject_name,
    topic_label,
)

SUBJECT_LIMIT = 200
QUOTE_LIMIT = 700
OUTLET_LIMIT = 80
TITLE_LIMIT = 200
QUERY_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a page that is never split, under a heading that is repeated
    when a page starts in the middle of its group."""

    text: str
    heading: str | None = None


# ---- pieces -------------------------------------------------------------------


def value_html(fact: Fact) -> str:
    """Value, period and status: "1,6 трлн ₸ до 2028 г. (план)"."""
    text = format_value(fact.value, fact.unit, fact.qualifier)
    period = format_period(fact.period)
    if period:
        text = f"{text} {period}"
    return escape(f"{text} ({status_label(fact.status)})")


def outlet_name(source: Source) -> str:
    if source.outlet:
        return source.outlet
    host = urlsplit(source.url).hostname if source.url else None
    return host or source.file_name


def source_html(source: Source) -> str:
    """Outlet linked to the article, and its date: "BAQ.kz, дата не указана (≈ …)"."""
    outlet = link(shorten(outlet_name(source), OUTLET_LIMIT), source.url)
    return f"{outlet}, {escape(format_source_date(source))}"


def quote_html(fact: Fact) -> str:
    """The sentence the figure comes from, in the language it was written in."""
    return f"<blockquote expandable>{escape(shorten(fact.quote, QUOTE_LIMIT))}</blockquote>"


def subject_html(name: str) -> str:
    return f"<b>{escape(shorten(name, SUBJECT_LIMIT))}</b>"


def fact_html(fact: Fact, *, with_subject: bool = True, with_quote: bool = True) -> str:
    """One fact on its own: subject, metric, value, period, plan or actual, source."""
    label = escape(metric_label(fact.metric))
    line = f"{label}: {value_html(fact)}"
    if with_subject:
        line = f"{subject_html(subject_name(fact))}\n{line}"
    lines = [
        line,
        "<i>{}</i>".format(_("Source: {source}").format(source=source_html(fact.source))),
    ]
    if with_quote and fact.quote.strip():
        lines.append(quote_html(fact))
    return "\n".join(lines)


def timeline_blocks(
    timeline: Timeline, heading: str, *, quote_earlier: bool, shown_quotes: set[str]
) -> list[Block]:
    """The newest document's figures, then the older ones as a dated timeline.

    Several figures often come from one sentence: its quote is shown once, under
    the first of them (`shown_quotes` carries what the subject already showed).
    """
    blocks = []
    for fact in timeline.current:
        with_quote = fact.quote not in shown_quotes
        shown_quotes.add(fact.quote)
        text = "• " + fact_html(fact, with_subject=False, with_quote=with_quote)
        blocks.append(Block(text, heading))
    for index, fact in enumerate(timeline.earlier):
        line = f"  ◦ {value_html(fact)} — {source_html(fact.source)}"
        if index == 0:
            line = "  <i>{}</i>\n{}".format(escape(_("Earlier:")), line)
        if quote_earlier and fact.quote.strip() and fact.quote not in shown_quotes:
            shown_quotes.add(fact.quote)
            line = f"{line}\n{quote_html(fact)}"
        blocks.append(Block(line, heading))
    return blocks


def subject_blocks(group: SubjectFacts, *, quote_earlier: bool = False) -> list[Block]:
    heading = subject_html(entity_name(group.entity_key, group.subject))
    shown_quotes: set[str] = set()
    blocks: list[Block] = []
    for timeline in group.timelines:
        blocks.extend(
            timeline_blocks(
                timeline, heading, quote_earlier=quote_earlier, shown_quotes=shown_quotes
            )
        )
    return blocks


# ---- pages --------------------------------------------------------------------


def paginate(header: str, blocks: Sequence[Block], *, limit: int = PAGE_LIMIT) -> list[str]:
    """Whole blocks packed into pages whose visible text fits `limit`.

    Visible lengths add up over whole elements, so each piece is measured once.
    """
    bodies: list[str] = []
    body: list[str] = []
    length = 0
    heading: str | None = None
    base = telegram_length(header) + 2
    for block in blocks:
        piece = _piece(block, heading, first=not body)
        size = telegram_length(piece)
        if body and base + length + size > limit:
            bodies.append("".join(body))
            body, length = [], 0
            piece = _piece(block, None, first=True)
            size = telegram_length(piece)
        body.append(piece)
        length += size
        heading = block.heading
    if body:
        bodies.append("".join(body))
    pages = [f"{header}\n\n{text}" for text in bodies] or [header]
    if len(pages) == 1:
        return pages
    return [
        "{}\n\n<i>{}</i>".format(
            page, escape(_("Page {page} of {pages}").format(page=i + 1, pages=len(pages)))
        )
        for i, page in enumerate(pages)
    ]


def _piece(block: Block, heading: str | None, *, first: bool) -> str:
    """A block as it joins a page: after a blank line, or a line break within its
    group, with its group's heading when the group starts here."""
    if block.heading is not None and block.heading == heading and not first:
        return "\n" + block.text
    separator = "" if first else "\n\n"
    if block.heading is not None:
        return f"{separator}{block.heading}\n{block.text}"
    return separator + block.text


def topic_header(topic: Topic) -> str:
    return f"{TOPIC_EMOJI[topic]} <b>{escape(topic_label(topic))} · {escape(region_name())}</b>"


def render_topic(topic: Topic, groups: Sequence[SubjectFacts]) -> list[str]:
    """A topic answer: subjects with their newest figures first, older ones as timelines."""
    header = topic_header(topic)
    if not groups:
        return [header + "\n\n" + escape(_("There are no figures on this topic yet."))]
    blocks = [block for group in groups for block in subject_blocks(group)]
    return paginate(header, blocks)


def render_card(group: SubjectFacts, topic: Topic | None = None) -> list[str]:
    """Everything known about one subject, every figure with its quote."""
    name = entity_name(group.entity_key, group.subject)
    topics = group.topics if topic is None else (topic,)
    emoji = TOPIC_EMOJI[topics[0]] if topics else "📌"
    context = " · ".join([*(topic_label(t) for t in topics), region_name()])
    header = f"{emoji} {subject_html(name)}\n<i>{escape(context)}</i>"
    blocks = [Block(block.text) for block in subject_blocks(group, quote_earlier=True)]
    return paginate(header, blocks)


def render_sources(summaries: Sequence[SourceSummary]) -> list[str]:
    """The documents the store was built from, newest first, with their dates."""
    header = "📚 <b>{}</b>".format(escape(_("Sources")))
    if not summaries:
        return [header + "\n\n" + escape(_("No documents have been added yet."))]
    blocks = []
    for number, summary in enumerate(summaries, start=1):
        source = summary.source
        count = ngettext("{count} fact", "{count} facts", summary.facts).format(count=summary.facts)
        text = f"{number}. {source_html(source)} · {escape(count)}"
        if source.title:
            text += f"\n<i>{escape(shorten(source.title, TITLE_LIMIT))}</i>"
        blocks.append(Block(text))
    return paginate(header, blocks)


def render_search(query: str, facts: Sequence[Fact]) -> list[str]:
    """Search results: each fact whole, with its subject, source and quote."""
    shown = shorten(query, QUERY_LIMIT)
    if not facts:
        return ["🔎 " + escape(_("Nothing found for «{query}».").format(query=shown))]
    found = ngettext(
        "Found {count} fact for «{query}»", "Found {count} facts for «{query}»", len(facts)
    ).format(count=len(facts), query=shown)
    header = f"🔎 <b>{escape(found)}</b>"
    return paginate(header, [Block(fact_html(fact)) for fact in facts])


def render_fact(fact: Fact) -> str:
    """A single fact as a message of its own."""
    return f"{TOPIC_EMOJI[fact.topic]} {fact_html(fact)}"
