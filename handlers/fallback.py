"""Anything no other router took: a short, helpful answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

router = Router(name=__name__)


@router.message(F.text.startswith("/"))
async def on_unknown_command(message: Message) -> None:
    await message.answer(_("I don't know this command. Send /help to see what I can do."))


@router.message()
async def on_anything_else(message: Message) -> None:
    await message.answer(_("Send /help to see what I can do."))
