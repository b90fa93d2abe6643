"""Running the bot on Telegram."""

from __future__ import annotations

import logging

from bot.app import create_bot, create_dispatcher
from bot.commands import set_bot_commands
from bot.config import Settings
from bot.storage.db import create_engine, create_session_factory, migrate

log = logging.getLogger(__name__)


async def run_polling(settings: Settings) -> int:
    if settings.bot_token is None:
        print(
            "BOT_TOKEN is not set: put it in .env or the environment (see .env.example), "
            "or try the bot offline with `make chat`."
        )
        return 1
    await migrate(settings.database_url)
    engine = create_engine(settings.database_url)
    bot = create_bot(settings.bot_token.get_secret_value(), settings.telegram_api_url)
    dispatcher = create_dispatcher(settings, create_session_factory(engine))
    try:
        await set_bot_commands(bot, dispatcher["i18n"])
        await dispatcher.start_polling(bot)
    finally:
        await bot.session.close()
        await engine.dispose()
    return 0
