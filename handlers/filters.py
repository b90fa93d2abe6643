"""Filters shared by the routers."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Chat, Message, User

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR})


class MaySetChatLanguage(Filter):
    """Anyone in a private chat; only administrators in a group."""

    async def __call__(
        self,
        event: Message | CallbackQuery,
        bot: Bot,
        event_chat: Chat | None = None,
        event_from_user: User | None = None,
    ) -> bool:
        if event_chat is None or event_from_user is None:
            return False
        if event_chat.type == ChatType.PRIVATE:
            return True
        # A message sent on behalf of a channel or an anonymous administrator carries
        # `sender_chat` and a stand-in user Telegram does not know as a member
        # (PARTICIPANT_ID_INVALID): such senders are not administrators here.
        try:
            member = await bot.get_chat_member(event_chat.id, event_from_user.id)
        except (TelegramBadRequest, TelegramForbiddenError) as error:
            log.info("no member %d in chat %d: %s", event_from_user.id, event_chat.id, error)
            return False
        return member.status in ADMIN_STATUSES
