"""What the emulator remembers of the bot's calls, for tests and the terminal client to read."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tools.emulator.world import BotAccount, Chat, StoredMessage, User


@dataclass(slots=True)
class RecordedRequest:
    """One Bot API call: files appear in `params` as `attach://...` and in `files` by name."""

    bot_id: int
    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, str] = field(default_factory=dict)
    ok: bool | None = None
    error_code: int | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    query_id: str
    user: User
    data: str | None
    message: StoredMessage | None
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True, slots=True)
class InlineAnswer:
    query_id: str
    user: User
    query: str
    offset: str
    results: list[dict[str, Any]]
    next_offset: str | None
    cache_time: int | None
    is_personal: bool

    def result(self, result_id: str) -> dict[str, Any]:
        for result in self.results:
            if str(result.get("id")) == result_id:
                return result
        raise KeyError(result_id)

    @property
    def ids(self) -> list[str]:
        return [str(result.get("id")) for result in self.results]


class EventKind(StrEnum):
    SENT = "sent"
    EDITED = "edited"
    DELETED = "deleted"
    CALLBACK_ANSWER = "callback_answer"
    INLINE_ANSWER = "inline_answer"
    CHAT_ACTION = "chat_action"


@dataclass(frozen=True, slots=True)
class EmulatorEvent:
    """Something a bot did that a person in the chat would notice."""

    kind: EventKind
    bot: BotAccount
    chat: Chat | None = None
    message: StoredMessage | None = None
    callback_answer: CallbackAnswer | None = None
    inline_answer: InlineAnswer | None = None
    action: str | None = None
