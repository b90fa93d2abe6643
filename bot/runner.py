"""Running the bot on Telegram: long polling, or a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.app import create_bot, create_dispatcher
from bot.commands import set_bot_commands
from bot.config import Settings
from bot.digests.scheduler import create_fanout, run_scheduler
from bot.storage.db import create_engine, create_session_factory, migrate

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
    bot = create_bot(settings.bot_token.get_secret_value(), settings.telegram_api_url)
    session_factory = create_session_factory(engine)
    dispatcher = create_dispatcher(settings, session_factory)
    digests = asyncio.create_task(
        run_scheduler(create_fanout(bot, session_factory, settings, dispatcher["i18n"])),
        name="digest-scheduler",
    )
    try:
        await set_bot_commands(bot, dispatcher["i18n"])
        if settings.webhook_url:
            from bot.webhook import serve_webhook

            await serve_webhook(dispatcher, bot, settings)
        else:
            await dispatcher.start_polling(bot)
    finally:
        # The fan-out finishes the messages in flight and hands back the rest.
        digests.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await digests
        await bot.session.close()
        await engine.dispose()
    return 0
