"""Inline keyboards and the callback data their buttons carry.

Keyboards are built per update, in the language of that update.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, SwitchInlineQueryChosenChat
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field

from bot.domain import MAIN_TOPICS, Status, Topic
from bot.domain.charts import TOPIC_CHARTS
from bot.pipeline.search_terms import YEARS, Filters
from bot.queries.facts import NO_CHOICES, NO_FILTERS, FilterChoices, SubjectRef
from bot.render.html import shorten
from bot.render.i18n import LANGUAGES
from bot.render.labels import entity_name, language_name, status_label, topic_button

BUTTON_LIMIT = 60
# Pages a button may ask for: no answer has this many, and a forged button with a larger
# number is refused when its data is read, before any handler sees it.
MAX_PAGE = 9_999
# Subject keys in callback data: the longest that keeps every button within 64 bytes.
MAX_KEY = 32


# The latest year a filter button may carry (0: every year).
MAX_YEAR = YEARS[-1]


class Shown(StrEnum):
    """Which figures a filtered answer shows, one letter in a button's data."""

    ALL = "a"
    ACTUAL = "f"
    PLAN = "p"


SHOWN_STATUS = {Shown.ALL: None, Shown.ACTUAL: Status.ACTUAL, Shown.PLAN: Status.PLAN}


def shown_of(status: Status | None) -> Shown:
    return next(shown for shown, of in SHOWN_STATUS.items() if of == status)


def button_filters(year: int, shown: Shown) -> Filters:
    """The filters a button carries; a year no query could name is forged (ValueError)."""
    if year and year not in YEARS:
        raise ValueError(f"no such year: {year}")
    status = SHOWN_STATUS[shown]
    return Filters((year,) if year else (), status)


class TopicOpen(CallbackData, prefix="topic"):
    topic: Topic


class FactPage(CallbackData, prefix="page"):
    """Turns the pages of a topic in place, narrowed to a year (0: any) and to reported
    figures or plans."""

    topic: Topic
    page: int = Field(ge=0, le=MAX_PAGE)
    year: int = Field(default=0, ge=0, le=MAX_YEAR)
    shown: Shown = Shown.ALL

    @property
    def filters(self) -> Filters:
        return button_filters(self.year, self.shown)


class SubjectCard(CallbackData, prefix="card"):
    """Opens a subject's card as a new message."""

    topic: Topic
    key: str = Field(min_length=1, max_length=MAX_KEY)


class CardPage(CallbackData, prefix="cpage"):
    """Turns the pages of a card in place, narrowed like `FactPage`."""

    topic: Topic
    key: str = Field(min_length=1, max_length=MAX_KEY)
    page: int = Field(ge=0, le=MAX_PAGE)
    year: int = Field(default=0, ge=0, le=MAX_YEAR)
    shown: Shown = Shown.ALL

    @property
    def filters(self) -> Filters:
        return button_filters(self.year, self.shown)


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


def _filter_buttons(
    builder: InlineKeyboardBuilder,
    filters: Filters,
    choices: FilterChoices,
    make: Callable[[int, Shown], CallbackData],
) -> list[int]:
    """A button per year and per status to narrow to (the chosen one marked ✓, and
    pressed again it is let go), and one back to every figure; returns the row sizes."""
    year = filters.years[0] if filters.years else 0
    shown = shown_of(filters.status)
    rows = []
    for option in choices.years:
        chosen = option == year
        builder.button(
            text=f"✓ {option}" if chosen else str(option),
            callback_data=make(0 if chosen else option, shown),
        )
    if choices.years:
        rows.append(len(choices.years))
    added = 0
    for status in choices.statuses:
        chosen = status == filters.status
        label = status_label(status)
        label = label[:1].upper() + label[1:]
        builder.button(
            text=f"✓ {label}" if chosen else label,
            callback_data=make(year, Shown.ALL if chosen else shown_of(status)),
        )
        added += 1
    if filters.years or filters.status:
        builder.button(text=all_figures_text(), callback_data=make(0, Shown.ALL))
        added += 1
    if added:
        rows.append(added)
    return rows


def all_figures_text() -> str:
    return _("All figures")


