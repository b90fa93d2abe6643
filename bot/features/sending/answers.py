"""Answers count against the overall send rate too.

Telegram's "about 30 messages a second" is per bot, whatever sends them. The digest
fan-out takes an overall slot for each message; so do the answers to users, through this
request middleware on the bot that answers updates, on the same limiter (in Redis with
several replicas). During a fan-out an answer waits for the next free slot (a fraction of
a second at most: the fan-out keeps only a few messages waiting), so the two together
stay within the limit.

A "retry after" an answer meets pauses that chat, not the others (unless several chats
meet one at once: see `OutgoingLimiter.flood`), and the answer is sent again when the
pause is over instead of being lost.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import CopyMessage, CopyMessages, ForwardMessage, ForwardMessages
from aiogram.methods.base import TelegramType

from bot.features.sending.limiter import OutgoingLimiter

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

log = logging.getLogger(__name__)

# How many times one request meets "retry after" before its error is let through.
RETRY_AFTER_ATTEMPTS = 3

# Methods that put a new message into a chat, besides every send… but the chat action.
MESSAGE_METHODS = (CopyMessage, CopyMessages, ForwardMessage, ForwardMessages)


def counts(method: object) -> bool:
    """Whether Telegram counts the request as a message sent."""
    name = type(method).__name__
    return isinstance(method, MESSAGE_METHODS) or (
        name.startswith("Send") and name != "SendChatAction"
    )


def chat_of(method: object) -> int | None:
    """The chat a request is for, when it names one by its numeric id."""
    chat_id = getattr(method, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None


class OverallSendLimit(BaseRequestMiddleware):
    def __init__(self, limiter: OutgoingLimiter, attempts: int = RETRY_AFTER_ATTEMPTS) -> None:
        self.limiter = limiter
        self.attempts = attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat_id = chat_of(method)
        attempt = 1
        while True:
            if chat_id is not None:
                await self.limiter.chat_ready(chat_id)
            try:
                if not counts(method):
                    return await make_request(bot, method)
                async with self.limiter.sending():
                    return await make_request(bot, method)
            except TelegramRetryAfter as error:
                self.limiter.flood(chat_id, float(error.retry_after))
                if attempt >= self.attempts:
                    raise
                log.warning(
                    "%s to chat %s: retry after %d s",
                    type(method).__name__,
                    chat_id,
                    error.retry_after,
                )
                if chat_id is None:
                    await self.limiter.clock.sleep(float(error.retry_after))
                attempt += 1
