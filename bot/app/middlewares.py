"""Outer middlewares: a database session per update, with repositories in `data`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.languages import LanguageCache
from bot.storage.repositories import ChatRepository, DocumentRepository, FactRepository
from bot.storage.subscriptions import SubscriptionRepository


class DbSessionMiddleware(BaseMiddleware):
    """Opens one session per update; commits when the handler returns, rolls back on error."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        languages: LanguageCache | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._languages = languages

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        # A `session_factory` in the dispatcher's data (workflow data or feed_update/polling
        # kwargs) wins, so one dispatcher can serve a fresh store per test.
        session_factory = data.get("session_factory") or self._session_factory
        async with session_factory() as session:
            data["session"] = session
            data["facts"] = FactRepository(session)
            data["documents"] = DocumentRepository(session)
            data["chats"] = ChatRepository(session, self._languages)
            data["subscriptions"] = SubscriptionRepository(session)
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            await session.commit()
            return result
