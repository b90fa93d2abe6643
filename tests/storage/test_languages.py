"""Chat languages: the store holds each choice, the cache keeps answers between updates,
and a choice made through one replica is what every replica sees next."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.engine import store_of
from bot.storage.languages import (
    NO_CHOICE,
    MemoryLanguageCache,
    RedisLanguageCache,
    create_language_cache,
)
from bot.storage.models import ChatRecord
from bot.storage.repositories import ChatRepository

Factory = async_sessionmaker[AsyncSession]


async def language_of(factory: Factory, cache: object, chat_id: int) -> str | None:
    async with factory() as session:
        return await ChatRepository(session, cache).get_language(chat_id)  # type: ignore[arg-type]


async def choose(factory: Factory, cache: object, chat_id: int, language: str) -> None:
    async with factory() as session:
        await ChatRepository(session, cache).set_language(chat_id, language)  # type: ignore[arg-type]


async def write_behind_the_cache(factory: Factory, chat_id: int, language: str) -> None:
    async with factory() as session:
        await session.execute(
            update(ChatRecord).where(ChatRecord.id == chat_id).values(language=language)
        )
        await session.commit()


async def test_memory_cache_answers_known_unknown_and_no_choice() -> None:
    cache = MemoryLanguageCache()
    assert await cache.get("store", 1) is None
    await cache.put("store", 1, "kk")
    await cache.put("store", 2, None)
    assert await cache.get("store", 1) == "kk"
    assert await cache.get("store", 2) == NO_CHOICE
    assert await cache.get("another store", 1) is None


async def test_memory_cache_forgets_the_least_recent_and_the_expired() -> None:
    cache = MemoryLanguageCache(size=2)
    await cache.put("s", 1, "kk")
    await cache.put("s", 2, "ru")
    assert await cache.get("s", 1) == "kk"  # 1 is now the most recent
    await cache.put("s", 3, "ru")
    assert len(cache) == 2
    assert await cache.get("s", 2) is None
    assert await cache.get("s", 1) == "kk"

    expired = MemoryLanguageCache(ttl=0.0)
    await expired.put("s", 1, "kk")
    assert await expired.get("s", 1) is None


async def test_every_session_names_its_store_with_one_string(session_factory: Factory) -> None:
    # The memory cache keeps the name in every chat's key: one copy, not one per update.
    async with session_factory() as first, session_factory() as second:
        assert store_of(first) is store_of(second)


async def test_the_cache_answers_after_the_first_question(session_factory: Factory) -> None:
    cache = MemoryLanguageCache()
    await choose(session_factory, cache, 10, "kk")
    await write_behind_the_cache(session_factory, 10, "ru")
    # The store was not asked again: the answer is the cached one.
    assert await language_of(session_factory, cache, 10) == "kk"
    # Without a cache the store answers.
    assert await language_of(session_factory, None, 10) == "ru"


async def test_a_chat_without_a_choice_is_remembered_as_such(session_factory: Factory) -> None:
    cache = MemoryLanguageCache()
    assert await language_of(session_factory, cache, 11) is None
    async with session_factory() as session:
        store = store_of(session)
    assert await cache.get(store, 11) == NO_CHOICE
    await choose(session_factory, cache, 11, "kk")
    assert await language_of(session_factory, cache, 11) == "kk"


async def test_a_choice_is_committed_before_the_cache_tells_it(session_factory: Factory) -> None:
    cache = MemoryLanguageCache()
    async with session_factory() as session:
        chats = ChatRepository(session, cache)
        await chats.set_language(12, "kk")
        await session.rollback()  # the update failed after the choice
    # The choice stands in the store, so the cache is right to tell it.
    assert await language_of(session_factory, None, 12) == "kk"
    assert await language_of(session_factory, cache, 12) == "kk"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_without_redis_the_store_answers(session_factory: Factory) -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{_closed_port()}/0")
    cache = RedisLanguageCache(client)
    try:
        await choose(session_factory, cache, 13, "kk")
        assert await language_of(session_factory, cache, 13) == "kk"
        assert await language_of(session_factory, cache, 14) is None
    finally:
        await client.aclose()


@pytest.fixture
async def replicas(redis_url: str) -> AsyncIterator[tuple[RedisLanguageCache, RedisLanguageCache]]:
    clients = [Redis.from_url(redis_url) for _ in range(2)]  # one per replica
    first, second = (RedisLanguageCache(client) for client in clients)
    yield first, second
    for client in clients:
        await client.aclose()


async def test_a_choice_made_through_one_replica_is_seen_by_another(
    session_factory: Factory, replicas: tuple[RedisLanguageCache, RedisLanguageCache]
) -> None:
    first, second = replicas
    chat_id = uuid.uuid4().int % 10**9
    async with session_factory() as session:
        store = store_of(session)
    try:
        # Both replicas have answered for the chat before: nothing chosen.
        assert await language_of(session_factory, first, chat_id) is None
        assert await language_of(session_factory, second, chat_id) is None
        await choose(session_factory, first, chat_id, "kk")
        assert await language_of(session_factory, second, chat_id) == "kk"
        await choose(session_factory, second, chat_id, "ru")
        assert await language_of(session_factory, first, chat_id) == "ru"
    finally:
        await first.forget(store, chat_id)


async def test_where_the_answers_are_kept() -> None:
    polling = create_language_cache(None, single_process=True)
    assert isinstance(polling, MemoryLanguageCache)
    # Webhook replicas without Redis would each keep their own: they keep none.
    assert create_language_cache(None, single_process=False) is None
    client = Redis.from_url("redis://127.0.0.1:6379/0")
    shared = create_language_cache(client, single_process=False)
    assert isinstance(shared, RedisLanguageCache)
    await client.aclose()
