"""/subject <name>: the card of a company, town, zone or region, found by its name."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.queries.facts import FactQueries
from bot.render.views import subject_prompt_view, subject_view

router = Router(name=__name__)


@router.message(Command("subject", magic=F.args))
async def cmd_subject(message: Message, command: CommandObject, session: AsyncSession) -> None:
    reply = await subject_view(FactQueries.of(session), command.args or "")
    await message.answer(reply.text, reply_markup=reply.markup)


@router.message(Command("subject"))
async def cmd_subject_without_name(message: Message) -> None:
    await message.answer(subject_prompt_view().text)
