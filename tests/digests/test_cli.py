"""`python -m bot digest --now`: every subscriber's digest for the current period through
the same path as the running bot; run again, it sends nothing."""

from __future__ import annotations

import io

from pydantic import SecretStr

from bot.app.cli.digest import run_digest
from bot.domain import Topic
from bot.storage.engine import create_engine, create_session_factory
from tests.digests.conftest import settle_facts, subscribe
from tests.handlers.harness import make_settings
from tools.emulator import TelegramEmulator


async def test_digest_now_twice_sends_once(emulator: TelegramEmulator, seeded_db_url: str) -> None:
    users = [emulator.create_user(f"u{n}") for n in range(5)]
    engine = create_engine(seeded_db_url)
    try:
        factory = create_session_factory(engine)
        await subscribe(factory, [u.id for u in users], topics=(Topic.JOBS,))
        await settle_facts(factory)
    finally:
        await engine.dispose()
    settings = make_settings(seeded_db_url).model_copy(
        update={"bot_token": SecretStr(emulator.token), "telegram_api_url": emulator.base_url}
    )

    first = io.StringIO()
    assert await run_digest(settings, seeded_db_url, now=True, out=first) == 0
    assert first.getvalue().startswith("5 digests sent (5 messages)")
    assert all(len(emulator.sent_messages(u)) == 1 for u in users)

    second = io.StringIO()
    assert await run_digest(settings, seeded_db_url, now=True, out=second) == 0
    assert second.getvalue().startswith("0 digests sent (0 messages)")
    assert all(len(emulator.sent_messages(u)) == 1 for u in users)


async def test_digest_needs_the_bot(seeded_db_url: str) -> None:
    out = io.StringIO()
    assert await run_digest(make_settings(seeded_db_url), seeded_db_url, now=True, out=out) == 1
    assert "BOT_TOKEN is not set" in out.getvalue()