def all_figures_keyboard(topic: Topic) -> InlineKeyboardMarkup:
    """Under a filtered answer that shows nothing: back to every figure of the topic."""
    builder = InlineKeyboardBuilder()
    builder.button(text=all_figures_text(), callback_data=FactPage(topic=topic, page=0))
    return builder.as_markup()


def topic_keyboard(
    topic: Topic,
    page: int,
    pages: int,
    subjects: Sequence[SubjectRef] = (),
    share: str | None = None,
    filters: Filters = NO_FILTERS,
    choices: FilterChoices = NO_CHOICES,
) -> InlineKeyboardMarkup | None:
    """◀ ▶ for the pages of a topic (narrowed by `filters`), buttons that narrow it to a
    year or to reported figures or plans (`choices`), a button per subject that opens
    its card, 📊 for the topic's chart, and with `share` (an inline query) a button that
    sends the topic's facts to another chat."""
    builder = InlineKeyboardBuilder()
    year = filters.years[0] if filters.years else 0
    shown = shown_of(filters.status)
    arrows = _pager(
        builder, page, pages, lambda p: FactPage(topic=topic, page=p, year=year, shown=shown)
    )
    narrowing = _filter_buttons(
        builder, filters, choices, lambda y, s: FactPage(topic=topic, page=0, year=y, shown=s)
    )
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
    if not arrows and not narrowing and not subjects and not chart and not share:
        return None
    builder.adjust(
        *([arrows] if arrows else []),
        *narrowing,
        *([1] * len(subjects)),
        *([1] * bool(share)),
        *([1] * chart),
    )
    return builder.as_markup()


def chart_button_text() -> str:
    return "📊 " + _("Chart")


def share_button_text() -> str:
    return "📤 " + _("Send to a chat")


def card_keyboard(
    topic: Topic,
    key: str,
    page: int,
    pages: int,
    filters: Filters = NO_FILTERS,
    choices: FilterChoices = NO_CHOICES,
) -> InlineKeyboardMarkup | None:
    """◀ ▶ for the pages of a card (narrowed by `filters`), buttons that narrow it to a
    year or to reported figures or plans, and a way back to the topic."""
    builder = InlineKeyboardBuilder()
    year = filters.years[0] if filters.years else 0
    shown = shown_of(filters.status)
    arrows = _pager(
        builder,
        page,
        pages,
        lambda p: CardPage(topic=topic, key=key, page=p, year=year, shown=shown),
    )
    narrowing = _filter_buttons(
        builder,
        filters,
        choices,
        lambda y, s: CardPage(topic=topic, key=key, page=0, year=y, shown=s),
    )
    back = topic in MAIN_TOPICS
    if back:
        builder.button(text=topic_button(topic), callback_data=FactPage(topic=topic, page=0))
    if not arrows and not narrowing and not back:
        return None
    builder.adjust(*([arrows] if arrows else []), *narrowing, *([1] * back))
    return builder.as_markup()


# A deep link's payload that opens a card: `card_` and an entity key, or `card-` and
# the hash of a subject the gazetteer does not know (its key without the leading `~`).
_CARD_PAYLOAD = re.compile(r"card_([a-z0-9_]{1,32})|card-([0-9a-f]{12})")


def card_payload(key: str) -> str:
    """The /start payload that opens the card of `key` (Telegram takes [A-Za-z0-9_-])."""
    payload = f"card-{key[1:]}" if key.startswith("~") else f"card_{key}"
    if card_key_of(payload) != key:
        raise ValueError(f"no payload for the key {key!r}")
    return payload


def card_key_of(payload: str | None) -> str | None:
    """The subject key a /start payload names, or None for anything we never gave out."""
    found = _CARD_PAYLOAD.fullmatch(payload or "")
    if found is None:
        return None
    return found[1] if found[1] else "~" + found[2]


def card_link(username: str, key: str) -> str:
    """The link that opens the card of `key` in a private chat with the bot."""
    return f"https://t.me/{username}?start={card_payload(key)}"


def card_link_keyboard(username: str, key: str, name: str) -> InlineKeyboardMarkup:
    """Under a fact posted through inline mode: a button that opens its subject's card."""
    builder = InlineKeyboardBuilder()
    builder.button(text="📌 " + shorten(name, BUTTON_LIMIT), url=card_link(username, key))
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
