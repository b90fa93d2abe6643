"""The outgoing limiter shared through Redis by every process that sends for one bot.

Telegram's "about 30 messages a second" is per bot token, whatever number of processes
send for it. `SharedOutgoingLimiter` keeps the overall rule of `OutgoingLimiter` — a
request leaves only when the one `rate` requests before it was answered more than a
(widened) second ago, and "retry after" stops everyone — but the last `rate` departures
and the pause live in Redis, and each decision is one Lua script, so it is atomic across
processes.

Times are Redis's own clock (`TIME`), read inside the scripts: replicas on different
machines never compare their clocks. A departure is stamped when Redis grants it (before
the request leaves) and its answer when it is reported (after the answer came back), so
the distance between them only ever grows in the real world: the rule errs on the safe
side. A departure whose answer is never reported (its process died) counts as answered
`stale` seconds after it left.

The per-chat rules stay in each process: a digest is claimed by one process (row claims
in the store) and its messages go out one after the other there, so no chat gets bulk
messages from two processes at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.features.sending.limiter import Clock, OutgoingLimiter, SendLimits

KEY_PREFIX = "kfb:limit"
# Keys outlive the last send by this much; a quiet bot leaves nothing behind in Redis.
KEY_TTL = 3600
# How long a departure may wait for its answer before it counts as answered anyway.
STALE_AFTER = 30.0
# How often a sender asks again while the departure it waits for is still in flight.
POLL = 0.005

_DEPART = """
local rate = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local spacing = tonumber(ARGV[3])
local stale = tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
local poll = ARGV[6]
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local ready = math.max(tonumber(redis.call('GET', KEYS[4]) or '0'),
                       tonumber(redis.call('GET', KEYS[5]) or '0') + spacing)
if redis.call('LLEN', KEYS[1]) >= rate then
  local oldest = redis.call('LINDEX', KEYS[1], -rate)
  local answered = tonumber(redis.call('HGET', KEYS[3], oldest) or '')
  if answered == nil then
    local left = tonumber(redis.call('HGET', KEYS[2], oldest) or '0')
    if now - left < stale then
      return {0, poll}
    end
    answered = left + stale
  end
  ready = math.max(ready, answered + window)
end
if ready > now then
  return {0, tostring(ready - now)}
end
local id = redis.call('INCR', KEYS[6])
redis.call('RPUSH', KEYS[1], id)
redis.call('HSET', KEYS[2], id, tostring(now))
while redis.call('LLEN', KEYS[1]) > rate do
  local gone = redis.call('LPOP', KEYS[1])
  redis.call('HDEL', KEYS[2], gone)
  redis.call('HDEL', KEYS[3], gone)
end
redis.call('SET', KEYS[5], tostring(now))
for i = 1, 6 do
  redis.call('EXPIRE', KEYS[i], ttl)
end
return {1, tostring(id)}
"""

_ANSWERED = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  local t = redis.call('TIME')
  redis.call('HSET', KEYS[2], ARGV[1], tostring(tonumber(t[1]) + tonumber(t[2]) / 1000000))
end
return 1
"""

_PAUSE = """
local t = redis.call('TIME')
local until_ = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tostring(until_), 'EX', ARGV[2])
end
return 1
"""


def limiter_namespace(token: str) -> str:
    """The Redis keys of one bot token's limiter: named by the bot's id, not its secret."""
    return f"{KEY_PREFIX}:{token.split(':', 1)[0]}"


class SharedOutgoingLimiter(OutgoingLimiter):
    """`OutgoingLimiter` whose overall rule holds across processes (see the module)."""

    def __init__(
        self,
        redis: Any,
        namespace: str,
        limits: SendLimits | None = None,
        clock: Clock | None = None,
        *,
        stale: float = STALE_AFTER,
    ) -> None:
        super().__init__(limits, clock)
        self.redis = redis
        self._stale = stale
        order, left, answered, paused, last, sequence = (
            f"{namespace}:{part}" for part in ("order", "left", "answered", "paused", "last", "seq")
        )
        self._depart_keys = [order, left, answered, paused, last, sequence]
        self._answer_keys = [left, answered]
        self._pause_keys = [paused]
        self._depart_script = redis.register_script(_DEPART)
        self._answered_script = redis.register_script(_ANSWERED)
        self._pause_script = redis.register_script(_PAUSE)
        self._pausing: set[asyncio.Task[Any]] = set()

    @asynccontextmanager
    async def sending(self) -> AsyncIterator[None]:
        departure = await self._shared_departure()
        try:
            yield
        finally:
            await self._answered_script(keys=self._answer_keys, args=[departure])

    async def _shared_departure(self) -> str:
        limits = self.limits
        args = [
            limits.overall_per_second,
            repr(limits.window),
            repr(limits.overall_interval / 2),
            repr(self._stale),
            KEY_TTL,
            repr(POLL),
        ]
        # One waiter of this process at a time asks Redis; the others queue here.
        async with self._turn:
            while True:
                # A pause this process just heard of may not be in Redis yet.
                paused = self._paused_until - self.clock.now()
                if paused > 0:
                    await self.clock.sleep(paused)
                    continue
                granted, value = await self._depart_script(keys=self._depart_keys, args=args)
                if int(granted):
                    return _text(value)
                await self.clock.sleep(float(_text(value)))

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": every process waits, this one at once."""
        super().pause(seconds)
        task = asyncio.ensure_future(
            self._pause_script(keys=self._pause_keys, args=[repr(float(seconds)), KEY_TTL])
        )
        self._pausing.add(task)
        task.add_done_callback(self._pausing.discard)

    async def close(self) -> None:
        if self._pausing:
            await asyncio.gather(*self._pausing, return_exceptions=True)
        # The Redis client is the process's: its owner closes it.


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def create_limiter(
    token: str,
    redis: Any | None,
    limits: SendLimits | None = None,
    clock: Clock | None = None,
) -> OutgoingLimiter:
    """The limiter for one bot token: shared through the process's Redis client when there
    is one, else for this process alone."""
    if redis is None:
        return OutgoingLimiter(limits, clock)
    return SharedOutgoingLimiter(redis, limiter_namespace(token), limits, clock)
