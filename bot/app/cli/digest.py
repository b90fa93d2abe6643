"""`python -m bot digest [--now]`: one pass of the fan-out from the command line."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.app.dispatcher import create_bot, create_redis
from bot.domain.settings import Settings
from bot.features.digests.scheduler import create_fanout, send_due_now
from bot.render.i18n import create_i18n
from bot.storage.engine import create_engine, create_session_factory, migrate


async def run_digest(
    settings: Settings, url: str, *, now: bool = False, out: TextIO = sys.stdout
) -> int:
    """Sends the digests that are due (with `now`, every subscriber's digest for the current
    period) through the same claims, limiter and retries as the running bot."""
    if settings.bot_token is None:
        print("BOT_TOKEN is not set: digests go out through the bot (see .env.example).", file=out)
        return 1
    await migrate(url)
    engine = create_engine(url)
    bot = create_bot(settings.bot_token.get_secret_value(), settings.telegram_api_url)
    redis = create_redis(settings.redis_url)  # the limiter shared with the running bots
    try:
        fanout = create_fanout(
            bot, create_session_factory(engine), settings, create_i18n(), redis=redis
        )
        try:
            report = await (send_due_now(fanout) if now else fanout.run())
        finally:
            await fanout.close()
    finally:
        await bot.session.close()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()
    print(report.summary(), file=out)
    return 0
