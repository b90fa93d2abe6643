"""Running the fan-out: on schedule beside the bot, or once from the command line.

The scheduler wakes when the next subscriber is due (at least every `tick`), runs the
fan-out, and sleeps again. Several processes may run it on one PostgreSQL store: the
claims keep them apart. Stopping it (cancelling the task) stops the fan-out cleanly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.schedule import as_utc, zone_for
from bot.domain.settings import Settings
from bot.features.digests.fanout import DigestFanout, FanoutConfig, FanoutReport, utcnow
from bot.features.sending.limiter import OutgoingLimiter, SendLimits
from bot.features.sending.shared import create_limiter
from bot.render.subscriptions import digest_keyboard
from bot.storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

TICK = 60.0  # seconds: new subscriptions and deferred digests are seen at least this often
AFTER_ERROR = 30.0


def send_limits(settings: Settings) -> SendLimits:
    return SendLimits(overall_per_second=settings.send_rate_limit)


def create_fanout(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    i18n: I18n,
    *,
    limiter: OutgoingLimiter | None = None,
    redis: Any | None = None,
    config: FanoutConfig | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> DigestFanout:
    """The fan-out of this bot, with the settings' time zone and send rate."""

    def keyboard(language: str) -> InlineKeyboardMarkup:
        with i18n.context(), i18n.use_locale(language):
            return digest_keyboard()

    return DigestFanout(
        bot,
        session_factory,
        i18n,
        zone_for(settings.timezone),
        # Shared through Redis when several processes send for the bot.
        limiter=limiter or create_limiter(bot.token, redis, send_limits(settings)),
        config=config,
        clock=clock,
        keyboard=keyboard,
    )


async def run_scheduler(
    fanout: DigestFanout,
    *,
    tick: float = TICK,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Delivers digests as they come due, until cancelled; then closes the fan-out."""
    log.info("digest scheduler started")
    try:
        while True:
            try:
                await fanout.run()
                delay = await _until_next(fanout, clock, tick)
            except asyncio.CancelledError:
                raise
            except Exception:  # the bot keeps answering; the digests are tried again soon
                log.exception("digest fan-out failed")
                delay = AFTER_ERROR
            await asyncio.sleep(delay)
    finally:
        await fanout.close()


async def _until_next(fanout: DigestFanout, clock: Callable[[], datetime], tick: float) -> float:
    async with fanout.session_factory() as session:
        due = await SubscriptionRepository(session).next_due_at()
    if due is None:
        return tick
    seconds = (as_utc(due) - clock()) / timedelta(seconds=1)
    return min(tick, max(1.0, seconds))


async def send_due_now(fanout: DigestFanout) -> FanoutReport:
    """`python -m bot digest --now`: every subscriber's digest for the current period, as
    if their time had come, through the same claims and sends. Run again, it finds each
    period taken and sends nothing."""
    return await fanout.run(force=True)
