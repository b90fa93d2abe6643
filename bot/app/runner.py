"""Running the bot on Telegram: long polling, or a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.app.dispatcher import create_bot, create_dispatcher
from bot.app.commands import set_bot_commands
from bot.domain.settings import Settings
from bot.features.digests.scheduler import create_fanout, run_scheduler, send_limits
from bot.features.sending.answers import OverallSendLimit
from bot.features.sending.shared import create_limiter
from bot.storage.engine import create_engine, create_session_factory, migrate

log = logging.getLogger(__name__)


async def run_bot(settings: Settings) -> int:
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
    await migrate(settings.database_url)
    engine = create_engine(settings.database_url)
    token = settings.bot_token.get_secret_value()
    # One overall send rate for the answers and the digests (across replicas with Redis).
    limiter = create_limiter(token, settings.redis_url, send_limits(settings))
    bot = create_bot(token, settings.telegram_api_url)
    bot.session.middleware(OverallSendLimit(limiter))
    # The fan-out takes its slots itself, on a bot of its own.
    digest_bot = create_bot(token, settings.telegram_api_url)
    session_factory = create_session_factory(engine)
    dispatcher = create_dispatcher(settings, session_factory)
    fanout = create_fanout(
        digest_bot, session_factory, settings, dispatcher["i18n"], limiter=limiter
    )
    digests = asyncio.create_task(run_scheduler(fanout), name="digest-scheduler")
    try:
        await set_bot_commands(bot, dispatcher["i18n"])
        if settings.webhook_url:
            from bot.app.webhook import serve_webhook

            await serve_webhook(dispatcher, bot, settings)
        else:
            await dispatcher.start_polling(bot)
    finally:
        # The fan-out finishes the messages in flight and hands back the rest.
        digests.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await digests
        await bot.session.close()
        await digest_bot.session.close()
        await engine.dispose()
    return 0
