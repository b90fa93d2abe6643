"""gettext catalogs and the middleware that picks each update's language."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aiogram import Dispatcher
from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot import LOCALES_DIR

LANGUAGES = ("ru", "kk")
DEFAULT_LANGUAGE = "ru"
# How long a process trusts what it read of a chat's language choice.
LANGUAGE_TTL = 30.0
LANGUAGE_CACHE_SIZE = 50_000


def language_for(code: str | None) -> str:
    """Telegram's language_code → our language: Kazakh for kk, Russian for anything else."""
    return "kk" if code and code.lower().split("-")[0] == "kk" else DEFAULT_LANGUAGE


def create_i18n() -> I18n:
    return I18n(path=LOCALES_DIR, default_locale=DEFAULT_LANGUAGE, domain="messages")


class ChatLanguageMiddleware(I18nMiddleware):
    """A stored choice for the chat wins; else Telegram's language of the user.

    Stored choices (and their absence, the common case) are remembered in the
    process for `ttl` seconds, per store and chat, which spares a query on most
    updates. /lang updates what it changes at once (`remember`); another process
    serving the same store sees a change within `ttl`.
    """

    def __init__(
        self,
        i18n: I18n,
        *,
        ttl: float = LANGUAGE_TTL,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(i18n, **kwargs)
        self._ttl = ttl
        self._clock = clock
        self._known: dict[tuple[str, int], tuple[float, str | None]] = {}

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        chats = data.get("chats")
        chat = data.get("event_chat")
        user = data.get("event_from_user")
        if chats is not None:
            store = store_of(data.get("session"))
            ids = (chat.id if chat else None, user.id if user else None)
            # In a private chat both ids are the user's: ask the store once.
            for chat_id in dict.fromkeys(i for i in ids if i is not None):
                stored = await self._stored(chats, store, chat_id)
                if stored in LANGUAGES:
                    return stored
        return language_for(user.language_code if user else None)

    def remember(self, store: str, chat_id: int, language: str | None) -> None:
        """What a chat chose, as just stored; the next updates need not ask."""
        now = self._clock()
        if len(self._known) >= LANGUAGE_CACHE_SIZE:
            self._known = {k: v for k, v in self._known.items() if now - v[0] < self._ttl}
        self._known[(store, chat_id)] = (now, language)

    async def _stored(self, chats: Any, store: str, chat_id: int) -> str | None:
        known = self._known.get((store, chat_id))
        if known is not None and self._clock() - known[0] < self._ttl:
            return known[1]
        language: str | None = await chats.get_language(chat_id)
        self.remember(store, chat_id, language)
        return language


def store_of(session: Any) -> str:
    """Names the store a session reads, so that what is cached for one store never
    answers for another (tests run many stores in one process)."""
    bind = getattr(session, "bind", None)
    return str(bind.url) if bind is not None else ""


def setup_i18n(dispatcher: Dispatcher) -> I18n:
    i18n = create_i18n()
    ChatLanguageMiddleware(i18n).setup(dispatcher)
    dispatcher["i18n"] = i18n
    return i18n
