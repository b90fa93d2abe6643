"""gettext catalogs and the middleware that picks each update's language."""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher
from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot import LOCALES_DIR

LANGUAGES = ("ru", "kk")
DEFAULT_LANGUAGE = "ru"


def language_for(code: str | None) -> str:
    """Telegram's language_code → our language: Kazakh for kk, Russian for anything else."""
    return "kk" if code and code.lower().split("-")[0] == "kk" else DEFAULT_LANGUAGE


def create_i18n() -> I18n:
    return I18n(path=LOCALES_DIR, default_locale=DEFAULT_LANGUAGE, domain="messages")


class ChatLanguageMiddleware(I18nMiddleware):
    """A stored choice for the chat wins; else Telegram's language of the user."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        chats = data.get("chats")
        chat = data.get("event_chat")
        user = data.get("event_from_user")
        if chats is not None:
            ids = (chat.id if chat else None, user.id if user else None)
            # In a private chat both ids are the user's: ask the store once.
            for chat_id in dict.fromkeys(i for i in ids if i is not None):
                stored = await chats.get_language(chat_id)
                if stored in LANGUAGES:
                    return stored
        return language_for(user.language_code if user else None)


def setup_i18n(dispatcher: Dispatcher) -> I18n:
    i18n = create_i18n()
    ChatLanguageMiddleware(i18n).setup(dispatcher)
    dispatcher["i18n"] = i18n
    return i18n
