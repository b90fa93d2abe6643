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

from bot.domain import Fact, Topic
from bot.pipeline.search_terms import Filters, parse_query, passes
from bot.queries.facts import FactQueries, SubjectRef, group_by_subject, subject_key
from bot.render.facts import render_card, render_sources, render_topic
from bot.render.html import escape
from bot.render.keyboards import (
    QUERY_KEY_MARK,
    card_keyboard,
    languages_keyboard,
    query_in_button,
    results_keyboard,
    sources_keyboard,
    topic_keyboard,
    topics_keyboard,
)
from bot.render.labels import current_language, language_name, topic_label
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
    queries: FactQueries, topic: Topic, page: int = 0, *, share: bool = False
) -> Reply | None:
    """A page of a topic; `share` adds a button that sends its facts to another chat."""

    async def make() -> tuple[list[str], list[SubjectRef]]:
        groups = await queries.topic(topic)
        subjects = [SubjectRef(g.key, g.entity_key, g.subject) for g in groups]
        return render_topic(topic, groups), subjects if topic in CARD_TOPICS else []

    version = await _version(queries)
    pages, subjects = await RENDERED.get((*version, "topic", topic), make)
    query = topic_label(topic) if share else None
    return await _page(
        version,
        ("topic", topic, query),
        pages,
        page,
        lambda: topic_keyboard(topic, page, len(pages), subjects, share=query),
    )


async def card_view(queries: FactQueries, topic: Topic, key: str, page: int = 0) -> Reply | None:
    async def make() -> list[str]:
        group = await queries.subject(key)
        if group is None:
            return []
        return render_card(group, topic if topic in group.topics else None)

    version = await _version(queries)
    pages = await RENDERED.get((*version, "card", topic, key), make)
    return await _page(
        version,
        ("card", topic, key),
        pages,
        page,
        lambda: card_keyboard(topic, key, page, len(pages)),
    )


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
    """The card of the subject `name` means: the subject of the best search result (so
    a name with a typo finds it too, and the answer says what it was read as)."""
    words = " ".join(name.split())
    found = await queries.find(words, 1, language=current_language())
    if not found.facts:
        return Reply(render_search_page(words, [], 0, found.corrected))
    fact = found.facts[0]
    filters = parse_query(words).filters
    card = None
    if filters.years or filters.status:
        card = await filtered_card_view(queries, subject_key(fact), filters)
    if card is None:  # no filters, or none of the subject's figures meets them
        card = await card_view(queries, fact.topic, subject_key(fact))
    assert card is not None  # the subject has this fact
    if found.corrected:
        note = _("Showing results for «{names}»").format(names=", ".join(found.corrected))
        return Reply(f"<i>{escape(note)}</i>\n\n{card.text}", card.markup)
    return card


async def filtered_card_view(queries: FactQueries, key: str, filters: Filters) -> Reply | None:
    """A subject's card with only the figures of the years or the status asked for
    ("/subject Qarmet 2024", "/subject Qarmet план"): its first page."""
    group = await queries.subject(key)
    if group is None:
        return None
    kept = [fact for fact in group.facts if passes(fact, filters)]
    groups = group_by_subject(kept)
    if not groups:
        return None
    return Reply(render_card(groups[0])[0])


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
