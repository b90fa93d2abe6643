"""Running the bot on Telegram: long polling, or a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.utils.i18n import I18n

from bot.app.commands import set_bot_commands
from bot.app.dispatcher import create_bot, create_dispatcher, create_redis
from bot.app.fsm import HoldUpdates
from bot.app.memory import collect_after_start_up
from bot.app.reachability import FIRST_WAIT, when_reachable
from bot.domain.settings import Settings
from bot.features.digests.scheduler import create_fanout, run_scheduler, send_limits
from bot.features.sending.answers import OverallSendLimit
from bot.features.sending.shared import create_limiter
from bot.features.workers import warm_up
from bot.storage.engine import create_engine, create_session_factory, migrate

log = logging.getLogger(__name__)


async def start_up(
    bot: Bot,
    i18n: I18n,
    *,
    first_wait: float = FIRST_WAIT,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """What the bot asks of Telegram before it takes updates: who it is, and its commands."""
    await when_reachable("getMe", bot.me, first_wait=first_wait, sleep=sleep)
    await when_reachable(
        "setMyCommands", lambda: set_bot_commands(bot, i18n), first_wait=first_wait, sleep=sleep
    )


# Seconds from start-up to the work that can wait (see `start_background_work`).
BACKGROUND_DELAY = 5.0


async def start_background_work(settings: Settings, delay: float = BACKGROUND_DELAY) -> None:
    """What the bot starts `delay` seconds after it begins to take updates, not before: the
    workers' fork server (ahead of the first upload; its imports are a second or two of CPU,
    in a process of its own), then the feeds' schedule (its first pass at once, in a worker).
    Both would compete with the first answers for the CPU. Runs until cancelled."""
    await asyncio.sleep(delay)
    try:
        await asyncio.to_thread(warm_up)
    except Exception:  # the first job starts the fork server anyway
        log.exception("the workers' fork server could not be started ahead of need")
    from bot.features.feeds.schedule import start_fetching

    fetching = start_fetching(settings)  # None when FETCH_INTERVAL_MIN is 0
    if fetching is not None:
        await fetching  # cancelling this task cancels the schedule too


async def run_bot(
    settings: Settings,
    *,
    migration: subprocess.Popen[bytes] | None = None,
    schema_current: bool = False,
) -> int:
    """Runs until stopped. `migration` is a `python -m bot migrate` already started on the
    store (`python -m bot run` starts one before its imports, unless it found the schema
    current: `schema_current`); without either the schema is brought up to date here."""
    if settings.bot_token is None:
        print(
            "BOT_TOKEN is not set: put it in .env or the environment (see .env.example), "
            "or try the bot offline with `make chat`."
        )
        return 1
    if settings.webhook_url and settings.webhook_secret is None:
        print(
            "WEBHOOK_URL is set without WEBHOOK_SECRET: webhook mode needs both (see .env.example)."
        )
        return 1
    if migration is not None:
        if await asyncio.to_thread(migration.wait) != 0:
            print(
                "The store's schema could not be brought up to date: see `python -m bot migrate`."
            )
            return 1
    elif not schema_current:
        await migrate(settings.database_url)
    engine = create_engine(settings.database_url)
    token = settings.bot_token.get_secret_value()
    # One Redis client for the process: FSM, language cache and send limiter share it.
    redis = create_redis(settings.redis_url)
    # One overall send rate for the answers and the digests (across replicas with Redis).
    limiter = create_limiter(token, redis, send_limits(settings))
    bot = create_bot(token, settings.telegram_api_url)
    bot.session.middleware(OverallSendLimit(limiter))
    # The fan-out takes its slots itself, on a bot of its own.
    digest_bot = create_bot(token, settings.telegram_api_url)
    session_factory = create_session_factory(engine)
    dispatcher = create_dispatcher(settings, session_factory, redis=redis)
    if dispatcher.gate is not None:
        # While Redis is down no updates are taken: Telegram keeps them.
        bot.session.middleware(HoldUpdates(dispatcher.gate))
    fanout = create_fanout(
        digest_bot, session_factory, settings, dispatcher["i18n"], limiter=limiter
    )
    digests = asyncio.create_task(run_scheduler(fanout), name="digest-scheduler")
    background: asyncio.Task[None] | None = None
    try:
        await start_up(bot, dispatcher["i18n"])
        collect_after_start_up()
        background = asyncio.create_task(start_background_work(settings), name="background")
        if settings.webhook_url:
            from bot.app.webhook import serve_webhook

            await serve_webhook(dispatcher, bot, settings)
        else:
            await dispatcher.start_polling(bot)
    finally:
        if background is not None:
            background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await background
        # The fan-out finishes the messages in flight and hands back the rest.
        digests.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await digests
        await bot.session.close()
        await digest_bot.session.close()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()
    return 0
