"""Button presses no other router took: old keyboards, forged or mangled data."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.render.views import stale_button_text

log = logging.getLogger(__name__)
router = Router(name=__name__)


@router.callback_query()
async def on_stale_button(callback: CallbackQuery) -> None:
    # Every button's data is read by its CallbackData; what none of them accepts (an
    # unknown prefix, a wrong shape, a value out of range) ends here.
    log.warning(
        "refused button data %r from user %d", (callback.data or "")[:64], callback.from_user.id
    )
    await callback.answer(stale_button_text())
