"""/sources: the documents the store was built from, and how fresh each news outlet is."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.feeds.store import FeedStore
from bot.features.feeds.views import outlets_text
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
    outlets = outlets_text(await FeedStore(session).feed_states())
    if outlets is not None:
        await message.answer(outlets)


@router.callback_query(SourcePage.filter())
async def on_sources_page_clicked(
    callback: CallbackQuery,
    callback_data: SourcePage,
    session: AsyncSession,
) -> None:
    reply = await sources_view(FactQueries.of(session), callback_data.page)
    await show_in_place(callback, reply)
