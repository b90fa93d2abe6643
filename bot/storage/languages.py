"""Each chat's chosen language, remembered between updates.

Every update asks for its chat's language before anything else happens, and the answer
changes only when someone presses a /lang button. Asking the store each time would be
most of the cost of a cached answer, so the answers are kept:

- in one process (long polling), in memory: the process makes every change itself;
- with several replicas (`REDIS_URL`), in Redis, so that a choice made through one
  replica is what every other one sees at once; webhook replicas without Redis keep
  nothing and ask the store.

The store stays the truth. A choice is written to the store and committed first, and
only then to the cache; what the cache does not know is read from the store and kept.
Entries expire after `TTL` seconds either way, which bounds what a lost race could keep.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Final, Protocol

log = logging.getLogger(__name__)

# What a cache answers for a chat it knows has no stored choice.
NO_CHOICE: Final = ""
TTL: Final = 3600.0
MEMORY_SIZE: Final = 200_000
KEY_PREFIX: Final = "kfb:lang"


class LanguageCache(Protocol):
    async def get(self, store: str, chat_id: int) -> str | None:
        """The chat's language, `NO_CHOICE` if it has none, None if not known here."""

    async def put(self, store: str, chat_id: int, language: str | None) -> None:
        """Remember what the store says (None: no choice)."""

    async def close(self) -> None: ...


class MemoryLanguageCache:
    """Least recently used out beyond `size` chats; entries older than `ttl` are asked again."""

    def __init__(self, size: int = MEMORY_SIZE, ttl: float = TTL) -> None:
        self._size = size
        self._ttl = ttl
        self._entries: OrderedDict[tuple[str, int], tuple[float, str]] = OrderedDict()

    async def get(self, store: str, chat_id: int) -> str | None:
        key = (store, chat_id)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry[0] >= self._ttl:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1]

    async def put(self, store: str, chat_id: int, language: str | None) -> None:
        key = (store, chat_id)
        self._entries[key] = (time.monotonic(), language or NO_CHOICE)
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)

    async def close(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class RedisLanguageCache:
    """The same in Redis, shared by every replica. When Redis fails the store answers:
    a slow update is better than a wrong language."""

    def __init__(self, redis: Any, ttl: float = TTL) -> None:
        # Imported here: a process without Redis never loads the client.
        from redis.exceptions import RedisError

        self._redis = redis  # the process's client: its owner closes it
        self._errors = RedisError
        self._ttl = int(ttl)

    @staticmethod
    def key(store: str, chat_id: int) -> str:
        return f"{_store_prefix(store)}:{chat_id}"

    async def get(self, store: str, chat_id: int) -> str | None:
        try:
            value = await self._redis.get(self.key(store, chat_id))
        except self._errors as error:
            log.warning("language cache unavailable: %s", error)
            return None
        if value is None:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)

    async def put(self, store: str, chat_id: int, language: str | None) -> None:
        try:
            await self._redis.set(self.key(store, chat_id), language or NO_CHOICE, ex=self._ttl)
        except self._errors as error:
            log.warning("language cache unavailable: %s", error)

    async def forget(self, store: str, chat_id: int) -> None:
        await self._redis.delete(self.key(store, chat_id))

    async def close(self) -> None:
        """Nothing to release: the Redis client is the process's, closed by its owner."""


@lru_cache(maxsize=64)
def _store_prefix(store: str) -> str:
    """Two bots with two stores may share one Redis: the keys name the store."""
    return f"{KEY_PREFIX}:{hashlib.sha1(store.encode('utf-8')).hexdigest()[:10]}"


def create_language_cache(redis: Any | None, *, single_process: bool) -> LanguageCache | None:
    """In Redis when there is one; in memory only when this process is the bot's only
    one (long polling: Telegram serves updates to one consumer); else none: replicas
    without Redis ask the store, as each may hear of a choice made through another."""
    if redis is not None:
        return RedisLanguageCache(redis)
    return MemoryLanguageCache() if single_process else None
