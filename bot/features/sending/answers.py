"""Answers count against the overall send rate too.

Telegram's "about 30 messages a second" is per bot, whatever sends them. The digest
fan-out takes an overall slot for each message; so do the answers to users, through this
request middleware on the bot that answers updates, on the same limiter (in Redis with
several replicas). During a fan-out an answer waits for the next free slot (a fraction of
a second at most: the fan-out keeps only a few messages waiting), so the two together
stay within the limit. A "retry after" an answer meets stops the digests as well.
"""

from __future__ import annotations

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

# Methods that put a new message into a chat, besides every send… but the chat action.
MESSAGE_METHODS = (CopyMessage, CopyMessages, ForwardMessage, ForwardMessages)


def counts(method: object) -> bool:
    """Whether Telegram counts the request as a message sent."""
    name = type(method).__name__
    return isinstance(method, MESSAGE_METHODS) or (
        name.startswith("Send") and name != "SendChatAction"
    )


class OverallSendLimit(BaseRequestMiddleware):
    def __init__(self, limiter: OutgoingLimiter) -> None:
        self.limiter = limiter

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not counts(method):
            return await make_request(bot, method)
        try:
            async with self.limiter.sending():
                return await make_request(bot, method)
        except TelegramRetryAfter as error:
            self.limiter.pause(float(error.retry_after))
            raise
