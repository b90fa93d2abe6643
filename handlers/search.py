"""/search <words>, plain text in a private chat, and the ◀ ▶ of their results."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.queries.facts import FactQueries
from bot.render.keyboards import ResultsPage
from bot.render.views import search_page_view, search_prompt_view, search_view, show_in_place

router = Router(name=__name__)


@router.message(Command("search", magic=F.args))
async def cmd_search(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
) -> None:
    reply = await search_view(FactQueries.of(session), command.args or "")
    assert reply is not None  # the first page always exists
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
    assert reply is not None  # the first page always exists
    await message.answer(reply.text, reply_markup=reply.markup)


@router.callback_query(ResultsPage.filter())
async def on_results_page_clicked(
    callback: CallbackQuery,
    callback_data: ResultsPage,
    session: AsyncSession,
) -> None:
    reply = await search_page_view(FactQueries.of(session), callback_data.query, callback_data.page)
    await show_in_place(callback, reply)
