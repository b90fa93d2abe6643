"""A local Telegram Bot API emulator for tests and `make chat`: real HTTP, no network."""

from bot.emulator.emulator import DEFAULT_TOKEN, EmulatorConfig, TelegramEmulator
from bot.emulator.errors import ApiError
from bot.emulator.faults import Fault, FaultKind
from bot.emulator.limits import RateLimits, Violation
from bot.emulator.records import (
    CallbackAnswer,
    EmulatorEvent,
    EventKind,
    InlineAnswer,
    RecordedRequest,
)
from bot.emulator.world import BotAccount, Button, Chat, MemberStatus, StoredMessage, User

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
