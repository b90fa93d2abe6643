"""Conversation state and event isolation: memory for one process, Redis for replicas."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import DisabledEventIsolation, MemoryStorage

from bot.app.fsm import KEY_PREFIX, FsmBackend, create_fsm_backend


def test_without_redis_the_state_stays_in_the_process() -> None:
    backend = create_fsm_backend(None)
    assert isinstance(backend.storage, MemoryStorage)
    assert isinstance(backend.isolation, DisabledEventIsolation)


@pytest.fixture
async def replicas(redis_url: str) -> AsyncIterator[tuple[FsmBackend, FsmBackend]]:
    """What two replicas build from the same REDIS_URL."""
    from redis.asyncio import Redis

    clients = [Redis.from_url(redis_url) for _ in range(2)]  # one per replica
    first, second = (create_fsm_backend(client) for client in clients)
    yield first, second
    for backend in (first, second):
        await backend.isolation.close()
        await backend.storage.close()


@pytest.fixture
def key() -> StorageKey:
    # A bot id of its own, so that the test's keys never meet anything else in Redis.
    bot_id = 9_000_000 + secrets.randbelow(1_000_000)
    return StorageKey(bot_id=bot_id, chat_id=100001, user_id=100001)


async def test_replicas_share_the_state(
    replicas: tuple[FsmBackend, FsmBackend], key: StorageKey
) -> None:
    first, second = replicas
    try:
        await first.storage.set_state(key, "Subscribe:topics")
        await first.storage.set_data(key, {"topics": ["zones", "cargo"]})
        assert await second.storage.get_state(key) == "Subscribe:topics"
        assert await second.storage.get_data(key) == {"topics": ["zones", "cargo"]}
        redis = first.storage.redis  # type: ignore[attr-defined]
        keys = [k.decode() async for k in redis.scan_iter(f"{KEY_PREFIX}:{key.bot_id}:*")]
        assert keys and all(k.startswith(f"{KEY_PREFIX}:{key.bot_id}:") for k in keys)
    finally:
        await first.storage.set_state(key, None)
        await first.storage.set_data(key, {})


async def test_one_users_updates_never_run_at_once_across_replicas(
    replicas: tuple[FsmBackend, FsmBackend], key: StorageKey
) -> None:
    first, second = replicas
    order: list[str] = []

    async def handle(backend: FsmBackend, name: str, held: float) -> None:
        async with backend.isolation.lock(key):
            order.append(f"{name} in")
            await asyncio.sleep(held)
            order.append(f"{name} out")

    first_update = asyncio.create_task(handle(first, "first", 0.3))
    await asyncio.sleep(0.05)
    await handle(second, "second", 0)
    await first_update
    assert order == ["first in", "first out", "second in", "second out"]
