"""An administrator's link in a private chat: the page is fetched and ingested. Anyone
else's link goes on to the other handlers (search) as any text does."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.settings import Settings
from bot.features.feeds.links import add_link
from bot.features.feeds.views import link_result_text

router = Router(name=__name__)

# A message that is one address and nothing else, of any scheme (others are refused).
LINK = r"^\s*[A-Za-z][A-Za-z0-9+.-]*://\S+\s*$"


@router.message(F.chat.type == ChatType.PRIVATE, F.text.regexp(LINK))
async def on_link(
    message: Message,
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    if message.from_user is None or message.from_user.id not in settings.admin_ids:
        raise SkipHandler
    result = await add_link(session_factory, (message.text or "").strip(), settings)
    await message.answer(link_result_text(result), disable_web_page_preview=True)
