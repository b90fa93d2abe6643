"""/search <words>, and plain text in a private chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.queries.facts import FactQueries
from bot.render.views import search_prompt_view, search_view

router = Router(name=__name__)


@router.message(Command("search", magic=F.args))
async def cmd_search(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
) -> None:
    reply = await search_view(FactQueries.of(session), command.args or "")
    await message.answer(reply.text, reply_markup=reply.markup)


@router.message(Command("search"))
async def cmd_search_without_words(message: Message) -> None:
    await message.answer(search_prompt_view().text)


@router.message(F.chat.type == ChatType.PRIVATE, F.text, ~F.text.startswith("/"))
async def on_private_text(
    message: Message,
    session: AsyncSession,
) -> None:
    reply = await search_view(FactQueries.of(session), message.text or "")
    await message.answer(reply.text, reply_markup=reply.markup)
