"""Button presses whose data a handler could not use: refused, never a failed update.

Callback data is read by each prefix's CallbackData, whose fields carry their ranges, and
what none of them accepts goes to the stale-button handler. This is the net behind them:
a value a handler still cannot use (ValueError, TypeError, LookupError) gets the same
polite answer and a warning, not an exception that would make Telegram send the update
again and again on a webhook.
"""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import CallbackQuery, ErrorEvent

from bot.render.views import stale_button_text

log = logging.getLogger(__name__)
router = Router(name=__name__)


@router.errors(
    ExceptionTypeFilter(ValueError, TypeError, LookupError),
    F.update.callback_query.as_("callback"),
)
async def on_unusable_button(event: ErrorEvent, callback: CallbackQuery, bot: Bot) -> None:
    log.warning(
        "refused button data %r from user %d: %s",
        (callback.data or "")[:64],
        callback.from_user.id,
        event.exception,
    )
    # The handler may have answered the press before it failed.
    with contextlib.suppress(TelegramBadRequest):
        await bot.answer_callback_query(callback.id, text=stale_button_text())
