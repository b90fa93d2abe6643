"""/investments, /zones, /cargo, /production, /jobs (with a year or «план» after them):
paged answers, narrowed by year or to plans, and subject cards."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import MAIN_TOPICS, Topic
from bot.features.charts.replies import send_card_charts
from bot.features.charts.service import ChartService
from bot.queries.facts import FactQueries
from bot.render.keyboards import CardPage, FactPage, SubjectCard
from bot.render.views import (
    card_view,
    in_private_chat,
    send_from_button,
    show_in_place,
    topic_command_view,
    topic_view,
)
from bot.storage.repositories import FactRepository

router = Router(name=__name__)


@router.message(Command(*(topic.value for topic in MAIN_TOPICS)))
async def cmd_topic(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
) -> None:
    reply = await topic_command_view(
        FactQueries.of(session),
        Topic(command.command),
        command.args,
        share=in_private_chat(message),
    )
    await message.answer(reply.text, reply_markup=reply.markup)


@router.callback_query(FactPage.filter())
async def on_page_clicked(
    callback: CallbackQuery,
    callback_data: FactPage,
    session: AsyncSession,
) -> None:
    queries = FactQueries.of(session)
    reply = await topic_view(
        queries,
        callback_data.topic,
        callback_data.page,
        share=in_private_chat(callback),
        filters=callback_data.filters,
    )
    await show_in_place(callback, reply)


@router.callback_query(SubjectCard.filter())
async def on_subject_chosen(
    callback: CallbackQuery,
    callback_data: SubjectCard,
    session: AsyncSession,
    facts: FactRepository,
    bot: Bot,
    charts: ChartService,
) -> None:
    queries = FactQueries.of(session)
    reply = await card_view(queries, callback_data.topic, callback_data.key)
    await send_from_button(callback, reply)
    if reply is not None and isinstance(callback.message, Message):
        # Figures that changed over time get a small chart under the card.
        chat_id = callback.message.chat.id
        await send_card_charts(bot, chat_id, queries, callback_data.key, facts, charts)


@router.callback_query(CardPage.filter())
async def on_card_page_clicked(
    callback: CallbackQuery,
    callback_data: CardPage,
    session: AsyncSession,
) -> None:
    queries = FactQueries.of(session)
    reply = await card_view(
        queries, callback_data.topic, callback_data.key, callback_data.page, callback_data.filters
    )
    await show_in_place(callback, reply)
