"""Digest subscriptions: /subscribe (buttons, or `/subscribe zones,cargo weekly 08:00`),
/unsubscribe, /settings and /digest. In groups only administrators change the
subscription; a chat that blocks or removes the bot loses it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import IS_MEMBER, IS_NOT_MEMBER, ChatMemberUpdatedFilter, Command
from aiogram.filters.command import CommandObject
from aiogram.types import CallbackQuery, Chat, ChatMemberUpdated, Message
from aiogram.utils.i18n import get_i18n

from bot.domain.schedule import as_utc, zone_for
from bot.domain.settings import Settings
from bot.features.digests.fanout import utcnow as system_utcnow
from bot.features.digests.request import RequestError, SubscriptionRequest, parse_request
from bot.features.digests.service import DigestSubscriptions, Preview
from bot.render.digest import render_nothing_new
from bot.render.html import escape
from bot.render.subscriptions import (
    DigestPage,
    SubscribeForm,
    SubscriptionAction,
    admins_only_text,
    choose_a_topic_text,
    default_form,
    form_keyboard,
    form_text,
    mask_topics,
    not_subscribed_text,
    nothing_to_preview_text,
    preview_intro_text,
    preview_keyboard,
    request_error_text,
    settings_keyboard,
    settings_text,
    subscribed_text,
    unsubscribed_text,
)
from bot.render.views import Reply, show_in_place
from bot.storage.repositories import FactRepository
from bot.storage.subscriptions import SubscriptionRepository
from handlers.filters import MaySetChatLanguage

router = Router(name=__name__)

# Anyone in a private chat; only administrators (asked with getChatMember) in a group.
may_manage = MaySetChatLanguage()
Clock = Callable[[], datetime]
CHANGES = frozenset({"edit", "off", "stop"})


def _service(
    subscriptions: SubscriptionRepository, facts: FactRepository, settings: Settings
) -> DigestSubscriptions:
    return DigestSubscriptions(subscriptions, facts, zone_for(settings.timezone))


def _chat(callback: CallbackQuery) -> Chat | None:
    return callback.message.chat if callback.message else None


# --- commands ---------------------------------------------------------------------------


@router.message(Command("subscribe"), may_manage)
async def cmd_subscribe(
    message: Message,
    command: CommandObject,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
    utcnow: Clock = system_utcnow,
) -> None:
    service = _service(subscriptions, facts, settings)
    if not command.args:
        form = default_form(await service.current(message.chat.id))
        await message.answer(form_text(form), reply_markup=form_keyboard(form))
        return
    try:
        request = parse_request(command.args)
    except RequestError as error:
        await message.answer(request_error_text(error.word))
        return
    subscription = await service.subscribe(
        message.chat.id,
        message.chat.type,
        request,
        language=get_i18n().current_locale,
        now=utcnow(),
    )
    await message.answer(
        subscribed_text(subscription, service.zone), reply_markup=settings_keyboard(subscription)
    )


@router.message(Command("unsubscribe"), may_manage)
async def cmd_unsubscribe(
    message: Message,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
) -> None:
    service = _service(subscriptions, facts, settings)
    if await service.unsubscribe(message.chat.id):
        await message.answer(unsubscribed_text())
    else:
        await message.answer(not_subscribed_text())


@router.message(Command("subscribe", "unsubscribe"))
async def cmd_subscription_not_admin(message: Message) -> None:
    await message.answer(escape(admins_only_text()))


@router.message(Command("settings"))
async def cmd_settings(
    message: Message,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
) -> None:
    service = _service(subscriptions, facts, settings)
    current = await service.current(message.chat.id)
    await message.answer(
        settings_text(current, service.zone), reply_markup=settings_keyboard(current)
    )


@router.message(Command("digest"))
async def cmd_digest(
    message: Message,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
    utcnow: Clock = system_utcnow,
) -> None:
    service = _service(subscriptions, facts, settings)
    preview = await service.preview(message.chat.id, utcnow())
    reply = _preview_page(preview, 0, service)
    await message.answer(reply.text, reply_markup=reply.markup)


def _preview_page(preview: Preview | None, page: int, service: DigestSubscriptions) -> Reply:
    if preview is None:
        return Reply(nothing_to_preview_text())
    if not preview.pages:
        since = as_utc(preview.since).astimezone(service.zone).date()
        return Reply(render_nothing_new(since))
    page = min(max(page, 0), len(preview.pages) - 1)
    text = f"<i>{preview_intro_text()}</i>\n\n{preview.pages[page]}"
    return Reply(text, preview_keyboard(page, len(preview.pages)))


# --- buttons ----------------------------------------------------------------------------


@router.callback_query(SubscribeForm.filter(F.save.is_(False)), may_manage)
async def on_form_changed(callback: CallbackQuery, callback_data: SubscribeForm) -> None:
    await show_in_place(callback, Reply(form_text(callback_data), form_keyboard(callback_data)))


@router.callback_query(SubscribeForm.filter(F.save.is_(True)), may_manage)
async def on_form_saved(
    callback: CallbackQuery,
    callback_data: SubscribeForm,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
    utcnow: Clock = system_utcnow,
) -> None:
    chat = _chat(callback)
    topics = mask_topics(callback_data.topics)
    if chat is None or not topics:
        await callback.answer(choose_a_topic_text(), show_alert=True)
        return
    service = _service(subscriptions, facts, settings)
    request = SubscriptionRequest(topics, callback_data.frequency, callback_data.minute)
    subscription = await service.subscribe(
        chat.id, chat.type, request, language=get_i18n().current_locale, now=utcnow()
    )
    reply = Reply(subscribed_text(subscription, service.zone), settings_keyboard(subscription))
    await show_in_place(callback, reply)


@router.callback_query(SubscriptionAction.filter(F.action.in_(CHANGES)), may_manage)
async def on_subscription_action(
    callback: CallbackQuery,
    callback_data: SubscriptionAction,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
) -> None:
    chat = _chat(callback)
    if chat is None:
        await show_in_place(callback, None)
        return
    service = _service(subscriptions, facts, settings)
    if callback_data.action == "edit":
        form = default_form(await service.current(chat.id))
        await show_in_place(callback, Reply(form_text(form), form_keyboard(form)))
        return
    stopped = await service.unsubscribe(chat.id)
    text = unsubscribed_text() if stopped else not_subscribed_text()
    if callback_data.action == "off":
        await show_in_place(callback, Reply(text))
        return
    # Under a digest: the digest stays as it is, the answer comes below it.
    if callback.message is not None:
        await callback.message.answer(text)
    await callback.answer()


@router.callback_query(SubscriptionAction.filter(F.action == "show"))
async def on_show_settings(
    callback: CallbackQuery,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
) -> None:
    chat = _chat(callback)
    service = _service(subscriptions, facts, settings)
    current = await service.current(chat.id) if chat else None
    if callback.message is not None:
        await callback.message.answer(
            settings_text(current, service.zone), reply_markup=settings_keyboard(current)
        )
    await callback.answer()


@router.callback_query(SubscribeForm.filter())
@router.callback_query(SubscriptionAction.filter(F.action.in_(CHANGES)))
async def on_change_not_admin(callback: CallbackQuery) -> None:
    await callback.answer(admins_only_text(), show_alert=True)


@router.callback_query(DigestPage.filter())
async def on_preview_page(
    callback: CallbackQuery,
    callback_data: DigestPage,
    subscriptions: SubscriptionRepository,
    facts: FactRepository,
    settings: Settings,
    utcnow: Clock = system_utcnow,
) -> None:
    chat = _chat(callback)
    service = _service(subscriptions, facts, settings)
    preview = await service.preview(chat.id, utcnow()) if chat else None
    await show_in_place(callback, _preview_page(preview, callback_data.page, service))


# --- the bot removed --------------------------------------------------------------------


@router.my_chat_member(ChatMemberUpdatedFilter(member_status_changed=IS_MEMBER >> IS_NOT_MEMBER))
async def on_bot_removed(event: ChatMemberUpdated, subscriptions: SubscriptionRepository) -> None:
    reason = "blocked" if event.chat.type == ChatType.PRIVATE else "removed"
    await subscriptions.deactivate(event.chat.id, reason)
