"""Inline mode: `@bot <words>` in any chat lists matching facts; an empty query lists
the headline figures of every topic."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import InlineQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.queries.facts import FactQueries
from bot.render.inline import CACHE_TIME, inline_page
from bot.render.labels import current_language

router = Router(name=__name__)


@router.inline_query()
async def on_inline_query(inline_query: InlineQuery, session: AsyncSession, bot: Bot) -> None:
    queries = FactQueries.of(session)
    me = await bot.me()  # asked of Telegram once, then kept by aiogram
    page = await inline_page(
        queries, inline_query.query, inline_query.offset, current_language(), me.username
    )
    await inline_query.answer(
        page.results,
        cache_time=CACHE_TIME,
        is_personal=True,
        next_offset=page.next_offset,
        button=page.button,
    )


@router.message(F.via_bot)
async def on_fact_posted(message: Message) -> None:
    """A fact someone posted through inline mode is not a request: no answer."""
