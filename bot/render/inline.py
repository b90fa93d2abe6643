"""Inline mode: what `@bot <words>` lists in any chat, one article per fact.

Each article shows the subject and value as its title and the metric, period and
date below; choosing it posts the fact with its source, formatted in the asker's
language. Results come a page at a time (`next_offset`); an empty query lists the
headline figures of every topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from aiogram.enums import ParseMode
from aiogram.types import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InlineQueryResultUnion,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from aiogram.utils.i18n import gettext as _

from bot.domain import MAIN_TOPICS, Fact
from bot.queries.facts import FactQueries
from bot.render.facts import render_fact, render_search
from bot.render.format import format_period, format_source_date, format_value
from bot.render.html import shorten
from bot.render.labels import TOPIC_EMOJI, current_language, metric_label, subject_name
from bot.storage.fulltext import MAX_OFFSET

# Telegram takes at most 50 results per answer.
PAGE_SIZE = 50
# Subjects per topic on the empty query's list.
HEADLINES_PER_TOPIC = 5
# Telegram shows about this much of a title and a description.
TITLE_LIMIT = 120
DESCRIPTION_LIMIT = 200
# The deep link of the "open the bot" button over an empty answer.
START_PARAMETER = "inline"
# Answers depend on the store and on the asker's language: cache briefly, per user.
CACHE_TIME = 60
# Articles kept rendered: a few pages for each of many queries in both languages.
RENDERED_ARTICLES = 8_192


@dataclass(frozen=True, slots=True)
class InlinePage:
    results: list[InlineQueryResultUnion] = field(default_factory=list)
    next_offset: str = ""  # empty: no more pages
    button: InlineQueryResultsButton | None = None


def parse_offset(offset: str | None) -> int:
    """The position a page starts at; anything but a number we gave out means the start."""
    if not offset or not offset.isascii() or not offset.isdigit():
        return 0
    return min(int(offset[:6]), MAX_OFFSET)


async def inline_page(queries: FactQueries, query: str, offset: str, language: str) -> InlinePage:
    """The page of results for an inline query at `offset`."""
    start = parse_offset(offset)
    words = " ".join(query.split())
    if not words:
        facts = await queries.headlines(MAIN_TOPICS, HEADLINES_PER_TOPIC)
        page = facts[start : start + PAGE_SIZE]
        more = start + PAGE_SIZE < len(facts)
    else:
        found = await queries.search(words, PAGE_SIZE + 1, language=language, offset=start)
        page, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
        if not page and start == 0:
            return nothing_found(words)
    shown_in = current_language()  # the catalogs the articles are rendered with
    results: list[InlineQueryResultUnion] = [rendered_article(fact, shown_in) for fact in page]
    return InlinePage(
        results=results,
        next_offset=str(start + len(page)) if more else "",
    )


@lru_cache(maxsize=RENDERED_ARTICLES)
def rendered_article(fact: Fact, language: str) -> InlineQueryResultArticle:
    """`fact_article` in `language` (the current one), rendered once.

    Rendering (Babel, HTML) costs more than finding the facts, and an article depends
    on its fact and the language alone: a fact is compared by every field, so one the
    store replaces is a new key, never a stale article. Articles are immutable, so one
    may go into any number of answers.
    """
    return fact_article(fact)


def fact_article(fact: Fact) -> InlineQueryResultArticle:
    value = format_value(fact.value, fact.unit, fact.qualifier)
    title = f"{TOPIC_EMOJI[fact.topic]} {subject_name(fact)} — {value}"
    details = [
        metric_label(fact.metric),
        format_period(fact.period),
        format_source_date(fact.source),
    ]
    return InlineQueryResultArticle(
        id=f"fact-{fact.id}",
        title=shorten(title, TITLE_LIMIT),
        description=shorten(" · ".join(part for part in details if part), DESCRIPTION_LIMIT),
        input_message_content=InputTextMessageContent(
            message_text=render_fact(fact),
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
    )


def nothing_found(query: str) -> InlinePage:
    """One article saying so, and a button that opens the bot."""
    article = InlineQueryResultArticle(
        id="nothing-found",
        title=_("Nothing found"),
        description=shorten(
            _("No facts match «{query}». Try a name or a topic: Saran, инвестиции, жүк.").format(
                query=query
            ),
            DESCRIPTION_LIMIT,
        ),
        input_message_content=InputTextMessageContent(
            message_text=render_search(query, [])[0], parse_mode=ParseMode.HTML
        ),
    )
    button = InlineQueryResultsButton(text=_("Open the bot"), start_parameter=START_PARAMETER)
    return InlinePage(results=[article], button=button)
