"""What the bot answers about charts: the chart itself as a photo, the menu of
charts, and the words for when there is nothing to draw."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain import Topic
from bot.domain.charts import TOPIC_CHARTS
from bot.features.charts.service import ChartService
from bot.features.charts.spec import chartable_metrics
from bot.queries.facts import FactQueries, SubjectFacts
from bot.render.html import echo, escape
from bot.render.keyboards import ChartOpen
from bot.render.labels import topic_button, topic_label
from bot.render.views import Reply
from bot.storage.repositories import FactRepository

# A card sends at most this many timeline charts: the text has the rest.
CARD_CHARTS = 2


def charts_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic in TOPIC_CHARTS:
        builder.button(text="📊 " + topic_button(topic), callback_data=ChartOpen(topic=topic))
    builder.adjust(1)
    return builder.as_markup()


def charts_menu_view() -> Reply:
    return Reply(escape(_("Which chart shall I draw?")), charts_keyboard())


def no_chart_view(topic: Topic | None, asked: str) -> Reply:
    """For a topic without a chart, or words that name no topic."""
    if topic is None:
        text = _("I don't know the topic «{topic}».").format(topic=echo(asked))
    else:
        text = _("There is no chart for «{topic}».").format(topic=topic_label(topic))
    return Reply(escape(text), charts_keyboard())


def nothing_to_draw_text() -> str:
    return _("There are not enough figures for this chart yet.")


async def send_topic_chart(
    bot: Bot, chat_id: int, topic: Topic, facts: FactRepository, charts: ChartService
) -> Message:
    """The topic's chart as a photo, or a line saying there is nothing to draw yet."""
    chart = await charts.topic_chart(TOPIC_CHARTS[topic], facts)
    if chart is None:
        return await bot.send_message(chat_id, escape(nothing_to_draw_text()))
    return await charts.send(bot, chat_id, chart)


async def send_timeline_charts(
    bot: Bot, chat_id: int, group: SubjectFacts, facts: FactRepository, charts: ChartService
) -> list[Message]:
    """A small chart for each metric of a subject that has three or more dated figures."""
    sent = []
    for metric in chartable_metrics(group)[:CARD_CHARTS]:
        chart = await charts.timeline_chart(group, metric, facts)
        if chart is not None:
            sent.append(await charts.send(bot, chat_id, chart))
    return sent


async def send_card_charts(
    bot: Bot,
    chat_id: int,
    queries: FactQueries,
    key: str,
    facts: FactRepository,
    charts: ChartService,
) -> list[Message]:
    """The timeline charts that go under a subject's card."""
    group = await queries.subject(key)
    if group is None:
        return []
    return await send_timeline_charts(bot, chat_id, group, facts, charts)
