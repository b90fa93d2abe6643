"""/export [topic]: the facts as a CSV document."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.features.export import (
    export_caption,
    export_filename,
    facts_csv,
    nothing_to_export_text,
    unknown_topic_text,
)
from bot.render.html import escape
from bot.render.topic_names import find_topic
from bot.storage.repositories import FactRepository

router = Router(name=__name__)


@router.message(Command("export"))
async def cmd_export(message: Message, command: CommandObject, facts: FactRepository) -> None:
    topic = find_topic(command.args) if command.args else None
    if command.args and topic is None:
        await message.answer(escape(unknown_topic_text(command.args)))
        return
    found = await facts.list(topic=topic)
    if not found:
        await message.answer(escape(nothing_to_export_text()))
        return
    document = BufferedInputFile(facts_csv(found), filename=export_filename(topic))
    await message.answer_document(document, caption=export_caption(topic, found))
