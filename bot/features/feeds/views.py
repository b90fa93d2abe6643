"""What users see of the fetcher: the outlets' freshness under /sources, and the answer
to an administrator's link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aiogram.utils.i18n import gettext as _

from bot.features.feeds.pages import PageOutcome, PageResult
from bot.features.feeds.store import FeedState
from bot.render.format import format_date
from bot.render.html import escape, shorten
from bot.render.ingest import ingest_report_text

NAME_LIMIT = 60
REASON_LIMIT = 200


def outlets_text(states: Sequence[FeedState]) -> str | None:
    """Each outlet with its last successful fetch and its newest article; None before
    any feed was ever fetched."""
    if not states:
        return None
    lines = ["📡 <b>{}</b>".format(escape(_("News outlets")))]
    for state in states:
        name = escape(shorten(state.name or state.url, NAME_LIMIT))
        if state.last_success_at is not None:
            fetched = _("fetched {date}").format(date=format_date(state.last_success_at.date()))
        else:
            fetched = _("not fetched yet")
        parts = [fetched]
        if state.newest_article is not None:
            parts.append(_("data as of {date}").format(date=format_date(state.newest_article)))
        lines.append(f"• {name}: {escape(', '.join(parts))}")
    return "\n".join(lines)


def link_result_text(result: PageResult) -> str:
    if result.report is not None and result.outcome is PageOutcome.INGESTED:
        # The article's title says more than the name the store files it under.
        return ingest_report_text(replace(result.report, file_name=result.title or result.url))
    reason = shorten(result.reason or "?", REASON_LIMIT)
    match result.outcome:
        case PageOutcome.NOT_HTTP:
            text = _("Only http and https links can be added.")
        case PageOutcome.REFUSED:
            text = _("This link leads to a private or local address: it is not fetched.")
        case PageOutcome.KNOWN:
            text = _("This page is already in the store.")
        case PageOutcome.REPRINT:
            text = _(
                "This article is already in the store from another address; "
                "the link is kept as a second source."
            )
        case PageOutcome.NOT_HTML:
            text = _("The link is not a web page ({type}).").format(type=reason)
        case PageOutcome.NO_ARTICLE:
            text = _("There is no article text on that page.")
        case _:
            text = _("The page could not be fetched: {reason}").format(reason=reason)
    return "⚠️ " + escape(text)
