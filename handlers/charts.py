"""/chart <topic> and the 📊 button of topic answers: a chart as a photo."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.domain.charts import TOPIC_CHARTS
from bot.features.charts.replies import charts_menu_view, no_chart_view, send_topic_chart
from bot.features.charts.service import ChartService
from bot.render.keyboards import ChartOpen
from bot.render.topic_names import find_topic
from bot.render.views import stale_button_text
from bot.storage.repositories import FactRepository

router = Router(name=__name__)


@router.message(Command("chart"))
async def cmd_chart(
    message: Message,
    command: CommandObject,
    bot: Bot,
    facts: FactRepository,
    charts: ChartService,
) -> None:
    if not command.args:
        reply = charts_menu_view()
        await message.answer(reply.text, reply_markup=reply.markup)
        return
    topic = find_topic(command.args)
    if topic not in TOPIC_CHARTS:
        reply = no_chart_view(topic, command.args)
        await message.answer(reply.text, reply_markup=reply.markup)
        return
    await send_topic_chart(bot, message.chat.id, topic, facts, charts)


@router.callback_query(ChartOpen.filter())
async def on_chart_clicked(
    callback: CallbackQuery,
    callback_data: ChartOpen,
    bot: Bot,
    facts: FactRepository,
    charts: ChartService,
) -> None:
    if callback_data.topic not in TOPIC_CHARTS or not isinstance(callback.message, Message):
        await callback.answer(stale_button_text())
        return
    # Answer first: drawing a chart the first time takes a moment.
    await callback.answer()
    await send_topic_chart(bot, callback.message.chat.id, callback_data.topic, facts, charts)
