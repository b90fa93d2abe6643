"""/start with its deep links (a topic, a subject's card), /help and the topic buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import MAIN_TOPICS, Topic
from bot.queries.facts import FactQueries
from bot.render.keyboards import TopicOpen, card_key_of
from bot.render.views import (
    card_link_view,
    help_view,
    in_private_chat,
    send_from_button,
    start_view,
    topic_view,
)

router = Router(name=__name__)


@router.message(CommandStart(deep_link=True, magic=F.args.in_(set(MAIN_TOPICS))))
async def cmd_start_topic(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
) -> None:
    reply = await topic_view(
        FactQueries.of(session), Topic(command.args or ""), share=in_private_chat(message)
    )
    assert reply is not None  # the first page always exists
    await message.answer(reply.text, reply_markup=reply.markup)


@router.message(CommandStart(deep_link=True, magic=F.args.func(card_key_of)))
async def cmd_start_card(message: Message, command: CommandObject, session: AsyncSession) -> None:
    reply = await card_link_view(FactQueries.of(session), command.args)
    if reply is None:  # a subject the store no longer has
        await cmd_start(message)
        return
    await message.answer(reply.text, reply_markup=reply.markup)


@router.message(CommandStart())
async def cmd_start(message: Message) -> None:
    reply = start_view(message.from_user.first_name if message.from_user else None)
    await message.answer(reply.text, reply_markup=reply.markup)


@router.message(Command("help"))
async def cmd_help(message: Message) -> None:
    reply = help_view()
    await message.answer(reply.text, reply_markup=reply.markup)


@router.callback_query(TopicOpen.filter())
async def on_topic_chosen(
    callback: CallbackQuery,
    callback_data: TopicOpen,
    session: AsyncSession,
) -> None:
    reply = await topic_view(
        FactQueries.of(session), callback_data.topic, share=in_private_chat(callback)
    )
    await send_from_button(callback, reply)
