"""The second baseline of the footprint benchmark: the echo bot (`echo_bot.py`) with what
the design card fixes besides aiogram, and nothing of this project.

It answers every text from the store at DATABASE_URL through SQLAlchemy 2's asyncio
engine (on aiosqlite or asyncpg): the store's fact count, formatted with Babel in the
sender's language (ru_KZ or kk_KZ), with today's date and an amount in tenge. What it
holds beyond the echo bot is what any bot built to the card holds before its own code:
SQLAlchemy (its asyncio extension imports the ORM), the database driver and its
connections, and Babel's data for both locales.
"""

from __future__ import annotations

import asyncio
import os
from datetime import date
from decimal import Decimal

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

LOCALES = {"ru": "ru_KZ", "kk": "kk_KZ"}


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    engine = create_async_engine(os.environ["DATABASE_URL"])
    for locale in LOCALES.values():  # a bot in both languages holds both locales' data
        format_date(date.today(), "long", locale=locale)
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def answer(message: Message) -> None:
        language = message.from_user.language_code if message.from_user else None
        locale = LOCALES.get(language or "", LOCALES["ru"])
        async with engine.connect() as connection:
            count = (await connection.execute(text("SELECT count(*) FROM facts"))).scalar_one()
        await message.answer(
            f"{message.text or '?'}: {format_decimal(count, locale=locale)}, "
            f"{format_currency(Decimal('572.9'), 'KZT', locale=locale)}, "
            f"{format_date(date.today(), 'long', locale=locale)}"
        )

    try:
        await dispatcher.start_polling(bot, handle_signals=True)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
