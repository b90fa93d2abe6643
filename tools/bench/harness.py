"""What the dispatcher benchmarks share: a throwaway SQLite store with the seed
documents, the bot's dispatcher on the Bot API emulator, and an update's timed trip
through a dispatcher."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.dispatcher import create_bot, create_dispatcher
from bot.domain.settings import Settings
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.ingest import ingest_paths
from tools.emulator import TelegramEmulator


@asynccontextmanager
async def seeded_store(
    paths: Iterable[str | Path] | None = None,
) -> AsyncIterator[tuple[str, async_sessionmaker[AsyncSession]]]:
    """A temporary SQLite store with the documents at `paths` (default: the seeds)
    ingested: its URL and its sessions."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await migrate(url)
        engine = create_engine(url)
        try:
            factory = create_session_factory(engine)
            await ingest_paths(factory, paths)
            yield url, factory
        finally:
            await engine.dispose()


@asynccontextmanager
async def bot_on_emulator() -> AsyncIterator[tuple[TelegramEmulator, Bot, Dispatcher]]:
    """The bot's own dispatcher over a seeded store, and a `Bot` talking to the emulator."""
    async with seeded_store() as (url, factory):
        settings = Settings(_env_file=None, bot_token=None, database_url=url)  # type: ignore[call-arg]
        dispatcher = create_dispatcher(settings, factory)
        async with TelegramEmulator() as emulator:
            bot = create_bot(emulator.token, api_url=emulator.base_url)
            try:
                yield emulator, bot, dispatcher
            finally:
                await bot.session.close()


async def timed(dispatcher: Dispatcher, bot: Bot, update: Update) -> float:
    """Seconds `dispatcher` takes over `update`, its answers sent included."""
    started = time.perf_counter()
    await dispatcher.feed_update(bot, update)
    return time.perf_counter() - started


async def interleaved_medians(
    bot: Bot,
    dispatchers: Sequence[Dispatcher],
    asks: Sequence[Callable[[], Update]],
    warmup: int,
    rounds: int,
) -> list[float]:
    """Each dispatcher's median time over every update `asks` make, in milliseconds,
    after `warmup` untimed rounds. The sides take turns update by update, so drifts of
    the machine touch every side alike."""
    times: list[list[float]] = [[] for _ in dispatchers]
    for round_ in range(warmup + rounds):
        for ask in asks:
            for dispatcher, taken in zip(dispatchers, times, strict=True):
                took = await timed(dispatcher, bot, ask())
                if round_ >= warmup:
                    taken.append(took)
    return [statistics.median(taken) * 1000 for taken in times]
