"""Facts as Telegram HTML: one fact, a topic answer, a subject card, the sources,
search results — each cut into pages that Telegram accepts.

Everything that comes from the store is escaped; the markup uses only tags
Telegram knows. A page is a run of whole blocks (one fact each, with its source
and quote), so no fact is ever cut between two messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.domain import MAIN_TOPICS, Fact, Source, Topic
from bot.pipeline.search_terms import Filters
from bot.queries.facts import NO_FILTERS, Card, SourceSummary, SubjectFacts, Timeline, subject_key
from bot.render.format import (
    format_figure,
    format_percent_value,
    format_source_date,
    format_value,
)
from bot.render.html import PAGE_LIMIT, escape, link, shorten, telegram_length
from bot.render.labels import (
    REGION_KEY,
    TOPIC_EMOJI,
    current_language,
    entity_name,
    indicator_label,
    quote_marker,
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
    """Value, range, rate, period and status: "1,6 трлн ₸ до 2028 г. (план)"."""
    return escape(f"{format_figure(fact)} ({status_label(fact.status)})")


def outlet_name(source: Source) -> str:
    if source.outlet:
        return source.outlet
    host = urlsplit(source.url).hostname if source.url else None
    return host or source.file_name


def source_html(source: Source) -> str:
    """Outlet linked to the article, and its date: "BAQ.kz, дата не указана (≈ …)"."""
    outlet = link(shorten(outlet_name(source), OUTLET_LIMIT), source.url)
    return f"{outlet}, {escape(format_source_date(source))}"


def sources_html(fact: Fact) -> str:
    """Every document that states the figure: one line however many there are."""
    citations = fact.all_citations
    if len(citations) == 1:
        return _("Source: {source}").format(source=source_html(citations[0].source))
    return _("Sources: {sources}").format(
        sources="; ".join(source_html(citation.source) for citation in citations)
    )


def quote_html(fact: Fact) -> str:
    """The sentence the figure comes from, in the language it was written in, marked
    with that language when it is not the reader's."""
    marker = ""
    if fact.lang != current_language():
        marker = f"<i>{escape(quote_marker(fact.lang))}</i> "
    return f"<blockquote expandable>{marker}{escape(shorten(fact.quote, QUOTE_LIMIT))}</blockquote>"


def subject_html(name: str) -> str:
    return f"<b>{escape(shorten(name, SUBJECT_LIMIT))}</b>"


def figure_line(fact: Fact) -> str:
    """Indicator and figure: "Чугун — рост: 10 % в 2024 г. (факт)"; a part of a
    whole says so, never reading as a total."""
    line = f"{escape(indicator_label(fact))}: {value_html(fact)}"
    if fact.part_of is not None:
        line = "{} {}".format(escape(_("of which")), line)
    return line


def fact_html(
    fact: Fact,
    *,
    with_subject: bool = True,
    with_quote: bool = True,
    parts: Sequence[Fact] = (),
) -> str:
    """One fact on its own: subject, indicator, value, period, plan or actual, its
    parts under it, its sources."""
    lines = [figure_line(fact)]
    if with_subject:
        lines.insert(0, subject_html(subject_name(fact)))
    lines.extend(f"  ↳ {figure_line(part)}" for part in parts)
    lines.append(f"<i>{sources_html(fact)}</i>")
    if with_quote and fact.quote.strip():
        lines.append(quote_html(fact))
    return "\n".join(lines)


def _period_key(fact: Fact) -> str:
    return fact.period.key() if fact.period is not None else ""


def change_html(old: Fact, new: Fact) -> str:
    """How an indicator moved between two documents: "было 472 → 519, +10 %"."""
    was = format_value(old.value, old.unit)
    now = format_value(new.value, new.unit)
    comparable = (
        old.unit == new.unit
        and old.value_max is None
        and new.value_max is None
        and old.value > 0
        and old.unit != "percent"
    )
    if not comparable:
        return escape(_("was {old} → {new}").format(old=was, new=now))
    change = ((new.value - old.value) / old.value * 100).quantize(Decimal("0.1"))
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return escape(
        _("was {old} → {new}, {change}").format(
            old=was, new=now, change=sign + format_percent_value(abs(change))
        )
    )


