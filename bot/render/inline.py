"""Inline mode: what `@bot <words>` lists in any chat, one article per fact.

Each article shows the subject and value as its title and the metric, period and
date below; choosing it posts the fact with its source, formatted in the asker's
language, with a button that opens its subject's card in a private chat with the bot.
A query that names a subject with a card (a gazetteer name, a typo forgiven, or a
subject as stored) gets that card as its first article. Results come a page at a time
(`next_offset`); an empty query lists the headline figures of every topic.
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
from aiogram.utils.i18n import ngettext

from bot.domain import MAIN_TOPICS, Fact
from bot.queries.facts import FactQueries, subject_key
from bot.render.facts import render_fact, render_search
from bot.render.format import format_period, format_source_date, format_value
from bot.render.html import shorten
from bot.render.keyboards import card_link_keyboard
from bot.render.labels import (
    TOPIC_EMOJI,
    current_language,
    entity_name,
    metric_label,
    subject_name,
)
from bot.render.views import card_view
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


async def inline_page(
    queries: FactQueries, query: str, offset: str, language: str, username: str | None = None
) -> InlinePage:
    """The page of results for an inline query at `offset`; `username` (the bot's) puts
    a button that opens the subject's card under each fact."""
    start = parse_offset(offset)
    words = " ".join(query.split())
    card: InlineQueryResultArticle | None = None
    if not words:
        facts = await queries.headlines(MAIN_TOPICS, HEADLINES_PER_TOPIC)
        page = facts[start : start + PAGE_SIZE]
        more = start + PAGE_SIZE < len(facts)
    else:
        found = await queries.search(words, PAGE_SIZE + 1, language=language, offset=start)
        if start == 0:
            card = await card_article(queries, words, found, username)
        room = PAGE_SIZE - (card is not None)  # the card is the first page's first result
        page, more = found[:room], len(found) > room
        if not page and card is None and start == 0:
            return nothing_found(words)
    shown_in = current_language()  # the catalogs the articles are rendered with
    results: list[InlineQueryResultUnion] = [card] if card is not None else []
    results.extend(rendered_article(fact, shown_in, username) for fact in page)
    return InlinePage(
        results=results,
        next_offset=str(start + len(page)) if more else "",
    )


async def card_article(
    queries: FactQueries, words: str, found: list[Fact], username: str | None
) -> InlineQueryResultArticle | None:
    """The card of the subject `words` names, as an article posting its first page."""
    card = await queries.named_card(words, found)
    reply = await card_view(queries, None, card.key) if card is not None else None
    if card is None or reply is None:
        return None
    key, name = card.key, entity_name(card.entity_key, card.subject)
    count = ngettext("{count} fact", "{count} facts", len(card.facts))
    return InlineQueryResultArticle(
        id=shorten(f"card-{key}", 64),
        title=shorten(_("Card: {name}").format(name=name), TITLE_LIMIT),
        description=shorten(count.format(count=len(card.facts)), DESCRIPTION_LIMIT),
        input_message_content=InputTextMessageContent(
            message_text=reply.text,
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        reply_markup=card_link_keyboard(username, key, name) if username else None,
    )


@lru_cache(maxsize=RENDERED_ARTICLES)
def rendered_article(
    fact: Fact, language: str, username: str | None = None
) -> InlineQueryResultArticle:
    """`fact_article` in `language` (the current one), rendered once.

    Rendering (Babel, HTML) costs more than finding the facts, and an article depends
    on its fact, the language and the bot alone: a fact is compared by every field, so
    one the store replaces is a new key, never a stale article. Articles are immutable,
    so one may go into any number of answers.
    """
    return fact_article(fact, username)


def fact_article(fact: Fact, username: str | None = None) -> InlineQueryResultArticle:
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
        reply_markup=(
            card_link_keyboard(username, subject_key(fact), subject_name(fact))
            if username
            else None
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
