"""Digest fan-out: how close to the configured send limit it runs, with no excess.

Subscribers of a fresh store get a one-message digest through the whole production path —
claims, marks, limiter, HTTP to the local Bot API emulator, which enforces Telegram's
limits on its own clock and records every excess. The rate is measured where Telegram
would measure it, between the first and the last message the emulator accepted.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import DOCUMENTS_DIR
from bot.app.dispatcher import create_bot
from bot.domain.schedule import Schedule, zone_for
from bot.domain.settings import Settings
from bot.features.digests.fanout import FanoutConfig
from bot.features.digests.scheduler import create_fanout
from bot.features.sending.limiter import OutgoingLimiter, SendLimits
from bot.render.i18n import create_i18n
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.ingest import ingest_paths
from bot.storage.subscriptions import NewSubscription, SubscriptionRepository
from tools.bench import Figure
from tools.emulator import EmulatorConfig, RateLimits, TelegramEmulator

RATE = 30  # the default SEND_RATE_LIMIT: Telegram's guidance
SUBSCRIBERS = 600  # twenty seconds at that rate
SHORT_ARTICLE = "004_219ac1dd48b9d0a5.txt"


async def fan_out(rate: int, subscribers: int) -> tuple[float, int, int]:
    """(rate reached as a fraction of `rate`, limit violations, messages sent)."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'digest.db'}"
        await migrate(url)
        engine = create_engine(url)
        factory = create_session_factory(engine)
        limits = RateLimits(overall_per_second=rate, enforce=True)
        try:
            async with TelegramEmulator(EmulatorConfig(limits=limits)) as emulator:
                chats = [emulator.create_user(f"u{n}").id for n in range(subscribers)]
                await ingest_paths(factory, [DOCUMENTS_DIR / SHORT_ARTICLE])
                async with factory() as session:
                    await SubscriptionRepository(session).add_many(
                        [NewSubscription(chat, schedule=Schedule()) for chat in chats],
                        now=datetime.now(UTC) - timedelta(hours=1),
                        zone=zone_for("Asia/Almaty"),
                    )
                    await session.commit()
                bot = create_bot(emulator.token, api_url=emulator.base_url)
                settings = Settings(_env_file=None, send_rate_limit=rate)  # type: ignore[call-arg]
                fanout = create_fanout(
                    bot,
                    factory,
                    settings,
                    create_i18n(),
                    limiter=OutgoingLimiter(SendLimits(overall_per_second=rate)),
                    config=FanoutConfig(settle=timedelta(0)),
                )
                try:
                    await fanout.run(force=True)
                finally:
                    await bot.session.close()
                accepted = [call.at for call in emulator.calls("sendMessage") if call.ok]
                violations = len(emulator.violations)
        finally:
            await engine.dispose()
    reached = (len(accepted) - 1) / (accepted[-1] - accepted[0])
    return reached / rate, violations, len(accepted)


async def run() -> list[Figure]:
    logging.getLogger("bot.features.digests.fanout").setLevel(logging.WARNING)
    fraction, violations, sent = await fan_out(RATE, SUBSCRIBERS)
    assert sent == SUBSCRIBERS, f"{sent} of {SUBSCRIBERS} digests sent"
    return [
        Figure("digest_fanout_rate", fraction, f"of the limit ({RATE} msg/s)", ">= 0.95"),
        Figure("digest_fanout_limit_violations", violations, "violations", "0"),
    ]
