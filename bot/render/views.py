"""Views: what each command or button answers, as text and keyboard.

A view asks the query layer and hands the result to the renderers; handlers send
what it returns. Views of paged answers return None for a page that does not
exist (a stale or forged button).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.domain import Fact, Status, Topic
from bot.pipeline.search_terms import Filters, parse_query
from bot.queries.facts import (
    NO_FILTERS,
    FactQueries,
    FilterChoices,
    SubjectRef,
    filter_choices,
    group_by_subject,
    narrow,
    subject_key,
)
from bot.render.facts import render_card, render_sources, render_topic, topic_header
from bot.render.html import echo, escape
from bot.render.keyboards import (
    QUERY_KEY_MARK,
    all_figures_keyboard,
    card_key_of,
    card_keyboard,
    languages_keyboard,
    query_in_button,
    results_keyboard,
    sources_keyboard,
    topic_keyboard,
    topics_keyboard,
)
from bot.render.labels import current_language, language_name, status_label, topic_label
from bot.render.search import SEARCH_PAGE_SIZE, render_search_page

T = TypeVar("T")
log = logging.getLogger(__name__)

# Topics whose subjects (zones, the airport, a railway line) each get a card.
CARD_TOPICS = frozenset({Topic.ZONES, Topic.CARGO})


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    markup: InlineKeyboardMarkup | None = None


def command_descriptions(locale: str | None = None) -> list[tuple[str, str]]:
    """The commands with what each does, for /help and the command menu."""
    return [
        ("start", _("Topics and how to ask", locale=locale)),
        ("investments", _("Investments in the region", locale=locale)),
        ("zones", _("Special economic and industrial zones", locale=locale)),
        ("cargo", _("Cargo, airports and railways", locale=locale)),
        ("production", _("Industry and production", locale=locale)),
        ("jobs", _("New jobs", locale=locale)),
        ("chart", _("Charts: investments, zones, cargo", locale=locale)),
        ("export", _("The facts as a CSV table", locale=locale)),
        ("search", _("Search the facts", locale=locale)),
        ("subject", _("Everything about a company, a town or a zone", locale=locale)),
        ("sources", _("Where the figures come from", locale=locale)),
        ("subscribe", _("Digests of new figures: topics, how often, when", locale=locale)),
        ("settings", _("Your digest subscription", locale=locale)),
        ("digest", _("The digest as it would be sent now", locale=locale)),
        ("unsubscribe", _("Stop the digests", locale=locale)),
        ("lang", _("Language: Russian or Kazakh", locale=locale)),
        ("help", _("What I can do", locale=locale)),
    ]


def start_view(first_name: str | None) -> Reply:
    greeting = _("Hello, {name}!").format(name=first_name) if first_name else _("Hello!")
    text = "<b>{}</b>\n\n{}\n\n{}".format(
        escape(greeting),
        escape(
            _(
                "I know the economy of Karaganda region from the news: investments, "
                "economic zones, cargo, production and jobs. Every figure comes with its "
                "date and source."
            )
        ),
        escape(_("Choose a topic, or just write what you are looking for, e.g. «Saran».")),
    )
    return Reply(text, topics_keyboard())


def help_view() -> Reply:
    lines = [f"/{command} — {escape(text)}" for command, text in command_descriptions()]
    text = "<b>{}</b>\n\n{}\n\n{}".format(
        escape(_("What I can do")),
        "\n".join(lines),
        escape(
            _(
                "In a private chat, any text is a search: «Saryarka», «инвестиции Qarmet», "
                "«рабочие места»."
            )
        ),
    )
    return Reply(text, topics_keyboard())


class RenderedCache:
    """Rendered answers by store version and language.

    Rendering (Babel, HTML, paging) is most of the cost of an answer, and the store
    changes only when documents are ingested; the version in every key makes an
    ingest invalidate what was cached before it. Bounded, least recently used out.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    async def get(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> T:
        if key in self._entries:
            self._entries.move_to_end(key)
            return cast(T, self._entries[key])
        value = await make()
        self._entries[key] = value
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()


RENDERED = RenderedCache()


async def _version(queries: FactQueries) -> tuple[str, str]:
    """What every cached answer depends on: the store's version and the language."""
    return await queries.version(), current_language()


async def _page(
    version: tuple[str, str],
    key: tuple[Hashable, ...],
    pages: list[str],
    page: int,
    keyboard: Callable[[], InlineKeyboardMarkup | None],
) -> Reply | None:
    """One page with its keyboard, cached too: aiogram's keyboard builder costs about
    as much as looking the page up."""
    if not 0 <= page < len(pages):
        return None

    async def make() -> Reply:
        return Reply(pages[page], keyboard())

    return await RENDERED.get((*version, *key, page), make)


async def topic_view(
    queries: FactQueries,
    topic: Topic,
    page: int = 0,
    *,
    share: bool = False,
    filters: Filters = NO_FILTERS,
) -> Reply | None:
    """A page of a topic, narrowed by `filters` (None: a page past the end, or filters
    no figure meets); `share` adds a button that sends its facts to another chat."""

    async def make() -> tuple[list[str], list[SubjectRef], FilterChoices] | None:
        groups = await queries.topic(topic)
        facts = [fact for group in groups for fact in group.facts]
        if filters:
            groups = group_by_subject(narrow(facts, filters))
            if not groups:
                return None
        subjects = [SubjectRef(g.key, g.entity_key, g.subject) for g in groups]
        choices = filter_choices(facts, filters)
        pages = render_topic(topic, groups, filters)
        return pages, subjects if topic in CARD_TOPICS else [], choices

    version = await _version(queries)
    made = await RENDERED.get((*version, "topic", topic, filters), make)
    if made is None:
        return None
    pages, subjects, choices = made
    query = topic_label(topic) if share else None
    return await _page(
        version,
        ("topic", topic, filters, query),
        pages,
        page,
        lambda: topic_keyboard(
            topic, page, len(pages), subjects, share=query, filters=filters, choices=choices
        ),
    )


async def topic_command_view(
    queries: FactQueries, topic: Topic, args: str | None, *, share: bool = False
) -> Reply:
    """A topic command, narrowed by what follows it: a year, «план» or «факт»
    (/investments 2024, /jobs жоспар 2025); anything else gets a short answer."""
    words = " ".join((args or "").split())
    query = parse_query(words, current_language())
    if query.words or len(query.filters.years) > 1 or (words and not query.filters):
        example = f"/{topic.value} {status_label(Status.PLAN)}"
        text = _("After the command, name one year or «plan» or «actual», e.g. {example}.")
        not_understood = _("Not understood: «{words}».").format(words=echo(words))
        return Reply(f"{escape(text.format(example=example))}\n{escape(not_understood)}")
    filters = Filters(query.filters.years, query.filters.status)
    reply = await topic_view(queries, topic, share=share, filters=filters)
    if reply is not None:
        return reply
    text = "{}\n\n{}".format(
        topic_header(topic, filters), escape(_("No figures meet this filter."))
    )
    return Reply(text, all_figures_keyboard(topic))


async def card_view(
    queries: FactQueries,
    topic: Topic | None,
    key: str,
    page: int = 0,
    filters: Filters = NO_FILTERS,
) -> Reply | None:
    """A page of a subject's card seen from `topic` (None: the card's own), narrowed by
    `filters` (None: no such subject or page, or filters none of its figures meets)."""

    async def make() -> tuple[list[str], FilterChoices, Topic] | None:
        card = await queries.card(key)
        if card is None:
            return None
        shown = card.narrowed(filters) if filters else card
        if filters and not shown.facts:
            return None
        seen_from = topic or card.topic
        pages = render_card(shown, seen_from, filters)
        return pages, filter_choices(card.facts, filters), seen_from

    version = await _version(queries)
    made = await RENDERED.get((*version, "card", topic, key, filters), make)
    if made is None:
        return None
    pages, choices, seen_from = made
    return await _page(
        version,
        ("card", topic, key, filters),
        pages,
        page,
        lambda: card_keyboard(seen_from, key, page, len(pages), filters, choices),
    )


async def card_link_view(queries: FactQueries, payload: str | None) -> Reply | None:
    """The card a /start deep link opens (None: a payload we never gave out)."""
    key = card_key_of(payload)
    return await card_view(queries, None, key) if key is not None else None


async def sources_view(queries: FactQueries, page: int = 0) -> Reply | None:
    async def make() -> list[str]:
        return render_sources(await queries.sources())

    version = await _version(queries)
    pages = await RENDERED.get((*version, "sources"), make)
    return await _page(
        version, ("sources",), pages, page, lambda: sources_keyboard(page, len(pages))
    )


async def search_view(queries: FactQueries, text: str, page: int = 0) -> Reply | None:
    """A page of the results for `text`, with ◀ ▶ (None: a page past the end)."""
    words = " ".join(text.split())
    found = await queries.find(
        words,
        SEARCH_PAGE_SIZE + 1,
        language=current_language(),
        offset=page * SEARCH_PAGE_SIZE,
    )
    facts, more = found.facts[:SEARCH_PAGE_SIZE], len(found.facts) > SEARCH_PAGE_SIZE
    if page and not facts:
        return None
    shown = render_search_page(words, facts, page, found.corrected)
    if not facts:
        return Reply(shown)
    if not (page or more):
        return Reply(shown, results_keyboard(None, page, more, subject_cards(facts)))
    carried = query_in_button(words)
    if carried is None:
        carried = QUERY_KEY_MARK + await queries.remember_query(words)
    return Reply(shown, results_keyboard(carried, page, more, subject_cards(facts)))


async def search_page_view(queries: FactQueries, carried: str, page: int) -> Reply | None:
    """A page of results from a ◀ ▶ button (None when its query is unknown)."""
    query: str | None = carried
    if carried.startswith(QUERY_KEY_MARK):
        query = await queries.recall_query(carried[len(QUERY_KEY_MARK) :])
    if not query or page < 0:
        return None
    return await search_view(queries, query, page)


def subject_cards(facts: Sequence[Fact]) -> list[tuple[Topic, SubjectRef]]:
    """A card button for each subject of the facts shown, in their order."""
    found: dict[str, tuple[Topic, SubjectRef]] = {}
    for fact in facts:
        key = subject_key(fact)
        found.setdefault(key, (fact.topic, SubjectRef(key, fact.entity_key, fact.subject)))
    return list(found.values())


async def subject_view(queries: FactQueries, name: str) -> Reply:
    """The card of the subject `name` means: the gazetteer's entity when `name` is one of
    its names (a typo forgiven), else the subject of the best search result; narrowed
    to the year or the status `name` asks for ("/subject Qarmet 2024"), when any of its
    figures meets them. The answer says what a misspelt name was read as."""
    words = " ".join(name.split())
    named = queries.named_entity(words)
    if named is not None:
        entity, corrected = named
        key, topic = entity.key, None  # seen from its own topic
    else:
        found = await queries.find(words, 1, language=current_language())
        if not found.facts:
            return Reply(render_search_page(words, [], 0, found.corrected))
        fact = found.facts[0]
        key, topic, corrected = subject_key(fact), fact.topic, found.corrected
    asked = parse_query(words, current_language()).filters
    filters = Filters(asked.years, asked.status)
    card = await card_view(queries, topic, key, filters=filters) if filters else None
    if card is None:  # no filters, or none of the subject's figures meets them
        card = await card_view(queries, topic, key)
    assert card is not None  # an entity's card, or that of a subject with this fact
    if corrected:
        note = _("Showing results for «{names}»").format(names=", ".join(corrected))
        return Reply(f"<i>{escape(note)}</i>\n\n{card.text}", card.markup)
    return card


def subject_prompt_view() -> Reply:
    return Reply(escape(_("Send /subject with a name, e.g. /subject Qarmet")))


def search_prompt_view() -> Reply:
    return Reply(escape(_("Send /search with the words to look for, e.g. /search Saran")))


def language_view() -> Reply:
    return Reply(escape(_("Choose the language:")), languages_keyboard())


def language_set_view(language: str) -> Reply:
    return Reply(escape(_("Language: {name}").format(name=language_name(language))))


def admins_only_text() -> str:
    return _("Only the group's administrators can change its language.")


def admins_only_view() -> Reply:
    return Reply(escape(admins_only_text()))


def stale_button_text() -> str:
    return _("This button is out of date. Send the command again.")


def in_private_chat(event: Message | CallbackQuery) -> bool:
    """Answers in a private chat offer to send their facts on; in a group they are
    shared already."""
    message = event.message if isinstance(event, CallbackQuery) else event
    return message is not None and message.chat.type == ChatType.PRIVATE


async def show_in_place(callback: CallbackQuery, reply: Reply | None) -> None:
    """Edit the pressed message to `reply`; a stale press gets a polite answer."""
    if reply is None or not isinstance(callback.message, Message):
        await answer_stale(callback)
        return
    try:
        await callback.message.edit_text(reply.text, reply_markup=reply.markup)
    except TelegramBadRequest as error:
        # Pressing the page that is already shown changes nothing; anything else
        # means the message can no longer be edited.
        if "not modified" not in str(error):
            await callback.answer(stale_button_text())
            return
    await callback.answer()


async def send_from_button(callback: CallbackQuery, reply: Reply | None) -> None:
    """Answer a button press with a new message below the pressed one."""
    if reply is None or not isinstance(callback.message, Message):
        await answer_stale(callback)
        return
    await callback.message.answer(reply.text, reply_markup=reply.markup)
    await callback.answer()


async def answer_stale(callback: CallbackQuery) -> None:
    """A button whose page or subject no longer exists (an old keyboard, or forged data of
    the right shape): a polite answer, and a line in the log."""
    log.warning("stale button data %r from user %d", callback.data, callback.from_user.id)
    await callback.answer(stale_button_text())
