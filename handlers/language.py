"""/lang: Russian or Kazakh, remembered per chat; in groups only administrators choose."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot.render.i18n import LANGUAGES
from bot.render.keyboards import LanguageChoice
from bot.render.views import (
    admins_only_text,
    admins_only_view,
    language_set_view,
    language_view,
    show_in_place,
)
from bot.storage.repositories import ChatRepository
from handlers.filters import MaySetChatLanguage

router = Router(name=__name__)


@router.message(Command("lang"), MaySetChatLanguage())
async def cmd_lang(message: Message) -> None:
    reply = language_view()
    await message.answer(reply.text, reply_markup=reply.markup)


@router.message(Command("lang"))
async def cmd_lang_not_admin(message: Message) -> None:
    await message.answer(admins_only_view().text)


@router.callback_query(LanguageChoice.filter(F.language.in_(LANGUAGES)), MaySetChatLanguage())
async def on_language_chosen(
    callback: CallbackQuery, callback_data: LanguageChoice, chats: ChatRepository, i18n: I18n
) -> None:
    language = callback_data.language
    chat = callback.message.chat if callback.message else callback.from_user
    await chats.set_language(chat.id, language)
    with i18n.use_locale(language):
        await show_in_place(callback, language_set_view(language))


@router.callback_query(LanguageChoice.filter(F.language.in_(LANGUAGES)))
async def on_language_chosen_not_admin(callback: CallbackQuery) -> None:
    await callback.answer(admins_only_text(), show_alert=True)
