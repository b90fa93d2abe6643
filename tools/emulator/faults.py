"""Programmable failures, so that retry and error paths can be tested against a real HTTP API."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tools.emulator.errors import BLOCKED, CHAT_NOT_FOUND, ApiError, DropConnection


class FaultKind(StrEnum):
    RETRY_AFTER = "retry_after"  # 429 Too Many Requests with parameters.retry_after
    SERVER_ERROR = "server_error"  # 500 Internal Server Error
    TIMEOUT = "timeout"  # no answer: the connection is dropped after `delay` seconds
    FORBIDDEN = "forbidden"  # 403 bot was blocked by the user
    CHAT_NOT_FOUND = "chat_not_found"  # 400 chat not found


@dataclass(slots=True)
class Fault:
    """Fails matching requests `times` times (None: every time).

    With `after_delivery` the request takes effect first and only the answer fails, as when
    Telegram delivered a message but the bot never saw the reply.
    """

    kind: FaultKind
    method: str | None = None
    chat_id: int | str | None = None
    times: int | None = 1
    retry_after: int = 1
    delay: float = 0.0
    after_delivery: bool = False
    hits: int = 0

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.exhausted:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)

    def error(self) -> Exception:
        if self.kind is FaultKind.RETRY_AFTER:
            return ApiError.too_many_requests(self.retry_after)
        if self.kind is FaultKind.SERVER_ERROR:
            return ApiError.server_error()
        if self.kind is FaultKind.TIMEOUT:
            return DropConnection(self.delay)
        if self.kind is FaultKind.FORBIDDEN:
            return ApiError.forbidden(BLOCKED)
        return ApiError.bad_request(CHAT_NOT_FOUND)


class Faults:
    """The emulator's fault table: `emulator.faults.add(method="sendMessage", kind="timeout")`."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        kind: FaultKind | str,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
        times: int | None = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        after_delivery: bool = False,
    ) -> Fault:
        fault = Fault(
            kind=FaultKind(kind),
            method=method,
            chat_id=chat_id,
            times=times,
            retry_after=retry_after,
            delay=delay,
            after_delivery=after_delivery,
        )
        self._faults.append(fault)
        return fault

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The first fault that applies to this request, counted as used."""
        for fault in self._faults:
            if fault.matches(method, params):
                fault.hits += 1
                return fault
        return None

    def clear(self) -> None:
        self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        return [fault for fault in self._faults if not fault.exhausted]
