"""What the bot says to a group it joins: who it is and how to use it, in Russian and
Kazakh at once, since nobody in the group has chosen a language yet."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.render.html import escape
from bot.render.i18n import LANGUAGES


def greeting_html(bot_username: str) -> str:
    return "\n\n".join(_greeting(bot_username, language) for language in LANGUAGES)


def _greeting(bot_username: str, language: str) -> str:
    lines = [
        _(
            "Hello! I know the figures of Karaganda region's economy: investments, "
            "economic zones, cargo, production and jobs, each with its date and source.",
            locale=language,
        ),
        _(
            "In this group: /investments, /zones, /cargo, /production, /jobs, "
            "and /search with the words to look for.",
            locale=language,
        ),
        _("In any chat: type @{bot} and a word to send a fact.", locale=language).format(
            bot=bot_username
        ),
        _("An administrator chooses the group's language with /lang.", locale=language),
    ]
    first, *rest = (escape(line) for line in lines)
    return "\n".join([f"<b>{first}</b>", *rest])
