"""The command menu Telegram shows, per language and per kind of chat."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)
from aiogram.utils.i18n import I18n

from bot.render.i18n import DEFAULT_LANGUAGE, LANGUAGES
from bot.render.views import command_descriptions

# Searching by plain text needs a private chat; groups get the commands that read.
GROUP_COMMANDS = frozenset(
    {
        "investments",
        "zones",
        "cargo",
        "production",
        "jobs",
        "chart",
        "export",
        "search",
        "sources",
        "subscribe",
        "settings",
        "digest",
        "unsubscribe",
        "lang",
        "help",
    }
)


def bot_commands(i18n: I18n, language: str, *, group: bool = False) -> list[BotCommand]:
    with i18n.context():
        return [
            BotCommand(command=command, description=description)
            for command, description in command_descriptions(locale=language)
            if not group or command in GROUP_COMMANDS
        ]


async def set_bot_commands(bot: Bot, i18n: I18n) -> None:
    """Set the menu for every language; the default language also serves users whose
    Telegram language is neither Russian nor Kazakh."""
    scopes = (
        (BotCommandScopeDefault(), False),
        (BotCommandScopeAllPrivateChats(), False),
        (BotCommandScopeAllGroupChats(), True),
    )
    for scope, group in scopes:
        for language in LANGUAGES:
            await bot.set_my_commands(
                bot_commands(i18n, language, group=group),
                scope=scope,
                language_code=None if language == DEFAULT_LANGUAGE else language,
            )
