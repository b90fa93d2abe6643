"""Inline keyboards and the callback data their buttons carry.

Keyboards are built per update, in the language of that update.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, SwitchInlineQueryChosenChat
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field

from bot.domain import MAIN_TOPICS, Topic
from bot.domain.charts import TOPIC_CHARTS
from bot.queries.facts import SubjectRef
from bot.render.html import shorten
from bot.render.i18n import LANGUAGES
from bot.render.labels import entity_name, language_name, topic_button

BUTTON_LIMIT = 60
# Pages a button may ask for: no answer has this many, and a forged button with a larger
# number is refused when its data is read, before any handler sees it.
MAX_PAGE = 9_999
# Subject keys in callback data: the longest that keeps every button within 64 bytes.
MAX_KEY = 32


class TopicOpen(CallbackData, prefix="topic"):
    topic: Topic


class FactPage(CallbackData, prefix="page"):
    topic: Topic
    page: int = Field(ge=0, le=MAX_PAGE)


class SubjectCard(CallbackData, prefix="card"):
    """Opens a subject's card as a new message."""

    topic: Topic
    key: str = Field(min_length=1, max_length=MAX_KEY)


class CardPage(CallbackData, prefix="cardpage"):
    """Turns the pages of a card in place."""

    topic: Topic
    key: str = Field(min_length=1, max_length=MAX_KEY)
    page: int = Field(ge=0, le=MAX_PAGE)


class ResultsPage(CallbackData, prefix="found"):
    """Turns the pages of /search results in place: `query` is the query itself, or
    `#` and the key it is kept under when it is too long for a button."""

    query: str
    page: int


# Telegram's limit on a button's callback data, in bytes.
CALLBACK_LIMIT = 64
# The highest page number a button may carry (results stop at a thousand).
MAX_RESULTS_PAGE = 999
# What marks a query kept in the store by its key.
QUERY_KEY_MARK = "#"


def query_in_button(query: str) -> str | None:
    """The query as `ResultsPage` carries it, when it fits (None: keep it by a key)."""
    if ":" in query or query.startswith(QUERY_KEY_MARK):
        return None
    try:
        widest = ResultsPage(query=query, page=MAX_RESULTS_PAGE).pack()
    except ValueError:  # aiogram's own check of the 64 bytes
        return None
    return query if len(widest.encode("utf-8")) <= CALLBACK_LIMIT else None


class ChartOpen(CallbackData, prefix="chart"):
    """Sends the chart of a topic as a photo."""

    topic: Topic


class SourcePage(CallbackData, prefix="sources"):
    page: int = Field(ge=0, le=MAX_PAGE)


class LanguageChoice(CallbackData, prefix="lang"):
    language: str


def topics_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic in MAIN_TOPICS:
        builder.button(text=topic_button(topic), callback_data=TopicOpen(topic=topic))
    builder.adjust(2)
    return builder.as_markup()


def _pager(
    builder: InlineKeyboardBuilder, page: int, pages: int, make: Callable[[int], CallbackData]
) -> int:
    """Add ◀ ▶ buttons; returns how many were added."""
    added = 0
    if page > 0:
        builder.button(text="◀", callback_data=make(page - 1))
        added += 1
    if page < pages - 1:
        builder.button(text="▶", callback_data=make(page + 1))
        added += 1
    return added


def topic_keyboard(
    topic: Topic,
    page: int,
    pages: int,
    subjects: Sequence[SubjectRef] = (),
    share: str | None = None,
) -> InlineKeyboardMarkup | None:
    """◀ ▶ for the pages of a topic, a button per subject that opens its card, 📊
    for the topic's chart, and with `share` (an inline query) a button that sends the
    topic's facts to another chat."""
    builder = InlineKeyboardBuilder()
    arrows = _pager(builder, page, pages, lambda p: FactPage(topic=topic, page=p))
    for subject in subjects:
        name = shorten(entity_name(subject.entity_key, subject.subject), BUTTON_LIMIT)
        builder.button(text=name, callback_data=SubjectCard(topic=topic, key=subject.key))
    if share:
        builder.button(
            text=share_button_text(),
            switch_inline_query_chosen_chat=SwitchInlineQueryChosenChat(
                query=share, allow_user_chats=True, allow_group_chats=True
            ),
        )
    chart = topic in TOPIC_CHARTS
    if chart:
        builder.button(text=chart_button_text(), callback_data=ChartOpen(topic=topic))
    if not arrows and not subjects and not chart and not share:
        return None
    builder.adjust(
        *([arrows] if arrows else []),
        *([1] * len(subjects)),
        *([1] * bool(share)),
        *([1] * chart),
    )
    return builder.as_markup()


def chart_button_text() -> str:
    return "📊 " + _("Chart")


def share_button_text() -> str:
    return "📤 " + _("Send to a chat")


def card_keyboard(topic: Topic, key: str, page: int, pages: int) -> InlineKeyboardMarkup:
    """◀ ▶ for the pages of a card, and a way back to the topic."""
    builder = InlineKeyboardBuilder()
    arrows = _pager(builder, page, pages, lambda p: CardPage(topic=topic, key=key, page=p))
    builder.button(text=topic_button(topic), callback_data=FactPage(topic=topic, page=0))
    builder.adjust(*([arrows] if arrows else []), 1)
    return builder.as_markup()


def results_keyboard(
    query: str | None,
    page: int,
    more: bool,
    subjects: Sequence[tuple[Topic, SubjectRef]] = (),
) -> InlineKeyboardMarkup | None:
    """◀ ▶ for the pages of search results (`query` as `ResultsPage` carries it; None:
    a single page), and a button per subject shown that opens its card."""
    builder = InlineKeyboardBuilder()
    arrows = 0
    if query is not None:
        pages = page + 2 if more else page + 1
        arrows = _pager(builder, page, pages, lambda p: ResultsPage(query=query, page=p))
    for topic, subject in subjects:
        name = "📌 " + shorten(entity_name(subject.entity_key, subject.subject), BUTTON_LIMIT)
        builder.button(text=name, callback_data=SubjectCard(topic=topic, key=subject.key))
    if not arrows and not subjects:
        return None
    builder.adjust(*([arrows] if arrows else []), *([1] * len(subjects)))
    return builder.as_markup()


def sources_keyboard(page: int, pages: int) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if not _pager(builder, page, pages, lambda p: SourcePage(page=p)):
        return None
    return builder.as_markup()


def languages_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for language in LANGUAGES:
        builder.button(
            text=language_name(language), callback_data=LanguageChoice(language=language)
        )
    return builder.as_markup()
