"""The Bot API methods, with the checks and error texts of api.telegram.org."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tools.emulator import checks
from tools.emulator.errors import (
    BLOCKED,
    CHAT_NOT_FOUND,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    ApiError,
    DropConnection,
)
from tools.emulator.limits import SEND_METHODS
from tools.emulator.records import (
    CallbackAnswer,
    EmulatorEvent,
    EventKind,
    InlineAnswer,
    RecordedRequest,
)
from tools.emulator.world import BotAccount, Chat, MemberStatus, StoredFile, StoredMessage, User

if TYPE_CHECKING:
    from tools.emulator.emulator import TelegramEmulator

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
WRONG_FILE = "wrong file identifier/HTTP URL specified"
API_METHODS = (
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "sendChatAction",
    "answerCallbackQuery",
    "answerInlineQuery",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "getChat",
    "getChatMember",
    "getChatAdministrators",
    "getFile",
)


@dataclass(frozen=True, slots=True)
class UploadedFile:
    name: str | None
    content: bytes
    content_type: str | None


@dataclass(slots=True)
class Call:
    bot: BotAccount
    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile] = field(default_factory=dict)


Method = Callable[[Call], Awaitable[Any]]


class BotApi:
    """Runs one call: recorded, maybe failed by a fault, then the method itself."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator
        self.world = emulator.world
        # Telegram matches method names case-insensitively.
        self.methods: dict[str, Method] = {
            name.lower(): getattr(self, name) for name in API_METHODS
        }

    async def call(self, call: Call) -> Any:
        record = RecordedRequest(
            bot_id=call.bot.id,
            method=call.method,
            params=call.params,
            at=self.emulator.config.clock(),
            files={key: upload.name or key for key, upload in call.files.items()},
        )
        self.emulator.requests.append(record)
        try:
            result = await self._run(call)
        except ApiError as error:
            record.ok, record.error_code, record.description = False, error.code, error.description
            raise
        except DropConnection:
            record.ok, record.description = False, "connection dropped"
            raise
        record.ok = True
        return result

    async def _run(self, call: Call) -> Any:
        fault = self.emulator.faults.take(call.method, call.params)
        if fault is not None and not fault.after_delivery:
            raise fault.error()
        method = self.methods.get(call.method.lower())
        if method is None:
            raise ApiError.not_found()
        result = await method(call)
        if fault is not None:
            raise fault.error()
        return result

    # --- helpers ---------------------------------------------------------------------------

    def _chat(self, params: dict[str, Any]) -> Chat:
        if params.get("chat_id") in (None, ""):
            raise ApiError.bad_request("chat_id is empty")
        chat = self.world.find_chat(params["chat_id"])
        if chat is None:
            raise ApiError.bad_request(CHAT_NOT_FOUND)
        return chat

    def _writable(self, bot: BotAccount, chat: Chat) -> None:
        if chat.peer is not None:
            if chat.peer.is_bot:
                raise ApiError.forbidden("bot can't send messages to bots")
            if chat.peer.id in bot.blocked_by:
                raise ApiError.forbidden(BLOCKED)
            return
        status = chat.status_of(bot.id)
        if status is MemberStatus.LEFT:
            raise ApiError.forbidden(f"bot is not a member of the {chat.type} chat")
        if status is MemberStatus.KICKED:
            raise ApiError.forbidden(f"bot was kicked from the {chat.type} chat")

    def _admit(self, call: Call, chat: Chat) -> None:
        if call.method.lower() not in SEND_METHODS:
            return
        violations = self.emulator.limiter.admit(call.bot.id, chat.id, chat.is_group, call.method)
        if violations and self.emulator.limiter.limits.enforce:
            raise ApiError.too_many_requests(max(v.retry_after for v in violations))

    def _reply_to(
        self, bot: BotAccount, chat: Chat, params: dict[str, Any]
    ) -> StoredMessage | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        target = bot.log(chat.id).messages.get(int(message_id))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply"
            ):
                return None
            raise ApiError.bad_request("message to be replied not found")
        return target

    def _store(self, bot: BotAccount, chat: Chat, **fields: Any) -> StoredMessage:
        log = bot.log(chat.id)
        message = StoredMessage(
            chat=chat,
            message_id=log.next_id,
            sender=bot.user,
            date=self.emulator.now(),
            outgoing=True,
            **fields,
        )
        log.next_id += 1
        log.messages[message.message_id] = message
        self.emulator.limiter.record(bot.id, chat.id)
        self.emulator.emit(EmulatorEvent(EventKind.SENT, bot, chat, message))
        return message

    def _target(self, call: Call, missing: str) -> StoredMessage:
        params = call.params
        if params.get("inline_message_id"):
            message = call.bot.inline_messages.get(str(params["inline_message_id"]))
            if message is None:
                raise ApiError.bad_request("MESSAGE_ID_INVALID")
            return message
        chat = self._chat(params)
        if params.get("message_id") in (None, ""):
            raise ApiError.bad_request("message identifier is not specified")
        message = call.bot.log(chat.id).messages.get(int(params["message_id"]))
        if message is None or message.deleted:
            raise ApiError.bad_request(missing)
        return message

    def _edited(self, call: Call, message: StoredMessage, **changes: Any) -> Any:
        before = message.snapshot()
        after = {**before, **changes}
        if {k: v for k, v in after.items() if k not in ("source", "edit_date")} == {
            k: v for k, v in before.items() if k not in ("source", "edit_date")
        }:
            raise ApiError.bad_request(NOT_MODIFIED)
        message.history.append(before)
        for name, value in changes.items():
            setattr(message, name, value)
        message.edit_date = self.emulator.now()
        self.emulator.emit(EmulatorEvent(EventKind.EDITED, call.bot, message.chat, message))
        return True if message.inline_message_id else message.to_api()

    def _input_file(self, call: Call, name: str, folder: str) -> StoredFile:
        value = call.params.get(name)
        upload = call.files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value.removeprefix("attach://"))
            if upload is None:
                raise ApiError.bad_request(WRONG_FILE)
        if upload is not None:
            if not upload.content:
                raise ApiError.bad_request("file must be non-empty")
            return self.world.store_file(upload.content, upload.name, upload.content_type, folder)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            # Telegram would download it; the emulator keeps only the address.
            return self.world.store_file(b"", value.rsplit("/", 1)[-1] or None, None, folder)
        if isinstance(value, str) and value in self.world.files:
            return self.world.files[value]
        raise ApiError.bad_request(WRONG_FILE)

    # --- getting updates (methods below are named as in the Bot API) ----------------------

    async def getMe(self, call: Call) -> Any:
        return call.bot.to_api()

    async def getUpdates(self, call: Call) -> Any:
        if call.bot.webhook_url:
            raise ApiError.conflict(
                "can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
        params = call.params
        timeout = float(params.get("timeout") or 0)
        cap = self.emulator.config.max_poll_timeout
        if cap is not None:
            timeout = min(timeout, cap)
        return await call.bot.queue.get(
            offset=int(params["offset"]) if params.get("offset") is not None else None,
            limit=int(params.get("limit") or 100),
            wait=timeout,
            allowed_updates=params.get("allowed_updates"),
        )

    async def setWebhook(self, call: Call) -> Any:
        url = call.params.get("url") or None
        if url is not None and not str(url).startswith("https://"):
            raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        call.bot.webhook_url = url
        return True

    async def deleteWebhook(self, call: Call) -> Any:
        call.bot.webhook_url = None
        if call.params.get("drop_pending_updates"):
            call.bot.queue.clear()
        return True

    async def getWebhookInfo(self, call: Call) -> Any:
        return {
            "url": call.bot.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(call.bot.queue.pending),
        }

    # --- sending and editing ---------------------------------------------------------------

    async def sendMessage(self, call: Call) -> Any:
        params, bot = call.params, call.bot
        chat = self._chat(params)
        self._writable(bot, chat)
        parsed = checks.formatted_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = checks.reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(bot, chat, params)
        self._admit(call, chat)
        message = self._store(
            bot,
            chat,
            text=parsed.text,
            entities=parsed.entities,
            source=params.get("text"),
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            reply_to=reply_to,
        )
        return message.to_api()

    async def sendPhoto(self, call: Call) -> Any:
        return await self._send_media(call, "photo")

    async def sendDocument(self, call: Call) -> Any:
        return await self._send_media(call, "document")

    async def _send_media(self, call: Call, kind: str) -> Any:
        params, bot = call.params, call.bot
        chat = self._chat(params)
        self._writable(bot, chat)
        caption = checks.formatted_caption(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        markup = checks.reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(bot, chat, params)
        stored = self._input_file(call, kind, folder="photos" if kind == "photo" else "documents")
        self._admit(call, chat)
        message = self._store(
            bot,
            chat,
            caption=caption.text if caption else None,
            caption_entities=caption.entities if caption else [],
            source=params.get("caption"),
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            reply_to=reply_to,
            **{kind: stored},
        )
        return message.to_api()

    async def editMessageText(self, call: Call) -> Any:
        message = self._target(call, "message to edit not found")
        if message.text is None:
            raise ApiError.bad_request("there is no text in the message to edit")
        params = call.params
        parsed = checks.formatted_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = checks.reply_markup(params.get("reply_markup"))
        return self._edited(
            call,
            message,
            text=parsed.text,
            entities=parsed.entities,
            source=params.get("text"),
            reply_markup=markup,
        )

    async def editMessageCaption(self, call: Call) -> Any:
        message = self._target(call, "message to edit not found")
        if message.text is not None:
            raise ApiError.bad_request("there is no caption in the message to edit")
        params = call.params
        caption = checks.formatted_caption(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        return self._edited(
            call,
            message,
            caption=caption.text if caption else None,
            caption_entities=caption.entities if caption else [],
            source=params.get("caption"),
            reply_markup=checks.reply_markup(params.get("reply_markup")),
        )

    async def editMessageReplyMarkup(self, call: Call) -> Any:
        message = self._target(call, "message to edit not found")
        markup = checks.reply_markup(call.params.get("reply_markup"))
        return self._edited(call, message, reply_markup=markup)

    async def deleteMessage(self, call: Call) -> Any:
        message = self._target(call, "message to delete not found")
        if (
            not message.outgoing
            and message.chat.is_group
            and (
                message.chat.status_of(call.bot.id)
                not in (MemberStatus.ADMINISTRATOR, MemberStatus.CREATOR)
            )
        ):
            raise ApiError.bad_request("message can't be deleted")
        message.deleted = True
        self.emulator.emit(EmulatorEvent(EventKind.DELETED, call.bot, message.chat, message))
        return True

    async def sendChatAction(self, call: Call) -> Any:
        chat = self._chat(call.params)
        self._writable(call.bot, chat)
        action = call.params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError.bad_request("wrong parameter action in request")
        self.emulator.emit(EmulatorEvent(EventKind.CHAT_ACTION, call.bot, chat, action=action))
        return True

    # --- answering queries -----------------------------------------------------------------

    async def answerCallbackQuery(self, call: Call) -> Any:
        query = call.bot.open_callback_queries.pop(str(call.params.get("callback_query_id")), None)
        if query is None:
            raise ApiError.bad_request(QUERY_TOO_OLD)
        answer = CallbackAnswer(
            query_id=str(call.params["callback_query_id"]),
            user=query["user"],
            data=query["data"],
            message=query["message"],
            text=checks.callback_answer_text(call.params.get("text")),
            show_alert=bool(call.params.get("show_alert")),
            url=call.params.get("url"),
        )
        self.emulator.callback_answers.append(answer)
        self.emulator.emit(
            EmulatorEvent(EventKind.CALLBACK_ANSWER, call.bot, callback_answer=answer)
        )
        return True

    async def answerInlineQuery(self, call: Call) -> Any:
        query_id = str(call.params.get("inline_query_id"))
        query = call.bot.open_inline_queries.get(query_id)
        if query is None:
            raise ApiError.bad_request(QUERY_TOO_OLD)
        results = checks.inline_results(call.params.get("results"))
        next_offset = call.params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode("utf-8")) > 64:
            raise ApiError.bad_request("NEXT_OFFSET_INVALID")
        del call.bot.open_inline_queries[query_id]
        answer = InlineAnswer(
            query_id=query_id,
            user=query["user"],
            query=query["query"],
            offset=query["offset"],
            results=results,
            next_offset=str(next_offset) if next_offset not in (None, "") else None,
            cache_time=call.params.get("cache_time"),
            is_personal=bool(call.params.get("is_personal")),
        )
        self.emulator.inline_answers.append(answer)
        self.emulator.emit(EmulatorEvent(EventKind.INLINE_ANSWER, call.bot, inline_answer=answer))
        return True

    # --- commands --------------------------------------------------------------------------

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def setMyCommands(self, call: Call) -> Any:
        commands = checks.bot_commands(call.params.get("commands"))
        call.bot.commands[self._commands_key(call.params)] = commands
        return True

    async def getMyCommands(self, call: Call) -> Any:
        return call.bot.commands.get(self._commands_key(call.params), [])

    async def deleteMyCommands(self, call: Call) -> Any:
        call.bot.commands.pop(self._commands_key(call.params), None)
        return True

    # --- chats and files -------------------------------------------------------------------

    async def getChat(self, call: Call) -> Any:
        chat = self._chat(call.params)
        return {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def getChatMember(self, call: Call) -> Any:
        chat = self._chat(call.params)
        user = self.world.users.get(int(call.params.get("user_id") or 0))
        if user is None:
            raise ApiError.bad_request("PARTICIPANT_ID_INVALID")
        return member_to_api(user, chat.status_of(user.id))

    async def getChatAdministrators(self, call: Call) -> Any:
        chat = self._chat(call.params)
        admins = (MemberStatus.CREATOR, MemberStatus.ADMINISTRATOR)
        return [
            member_to_api(self.world.users[user_id], status)
            for user_id, status in chat.members.items()
            if status in admins and user_id in self.world.users
        ]

    async def getFile(self, call: Call) -> Any:
        stored = self.world.files.get(str(call.params.get("file_id")))
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.path,
        }


def member_to_api(user: User, status: MemberStatus) -> dict[str, Any]:
    """A ChatMember object with the fields its status requires."""
    data: dict[str, Any] = {"status": str(status), "user": user.to_api()}
    if status is MemberStatus.CREATOR:
        data["is_anonymous"] = False
    elif status is MemberStatus.ADMINISTRATOR:
        rights = (
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_change_info",
            "can_invite_users",
            "can_pin_messages",
        )
        data.update(dict.fromkeys(rights, True))
        data.update(
            can_be_edited=False,
            is_anonymous=False,
            can_promote_members=False,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_send_welcome_messages=False,
        )
    elif status is MemberStatus.KICKED:
        data["until_date"] = 0
    return data
