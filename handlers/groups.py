"""Group chats: a greeting when the bot is added, and silence for what is not for it.

Commands work in groups as `/zones` and `/zones@botname` through the other routers;
the group's language is the one an administrator chose with /lang (else the caller's),
see `bot.render.i18n.ChatLanguageMiddleware` and `handlers.language`.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import JOIN_TRANSITION, ChatMemberUpdatedFilter, Filter
from aiogram.types import ChatMemberUpdated, Message

from bot.render.greetings import greeting_html

router = Router(name=__name__)

GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


class NotForThisBot(Filter):
    """A group message that is no request to this bot: talk, replies, facts posted
    through inline mode, and commands addressed to another bot."""

    async def __call__(self, message: Message, bot: Bot) -> bool:
        if message.chat.type not in GROUP_TYPES:
            return False
        text = message.text or message.caption or ""
        if not text.startswith("/"):
            return True
        command = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
        _name, at, mention = command.partition("@")
        if not at:
            return False
        me = await bot.me()
        return mention.lower() != (me.username or "").lower()


@router.my_chat_member(
    F.chat.type.in_(GROUP_TYPES), ChatMemberUpdatedFilter(member_status_changed=JOIN_TRANSITION)
)
async def on_added_to_group(event: ChatMemberUpdated, bot: Bot) -> None:
    me = await bot.me()
    await bot.send_message(event.chat.id, greeting_html(me.username or ""))


@router.message(NotForThisBot())
async def on_group_talk(message: Message) -> None:
    """Not every message in a group is for the bot: no answer."""
