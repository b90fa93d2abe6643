"""Search results a page at a time: the same number of facts on every page, each whole
with its subject, source and quote, and a note when a misspelt name was corrected."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.utils.i18n import gettext as _

from bot.domain import Fact
from bot.render.facts import QUERY_LIMIT, fact_html
from bot.render.html import PAGE_LIMIT, escape, shorten, telegram_length

# Facts on a page of /search results.
SEARCH_PAGE_SIZE = 5


def render_search_page(
    query: str, facts: Sequence[Fact], page: int, corrected: Sequence[str] = ()
) -> str:
    """Page `page` (from 0) of the results for `query`: the facts of that page."""
    shown = shorten(query, QUERY_LIMIT)
    note = ""
    if corrected:
        names = ", ".join(corrected)
        note = "\n<i>{}</i>".format(escape(_("Showing results for «{names}»").format(names=names)))
    if not facts:
        return "🔎 " + escape(_("Nothing found for «{query}».").format(query=shown)) + note
    first = page * SEARCH_PAGE_SIZE + 1
    header = "🔎 <b>{}</b>".format(
        escape(
            _("Results {first}–{last} for «{query}»").format(
                first=first, last=first + len(facts) - 1, query=shown
            )
        )
    )
    text = _page_text(header + note, facts, with_quote=True)
    if telegram_length(text) > PAGE_LIMIT:
        # Five long quotes overflow a message: the page keeps its facts, not their quotes.
        text = _page_text(header + note, facts, with_quote=False)
    return text


def _page_text(header: str, facts: Sequence[Fact], *, with_quote: bool) -> str:
    return "\n\n".join([header, *(fact_html(fact, with_quote=with_quote) for fact in facts)])
