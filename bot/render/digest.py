"""A digest as Telegram HTML: the facts added since the previous one, grouped by topic,
each with its source, cut into pages that Telegram accepts (one message each)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.domain import MAIN_TOPICS, Fact, Topic
from bot.render.facts import Block, fact_html, paginate
from bot.render.format import format_date
from bot.render.html import escape
from bot.render.labels import TOPIC_EMOJI, region_name, topic_label


def digest_header(count: int, since: date | None) -> str:
    title = "📬 <b>{} · {}</b>".format(escape(_("Digest")), escape(region_name()))
    if since is None:
        line = ngettext("{count} new figure", "{count} new figures", count).format(count=count)
    else:
        line = ngettext(
            "{count} new figure since {date}", "{count} new figures since {date}", count
        ).format(count=count, date=format_date(since))
    return f"{title}\n<i>{escape(line)}</i>"


def topic_heading(topic: Topic) -> str:
    return f"{TOPIC_EMOJI[topic]} <b>{escape(topic_label(topic))}</b>"


def render_digest(facts: Sequence[Fact], since: date | None) -> list[str]:
    """The pages of a digest; none when there is nothing new (nothing is sent then)."""
    if not facts:
        return []
    order = {topic: index for index, topic in enumerate((*MAIN_TOPICS, Topic.OTHER))}
    ordered = sorted(facts, key=lambda fact: order.get(fact.topic, len(order)))
    blocks = [
        Block(fact_html(fact, with_quote=False), topic_heading(fact.topic)) for fact in ordered
    ]
    return paginate(digest_header(len(facts), since), blocks)


def render_nothing_new(since: date | None) -> str:
    """What /digest shows when the next digest would be empty."""
    if since is None:
        return escape(_("Nothing new yet: the digest is sent only when there are new figures."))
    return escape(
        _("Nothing new since {date}: the digest is sent only when there are new figures.").format(
            date=format_date(since)
        )
    )
