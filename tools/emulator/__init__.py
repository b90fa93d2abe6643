"""A local Telegram Bot API emulator for tests and `make chat`: real HTTP, no network."""

from tools.emulator.emulator import DEFAULT_TOKEN, EmulatorConfig, TelegramEmulator
from tools.emulator.errors import ApiError
from tools.emulator.faults import Fault, FaultKind
from tools.emulator.limits import RateLimits, Violation
from tools.emulator.records import (
    CallbackAnswer,
    EmulatorEvent,
    EventKind,
    InlineAnswer,
    RecordedRequest,
)
from tools.emulator.world import BotAccount, Button, Chat, MemberStatus, StoredMessage, User

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "BotAccount",
    "Button",
    "CallbackAnswer",
    "Chat",
    "EmulatorConfig",
    "EmulatorEvent",
    "EventKind",
    "Fault",
    "FaultKind",
    "InlineAnswer",
    "MemberStatus",
    "RateLimits",
    "RecordedRequest",
    "StoredMessage",
    "TelegramEmulator",
    "User",
    "Violation",
]
