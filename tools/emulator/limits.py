"""Telegram's flood limits as accounting: every send is timed and every excess is recorded.

Telegram does not publish exact limits; its guidance is about 30 messages per second
overall, one per second in a chat and 20 per minute in a group. Bulk senders (the digest)
must stay under them, so tests read `emulator.violations`, or set `enforce=True` to get the
429 answers a real bot would get.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

SEND_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendaudio",
        "sendvideo",
        "sendanimation",
        "sendvoice",
        "sendsticker",
        "sendmediagroup",
        "sendlocation",
        "sendpoll",
        "copymessage",
        "forwardmessage",
    }
)


@dataclass(frozen=True, slots=True)
class RateLimits:
    overall_per_second: int = 30
    chat_per_second: int = 1
    group_per_minute: int = 20
    enforce: bool = False  # answer an excess with 429 instead of only recording it


@dataclass(frozen=True, slots=True)
class Violation:
    """One send over a limit; `rule` is "overall", "chat" or "group"."""

    rule: str
    bot_id: int
    chat_id: int
    method: str
    at: float
    retry_after: int
    rejected: bool


@dataclass(frozen=True, slots=True)
class _Send:
    at: float
    bot_id: int
    chat_id: int


@dataclass
class RateLimiter:
    limits: RateLimits
    clock: Callable[[], float]
    sends: deque[_Send] = field(default_factory=deque)
    violations: list[Violation] = field(default_factory=list)

    def admit(self, bot_id: int, chat_id: int, is_group: bool, method: str) -> list[Violation]:
        """Records what this send would violate; the caller refuses it when `enforce` is on."""
        now = self.clock()
        self._forget(now)
        found = []
        rules: list[tuple[str, float, int, Callable[[_Send], bool]]] = [
            ("overall", 1.0, self.limits.overall_per_second, lambda s: s.bot_id == bot_id),
            (
                "chat",
                1.0,
                self.limits.chat_per_second,
                lambda s: s.bot_id == bot_id and s.chat_id == chat_id,
            ),
        ]
        if is_group:
            rules.append(
                (
                    "group",
                    60.0,
                    self.limits.group_per_minute,
                    lambda s: s.bot_id == bot_id and s.chat_id == chat_id,
                )
            )
        for rule, window, limit, counts in rules:
            recent = [send.at for send in self.sends if counts(send) and send.at > now - window]
            if len(recent) >= limit:
                wait = max(1, math.ceil(recent[-limit] + window - now))
                found.append(
                    Violation(rule, bot_id, chat_id, method, now, wait, self.limits.enforce)
                )
        self.violations.extend(found)
        return found

    def record(self, bot_id: int, chat_id: int) -> None:
        self.sends.append(_Send(self.clock(), bot_id, chat_id))

    def _forget(self, now: float) -> None:
        while self.sends and self.sends[0].at <= now - 60.0:
            self.sends.popleft()
