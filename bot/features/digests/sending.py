"""What a failed send means, and how long to keep trying.

| Telegram's answer                         | verdict     | what happens                       |
|-------------------------------------------|-------------|------------------------------------|
| 429 with retry_after                      | RETRY_AFTER | wait as told (all sends), retry    |
| 5xx, timeout, connection lost             | TRANSIENT   | retry with backoff, a few times    |
| 403 (blocked, kicked), chat not found, …  | GONE        | subscription off, fan-out goes on  |
| group migrated to a supergroup            | MIGRATED    | follow the new chat id, retry      |
| any other 400                             | REFUSED     | this digest failed, logged         |
| 401 (the token is wrong)                  | raised      | nothing can be sent: stop          |
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

# 400 answers that mean the chat is gone for good, as Telegram words them.
GONE_MARKERS = (
    "chat not found",
    "user is deactivated",
    "group chat was deactivated",
    "bot was blocked",
    "bot was kicked",
    "not a member",
    "peer_id_invalid",
    "have no rights to send",
    "bot can't initiate conversation",
)


class Verdict(StrEnum):
    SENT = "sent"
    RETRY_AFTER = "retry_after"
    TRANSIENT = "transient"
    GONE = "gone"
    MIGRATED = "migrated"
    REFUSED = "refused"
    LOST_CLAIM = "lost_claim"  # another sender took the delivery over: send nothing


@dataclass(frozen=True, slots=True)
class Attempt:
    verdict: Verdict
    error: str | None = None
    retry_after: float = 0.0
    migrate_to: int | None = None


SENT = Attempt(Verdict.SENT)
LOST_CLAIM = Attempt(Verdict.LOST_CLAIM)


def classify(error: Exception) -> Attempt:
    """The verdict on a failed send; a wrong token is not a verdict but raised."""
    text = str(error)
    if isinstance(error, TelegramUnauthorizedError):
        raise error
    if isinstance(error, TelegramRetryAfter):
        return Attempt(Verdict.RETRY_AFTER, text, retry_after=float(error.retry_after))
    if isinstance(error, TelegramMigrateToChat):
        return Attempt(Verdict.MIGRATED, text, migrate_to=error.migrate_to_chat_id)
    if isinstance(error, TelegramForbiddenError):
        return Attempt(Verdict.GONE, _reason(text))
    if isinstance(error, TelegramBadRequest | TelegramNotFound):
        lowered = text.lower()
        if any(marker in lowered for marker in GONE_MARKERS):
            return Attempt(Verdict.GONE, _reason(text))
        return Attempt(Verdict.REFUSED, text)
    if isinstance(error, TelegramServerError | TelegramNetworkError | ClientDecodeError):
        return Attempt(Verdict.TRANSIENT, text)
    raise error


def _reason(text: str) -> str:
    """A short reason for the subscription record: "bot was blocked by the user"."""
    _, _, detail = text.partition(" - ")
    detail = detail or text
    for prefix in ("Forbidden: ", "Bad Request: "):
        detail = detail.removeprefix(prefix)
    return detail.strip()[:32]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4  # tries of one message on 5xx and timeouts, per run
    backoff: float = 0.5  # seconds before the second try; doubled each time
    backoff_cap: float = 8.0
    retry_afters: int = 5  # "retry after" answers one message may get per run
    request_timeout: int = 10  # seconds a send may take before it counts as a timeout
    defer: timedelta = timedelta(minutes=5)  # when a message that kept failing is tried again
    give_up_after: int = 20  # failed tries over all runs before the digest is failed

    def pause(self, failures: int) -> float:
        """Exponential backoff with jitter, so that senders do not retry in step."""
        ceiling = min(self.backoff_cap, self.backoff * 2 ** max(0, failures - 1))
        return random.uniform(ceiling / 2, ceiling)
