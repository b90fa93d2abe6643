"""/sources: the documents the store was built from."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.queries.facts import FactQueries
from bot.render.keyboards import SourcePage
from bot.render.views import show_in_place, sources_view

router = Router(name=__name__)


@router.message(Command("sources"))
async def cmd_sources(
    message: Message,
    session: AsyncSession,
) -> None:
    reply = await sources_view(FactQueries.of(session))
    assert reply is not None  # the first page always exists
    await message.answer(reply.text, reply_markup=reply.markup, disable_web_page_preview=True)


@router.callback_query(SourcePage.filter())
async def on_sources_page_clicked(
    callback: CallbackQuery,
    callback_data: SourcePage,
    session: AsyncSession,
) -> None:
    reply = await sources_view(FactQueries.of(session), callback_data.page)
    await show_in_place(callback, reply)
