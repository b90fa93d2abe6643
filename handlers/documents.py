"""New articles from the operators: an administrator (ADMIN_IDS) sends a .txt document in a
private chat, the bot adds it to the store and says what it found. Anyone else is thanked
and told that only administrators can add documents."""

from __future__ import annotations

from pathlib import PurePath

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.settings import Settings
from bot.storage.ingest import ingest_bytes
from bot.render.ingest import (
    ingest_report_text,
    not_a_text_file_text,
    not_an_admin_text,
    too_large_text,
)

router = Router(name=__name__)

# News articles are a few kilobytes; anything this large is not one.
MAX_DOCUMENT_KB = 2048


@router.message(F.chat.type == ChatType.PRIVATE, F.document)
async def on_document(
    message: Message,
    bot: Bot,
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    document = message.document
    if document is None or message.from_user is None:
        return
    if message.from_user.id not in settings.admin_ids:
        await message.answer(not_an_admin_text())
        return
    name = PurePath(document.file_name or "").name
    if not name.lower().endswith(".txt"):
        await message.answer(not_a_text_file_text())
        return
    if (document.file_size or 0) > MAX_DOCUMENT_KB * 1024:
        await message.answer(too_large_text(MAX_DOCUMENT_KB))
        return
    downloaded = await bot.download(document)
    data = downloaded.read() if downloaded is not None else b""
    report = await ingest_bytes(session_factory, name, data)
    await message.answer(ingest_report_text(report))
