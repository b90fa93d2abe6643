"""Filters shared by the routers."""

from __future__ import annotations

from aiogram import Bot
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Chat, Message, User

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
        member = await bot.get_chat_member(event_chat.id, event_from_user.id)
        return member.status in ADMIN_STATUSES