def timeline_blocks(
    timeline: Timeline,
    heading: str,
    *,
    quote_earlier: bool,
    shown_quotes: set[str],
    parts: dict[int, list[Fact]] | None = None,
    with_subject: bool = False,
) -> list[Block]:
    """The newest document's figures, then the older ones of the same indicator as a
    dated timeline, with the change from the last of them to the newest.

    Several figures often come from one sentence: its quote is shown once, under
    the first of them (`shown_quotes` carries what the subject already showed). A
    part whose whole the subject shows is shown under that whole (`parts`).
    `with_subject` names the subject over its first figure (a town's card showing what
    is located there).
    """
    parts = parts or {}
    hidden = {part.id for members in parts.values() for part in members}
    current = [fact for fact in timeline.current if fact.id not in hidden]
    earlier = [fact for fact in timeline.earlier if fact.id not in hidden]
    blocks = []
    for index, fact in enumerate(current):
        with_quote = fact.quote not in shown_quotes
        shown_quotes.add(fact.quote)
        text = "• " + fact_html(
            fact,
            with_subject=with_subject and index == 0,
            with_quote=with_quote,
            parts=parts.get(fact.id, ()),
        )
        blocks.append(Block(text, heading))
    for index, fact in enumerate(earlier):
        line = f"  ◦ {value_html(fact)} — {source_html(fact.source)}"
        if index == 0:
            title = escape(_("Earlier:"))
            # A change only between figures of one period: a 2030 target is no
            # earlier value of a 2026 plan.
            if current and _period_key(fact) == _period_key(current[0]):
                title = f"{title} {change_html(fact, current[0])}"
            line = f"  <i>{title}</i>\n{line}"
        line += "".join(f"\n    ↳ {figure_line(part)}" for part in parts.get(fact.id, ()))
        if quote_earlier and fact.quote.strip() and fact.quote not in shown_quotes:
            shown_quotes.add(fact.quote)
            line = f"{line}\n{quote_html(fact)}"
        blocks.append(Block(line, heading))
    return blocks


def parts_by_whole(facts: Sequence[Fact]) -> dict[int, list[Fact]]:
    """The parts of each whole among `facts` ("в том числе"), in text order."""
    present = {fact.id for fact in facts}
    parts: dict[int, list[Fact]] = {}
    for fact in sorted(facts, key=lambda f: (f.source.id, f.start)):
        if fact.part_of is not None and fact.part_of in present and fact.part_of != fact.id:
            parts.setdefault(fact.part_of, []).append(fact)
    return parts


def subject_blocks(group: SubjectFacts, *, quote_earlier: bool = False) -> list[Block]:
    heading = subject_html(entity_name(group.entity_key, group.subject))
    shown_quotes: set[str] = set()
    parts = parts_by_whole(group.facts)
    blocks: list[Block] = []
    for timeline in group.timelines:
        blocks.extend(
            timeline_blocks(
                timeline,
                heading,
                quote_earlier=quote_earlier,
                shown_quotes=shown_quotes,
                parts=parts,
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


def topic_header(topic: Topic, filters: Filters = NO_FILTERS) -> str:
    header = f"{TOPIC_EMOJI[topic]} <b>{escape(topic_label(topic))} · {escape(region_name())}</b>"
    return header + filters_line(filters)


def filters_label(filters: Filters) -> str:
    """What an answer is narrowed to: "2024 · план"."""
    shown = [str(year) for year in filters.years]
    if filters.status is not None:
        shown.append(status_label(filters.status))
    return " · ".join(shown)


def filters_line(filters: Filters) -> str:
    """A header's line saying what the answer is narrowed to (nothing when it is not)."""
    if not (filters.years or filters.status):
        return ""
    return "\n<i>{}</i>".format(escape(_("Only: {filters}").format(filters=filters_label(filters))))


def year_heading(year: int | None) -> str:
    """A card's heading over the figures of one year, or of no dated period."""
    text = _("Year {year}").format(year=year) if year is not None else _("Without a period")
    return f"📅 <b>{escape(text)}</b>"


def render_topic(
    topic: Topic, groups: Sequence[SubjectFacts], filters: Filters = NO_FILTERS
) -> list[str]:
    """A topic answer: subjects with their newest figures first, older ones as timelines."""
    header = topic_header(topic, filters)
    if not groups:
        return [header + "\n\n" + escape(_("There are no figures on this topic yet."))]
    blocks = [block for group in groups for block in subject_blocks(group)]
    return paginate(header, blocks)


def render_card(
    card: Card | SubjectFacts, topic: Topic | None = None, filters: Filters = NO_FILTERS
) -> list[str]:
    """Everything known about one subject, every figure with its quote: by year, newest
    first (the figures of no dated period last), each year's by indicator. A town's or
    district's card names the subject over the figures of what is located there."""
    if isinstance(card, SubjectFacts):
        card = Card.of(card)
    name = entity_name(card.entity_key, card.subject)
    topics = (topic,) if topic in MAIN_TOPICS and topic in card.topics else card.topics
    emoji = TOPIC_EMOJI[topics[0]] if topics else "📌"
    place = [] if card.entity_key == REGION_KEY else [region_name()]
    context = " · ".join([*(topic_label(t) for t in topics), *place])
    header = f"{emoji} {subject_html(name)}"
    if context:
        header += f"\n<i>{escape(context)}</i>"
    header += filters_line(filters)
    if not card.facts:
        if card.place:
            empty = _("There are no figures about this place or what is located in it yet.")
        else:
            empty = _("There are no figures about it yet.")
        return [f"{header}\n\n{escape(empty)}"]
    shown_quotes: set[str] = set()
    parts = parts_by_whole(card.facts)
    blocks: list[Block] = []
    for section in card.sections:
        heading = year_heading(section.year)
        named = card.key  # the subject the figures above are about
        for timeline in section.timelines:
            about = subject_key(timeline.facts[0])
            other, named = about not in (card.key, named), about
            blocks.extend(
                timeline_blocks(
                    timeline,
                    heading,
                    quote_earlier=True,
                    shown_quotes=shown_quotes,
                    parts=parts,
                    with_subject=other,
                )
            )
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
