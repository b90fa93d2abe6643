"""Where the dispatcher keeps conversation state, and how it orders a user's updates.

One process: aiogram's defaults (memory, no isolation). Several replicas: with
`REDIS_URL`, the FSM state lives in Redis so that any replica can take a user's next
update, and event isolation holds a Redis lock per chat and user, so two replicas never
handle the same user's updates at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import DisabledEventIsolation, MemoryStorage

log = logging.getLogger(__name__)

# Keys of this bot in a Redis that other applications may share.
KEY_PREFIX = "kfb:fsm"
# A lock left by a replica that died is given up after this many seconds.
LOCK_TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class FsmBackend:
    """The dispatcher's `storage` and `events_isolation`; it closes both at shutdown."""

    storage: BaseStorage
    isolation: BaseEventIsolation


def create_fsm_backend(redis_url: str | None) -> FsmBackend:
    """RedisStorage with its event isolation when `redis_url` is set, else memory."""
    if not redis_url:
        return FsmBackend(MemoryStorage(), DisabledEventIsolation())
    from aiogram.fsm.storage.redis import RedisStorage

    storage = RedisStorage.from_url(
        redis_url,
        # The bot id keeps two bots on one Redis apart; the destiny keeps scenes apart.
        key_builder=DefaultKeyBuilder(prefix=KEY_PREFIX, with_bot_id=True, with_destiny=True),
    )
    log.info("FSM state and event isolation in Redis (keys %s:…)", KEY_PREFIX)
    return FsmBackend(storage, storage.create_isolation(lock_kwargs={"timeout": LOCK_TIMEOUT}))
