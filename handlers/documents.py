"""New articles from the operators: an administrator (ADMIN_IDS) sends a .txt document in a
private chat, the bot adds it to the store and says what it found. A document named like
one already in the store replaces it only when the administrator confirms. Anyone else is
thanked and told that only administrators can add documents."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Document, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.settings import Settings
from bot.features.uploads import TooSlow, UploadLimits, ingest_upload, looks_like_utf16
from bot.render.ingest import (
    UploadChoice,
    ingest_report_text,
    kept_text,
    not_a_text_file_text,
    not_an_admin_text,
    replace_keyboard,
    replace_question_text,
    too_large_text,
    too_slow_text,
    utf16_text,
)
from bot.render.views import Reply, answer_stale, show_in_place
from bot.storage.repositories import DocumentRepository

router = Router(name=__name__)

DEFAULT_LIMITS = UploadLimits()
PENDING = "upload"  # the FSM data key of a document waiting for the admin's choice


@router.message(F.chat.type == ChatType.PRIVATE, F.document)
async def on_document(
    message: Message,
    bot: Bot,
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    documents: DocumentRepository,
    state: FSMContext,
    upload_limits: UploadLimits = DEFAULT_LIMITS,
) -> None:
    document = message.document
    if document is None or message.from_user is None:
        return
    refusal = _refusal(message.from_user.id, document, settings, upload_limits)
    if refusal is not None:
        await message.answer(refusal)
        return
    name = PurePath(document.file_name or "").name
    data = await _download(bot, document.file_id)
    refusal = _content_refusal(data, upload_limits)
    if refusal is not None:
        await message.answer(refusal)
        return
    if await documents.sha256_of(name) not in (None, hashlib.sha256(data).hexdigest()):
        await state.update_data({PENDING: {"file_id": document.file_id, "name": name}})
        await message.answer(replace_question_text(name), reply_markup=replace_keyboard())
        return
    await message.answer(await _ingest(session_factory, name, data, upload_limits))


@router.callback_query(UploadChoice.filter())
async def on_replace_chosen(
    callback: CallbackQuery,
    callback_data: UploadChoice,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    state: FSMContext,
    upload_limits: UploadLimits = DEFAULT_LIMITS,
) -> None:
    pending = (await state.get_data()).get(PENDING)
    if not isinstance(pending, dict):
        await answer_stale(callback)
        return
    await state.update_data({PENDING: None})
    name = str(pending["name"])
    if not callback_data.replace:
        await show_in_place(callback, Reply(kept_text(name)))
        return
    # Answered first: reading the document takes a moment.
    await callback.answer()
    data = await _download(bot, str(pending["file_id"]))
    text = await _ingest(session_factory, name, data, upload_limits)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text)


def _refusal(
    user_id: int, document: Document, settings: Settings, limits: UploadLimits
) -> str | None:
    """Why the upload is refused before it is downloaded, if it is."""
    if user_id not in settings.admin_ids:
        return not_an_admin_text()
    if not PurePath(document.file_name or "").name.lower().endswith(".txt"):
        return not_a_text_file_text()
    if (document.file_size or 0) > limits.max_kb * 1024:
        return too_large_text(limits.max_kb)
    return None


def _content_refusal(data: bytes, limits: UploadLimits) -> str | None:
    """Why the downloaded bytes are refused, if they are."""
    if len(data) > limits.max_kb * 1024:
        return too_large_text(limits.max_kb)
    if looks_like_utf16(data):
        return utf16_text()
    return None


async def _download(bot: Bot, file_id: str) -> bytes:
    downloaded = await bot.download(file_id)
    return downloaded.read() if downloaded is not None else b""


async def _ingest(
    session_factory: async_sessionmaker[AsyncSession],
    name: str,
    data: bytes,
    limits: UploadLimits,
) -> str:
    try:
        report = await ingest_upload(session_factory, name, data, limits)
    except TooSlow:
        return too_slow_text(name)
    return ingest_report_text(report)
