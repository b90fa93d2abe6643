"""Button presses no other router took: old keyboards, forged or mangled data."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.render.views import stale_button_text

router = Router(name=__name__)


@router.callback_query()
async def on_stale_button(callback: CallbackQuery) -> None:
    await callback.answer(stale_button_text())
