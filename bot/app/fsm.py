"""Where the dispatcher keeps conversation state, and how it orders a user's updates.

One process: aiogram's defaults (memory, no isolation). Several replicas: with
`REDIS_URL`, the FSM state lives in Redis so that any replica can take a user's next
update, and event isolation holds a Redis lock per chat and user, so two replicas never
handle the same user's updates at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    StateType,
    StorageKey,
)
from aiogram.fsm.storage.memory import DisabledEventIsolation, MemoryStorage, MemoryStorageRecord
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

log = logging.getLogger(__name__)

# Keys of this bot in a Redis that other applications may share.
KEY_PREFIX = "kfb:fsm"
# A lock left by a replica that died is given up after this many seconds.
LOCK_TIMEOUT = 60
# While Redis does not answer, it is asked again after this long, then twice as long...
FIRST_WAIT = 0.5
LONGEST_WAIT = 10.0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FsmBackend:
    """The dispatcher's `storage` and `events_isolation`; it closes both at shutdown."""

    storage: BaseStorage
    isolation: BaseEventIsolation
    gate: RedisGate | None = None


@dataclass(eq=False)
class RedisGate:
    """Updates wait while Redis is down, instead of failing and being lost.

    An update that meets a Redis connection error waits until Redis answers a ping and is
    then handled again from the start; meanwhile the polling bot takes no new updates
    (`HoldUpdates`), so Telegram keeps them (the offset that would confirm them is not
    sent). The outage is logged once, and its end once."""

    redis: Any
    first_wait: float = FIRST_WAIT
    down: bool = False
    closed: asyncio.Event = field(default_factory=asyncio.Event)  # set while Redis is down
    _up: asyncio.Event = field(default_factory=asyncio.Event)
    _checking: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self._up.set()

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        while True:
            await self._up.wait()
            try:
                return await call()
            except Exception as error:
                if not _redis_unreachable(error):
                    raise
            await self._wait_for_redis()

    async def wait_until_up(self) -> None:
        await self._up.wait()

    async def _wait_for_redis(self) -> None:
        if not self.down:
            self.down = True
            self._up.clear()
            self.closed.set()
            log.error("Redis does not answer: updates wait, none are taken until it does")
        async with self._checking:
            wait = self.first_wait
            while self.down:
                try:
                    await self.redis.ping()
                except Exception as error:
                    if not _redis_unreachable(error):
                        raise
                    await asyncio.sleep(wait)
                    wait = min(wait * 2, LONGEST_WAIT)
                    continue
                self.down = False
                self.closed.clear()
                self._up.set()
                log.warning("Redis answers again: updates go on")


class HoldUpdates(BaseRequestMiddleware):
    """No getUpdates while the gate is closed: Telegram keeps the updates meanwhile."""

    def __init__(self, gate: RedisGate) -> None:
        self.gate = gate

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):
            await self.gate.wait_until_up()
        return await make_request(bot, method)


def _redis_unreachable(error: BaseException) -> bool:
    from redis.exceptions import ConnectionError, TimeoutError

    return isinstance(error, ConnectionError | TimeoutError | ConnectionRefusedError)


class CompactMemoryStorage(MemoryStorage):
    """aiogram's MemoryStorage keeps a record for every chat and user it was ever asked
    about (its reads go through a defaultdict), so memory grew with every new user. Here
    a read creates nothing, and a record with no state and no data is dropped."""

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await super().set_state(key, state)
        self._drop_if_empty(key)

    async def get_state(self, key: StorageKey) -> str | None:
        record = self.storage.get(key)
        return record.state if record is not None else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await super().set_data(key, data)
        self._drop_if_empty(key)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = self.storage.get(key)
        return record.data.copy() if record is not None else {}

    async def get_value(self, storage_key: StorageKey, dict_key: str, default: Any = None) -> Any:
        record = self.storage.get(storage_key)
        return record.data.get(dict_key, default) if record is not None else default

    def _drop_if_empty(self, key: StorageKey) -> None:
        record: MemoryStorageRecord | None = self.storage.get(key)
        if record is not None and record.state is None and not record.data:
            del self.storage[key]


def create_fsm_backend(redis: Any | None) -> FsmBackend:
    """RedisStorage with its event isolation on the process's Redis client when there is
    one, else memory."""
    if redis is None:
        return FsmBackend(CompactMemoryStorage(), DisabledEventIsolation())
    from aiogram.fsm.storage.redis import RedisStorage

    storage = RedisStorage(
        redis,
        # The bot id keeps two bots on one Redis apart; the destiny keeps scenes apart.
        key_builder=DefaultKeyBuilder(prefix=KEY_PREFIX, with_bot_id=True, with_destiny=True),
    )
    log.info("FSM state and event isolation in Redis (keys %s:…)", KEY_PREFIX)
    isolation = storage.create_isolation(lock_kwargs={"timeout": LOCK_TIMEOUT})
    return FsmBackend(storage, isolation, RedisGate(storage.redis))
