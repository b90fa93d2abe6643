"""Several sender processes at once, as several replicas would run them: three
`python -m bot digest --now` processes over one PostgreSQL store and one Redis deliver
5,000 digests, each exactly once, and together stay within the overall send rate.

The rate is SEND_RATE_LIMIT=100 a second here, with the emulator enforcing the same 100
(Telegram's 30 would make the test take three minutes; the rule and its sharing do not
depend on the number). Without the shared limiter each process would keep 100 a second
on its own, and the emulator would see three times that.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from bot import PROJECT_ROOT
from bot.domain import Topic
from bot.features.sending.shared import limiter_namespace
from bot.storage.engine import create_engine, create_session_factory
from tests.digests.conftest import SentCounter, deliveries_per_chat, settle_facts, subscribe
from tests.stores import PostgresStores
from tools.emulator import EmulatorConfig, RateLimits, TelegramEmulator

SENDERS = 3
SUBSCRIBERS = 5_000
RATE = 100
DEADLINE = 600  # seconds for the whole fan-out; it takes about a minute


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    """The Bot API on the wall clock (the senders are other processes), answering 429 to
    anything over RATE a second. A bot of its own, so that its limiter keys in Redis are
    this test's alone."""
    token = f"{7_100_000 + secrets.randbelow(800_000)}:digest-processes"
    config = EmulatorConfig(limits=RateLimits(overall_per_second=RATE, enforce=True))
    async with TelegramEmulator(config, token=token) as running:
        yield running


@pytest.fixture
def store(postgres_stores: PostgresStores) -> Iterator[str]:
    url = postgres_stores.fresh("seeded")
    yield url
    postgres_stores.release(url)


@pytest.fixture
async def limiter_keys(redis_url: str, emulator: TelegramEmulator) -> AsyncIterator[str]:
    namespace = limiter_namespace(emulator.token)
    yield namespace
    redis = Redis.from_url(redis_url)
    try:
        keys = [key async for key in redis.scan_iter(f"{namespace}:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


@pytest.mark.slow
async def test_three_senders_deliver_each_digest_once_within_the_global_limit(
    emulator: TelegramEmulator,
    store: str,
    redis_url: str,
    limiter_keys: str,
) -> None:
    engine = create_engine(store)
    factory = create_session_factory(engine)
    try:
        users = [emulator.create_user(f"s{n}") for n in range(SUBSCRIBERS)]
        # The jobs digest of the seed documents is one message.
        await subscribe(factory, [user.id for user in users], topics=(Topic.JOBS,))
        await settle_facts(factory)
        counter = SentCounter(emulator)
        env = {
            **os.environ,
            "BOT_TOKEN": emulator.token,
            "TELEGRAM_API_URL": emulator.base_url,
            "DATABASE_URL": store,
            "REDIS_URL": redis_url,
            "SEND_RATE_LIMIT": str(RATE),
            "WEBHOOK_URL": "",
        }
        senders = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "digest", "--now",
                env=env,
                cwd=PROJECT_ROOT,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            for _ in range(SENDERS)
        ]  # fmt: skip
        async with asyncio.timeout(DEADLINE):
            outputs = [(await sender.communicate())[0].decode() for sender in senders]
        for sender, output in zip(senders, outputs, strict=True):
            assert sender.returncode == 0, output

        # Every subscriber got its digest once: in the chats, and in the store.
        assert counter.per_chat == Counter({user.id: 1 for user in users})
        assert await deliveries_per_chat(factory) == Counter({user.id: 1 for user in users})
        # The work was shared: the claims split the subscribers between the processes.
        sent = [_digests_sent(output) for output in outputs]
        assert sum(sent) == SUBSCRIBERS
        assert sum(1 for count in sent if count) >= 2, sent
        # And together they kept the overall rate: Telegram (the emulator) refused nothing,
        # and no second of its clock saw more than RATE messages.
        assert not [v for v in emulator.violations if v.rule == "overall"]
        assert _busiest_second(emulator) <= RATE
    finally:
        await engine.dispose()


def _digests_sent(output: str) -> int:
    found = re.search(r"(\d+) digests sent", output)
    assert found, output
    return int(found.group(1))


def _busiest_second(emulator: TelegramEmulator) -> int:
    times = sorted(r.at for r in emulator.calls("sendMessage") if r.ok)
    busiest, start = 0, 0
    for end, moment in enumerate(times):
        while times[start] <= moment - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest
