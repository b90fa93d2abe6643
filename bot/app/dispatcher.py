"""The composition root: factories for the bot, the dispatcher and the store."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.fsm import RedisGate
from bot.app.middlewares import DbSessionMiddleware
from bot.domain.settings import Settings
from bot.storage.languages import create_language_cache


def create_bot(token: str, api_url: str | None = None, **session_kwargs: Any) -> Bot:
    """A bot whose every request goes to `api_url` when set (a self-hosted Bot API server)."""
    session = AiohttpSession(**session_kwargs)
    if api_url:
        session.api = TelegramAPIServer.from_base(api_url.rstrip("/"))
    return Bot(
        token=token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML)
    )


class GatedDispatcher(Dispatcher):
    """A dispatcher whose updates wait while the shared state (Redis) is down, instead of
    failing; see `bot.app.fsm.RedisGate`. Without a gate it is aiogram's dispatcher."""

    gate: RedisGate | None = None

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        gate = self.gate
        if gate is None:
            return await super().feed_update(bot, update, **kwargs)
        return await gate.run(
            lambda: super(GatedDispatcher, self).feed_update(bot, update, **kwargs)
        )


def create_redis(url: str | None) -> Any | None:
    """The process's one Redis client (REDIS_URL), or None without Redis. The FSM, the
    language cache and the send limiter all use it; whoever creates it closes it."""
    if not url:
        return None
    from redis.asyncio import Redis

    return Redis.from_url(url)


def create_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    redis: Any | None = None,
    **workflow_data: Any,
) -> GatedDispatcher:
    """The dispatcher with its middlewares and every feature router; with Redis (the
    client passed, else one made from REDIS_URL and closed at shutdown) its FSM state,
    event isolation and language cache live there, shared by every replica."""
    from bot.app.fsm import create_fsm_backend
    from bot.features.charts.service import ChartService
    from bot.render.i18n import setup_i18n
    from handlers import feature_routers

    # One chart cache for the process; tests may pass their own.
    workflow_data.setdefault("charts", ChartService())
    owned = redis is None and settings.redis_url is not None
    if owned:
        redis = create_redis(settings.redis_url)
    fsm = create_fsm_backend(redis)
    dispatcher = GatedDispatcher(
        storage=fsm.storage,
        events_isolation=fsm.isolation,
        settings=settings,
        session_factory=session_factory,
        **workflow_data,
    )
    dispatcher.gate = fsm.gate
    # Every update asks for its chat's language first; the answers are kept (in Redis
    # with REDIS_URL, so that every replica sees a choice at once).
    languages = create_language_cache(redis, single_process=not settings.webhook_url)
    if languages is not None:
        dispatcher.shutdown.register(languages.close)
    dispatcher.update.outer_middleware(DbSessionMiddleware(session_factory, languages))
    setup_i18n(dispatcher)
    for router in feature_routers():
        if router.parent_router is not None:
            raise RuntimeError(f"router {router.name} is already attached to a dispatcher")
        dispatcher.include_router(router)
    return dispatcher
