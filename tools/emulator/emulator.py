"""The emulator: a local Bot API server plus a driver that plays the users.

    async with TelegramEmulator() as emulator:
        bot = create_bot(emulator.token, api_url=emulator.base_url)
        user = emulator.create_user("Aigerim", language_code="kk")
        update = emulator.send_message(user, "/start")
        await dispatcher.feed_update(bot, update)      # or let polling fetch it
        assert emulator.last_sent(user).text == "..."

Every driver call queues its update for getUpdates and also returns it as an aiogram
`Update`; a test either feeds it to the dispatcher or lets polling fetch it, never both.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiogram.types import Update

from tools.emulator import checks
from tools.emulator.faults import Faults
from tools.emulator.limits import RateLimiter, RateLimits, Violation
from tools.emulator.methods import member_to_api
from tools.emulator.records import CallbackAnswer, EmulatorEvent, InlineAnswer, RecordedRequest
from tools.emulator.server import ApiServer
from tools.emulator.world import (
    BotAccount,
    Chat,
    ChatType,
    MemberStatus,
    StoredMessage,
    User,
    World,
)

DEFAULT_TOKEN = "7000001:emulated-bot-token"
ChatRef = Chat | User | int
Listener = Callable[[EmulatorEvent], None]

# Telegram's own pattern for commands, with the optional @botname.
_COMMAND = re.compile(r"(?<![\w/<>])/([a-zA-Z0-9_]{1,64})(?:@([a-zA-Z0-9_]{3,32}))?(?![\w/<>])")


@dataclass
class EmulatorConfig:
    limits: RateLimits = field(default_factory=RateLimits)
    max_poll_timeout: float | None = None  # caps getUpdates' timeout, so tests stay fast
    clock: Callable[[], float] = time.monotonic  # for rate accounting and request times
    wall_clock: Callable[[], float] = time.time  # for message dates


class TelegramEmulator:
    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "karaganda_facts_bot",
        bot_name: str = "Karaganda Facts",
    ) -> None:
        self.config = config or EmulatorConfig()
        self.world = World()
        self.bots: dict[str, BotAccount] = {}
        self.faults = Faults()
        self.limiter = RateLimiter(self.config.limits, self.config.clock)
        self.requests: list[RecordedRequest] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.inline_answers: list[InlineAnswer] = []
        self._listeners: list[Listener] = []
        self._server = ApiServer(self)
        self.bot = self.add_bot(token, username=bot_username, first_name=bot_name)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        for account in self.bots.values():
            account.queue.reopen()
        await self._server.start()

    async def stop(self) -> None:
        for account in self.bots.values():
            account.queue.close()
        await self._server.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._server.port is None:
            raise RuntimeError("the emulator is not started")
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def token(self) -> str:
        return self.bot.token

    def now(self) -> int:
        return int(self.config.wall_clock())

    # --- bots, users and chats -------------------------------------------------------------

    def add_bot(
        self, token: str, *, username: str, first_name: str = "Bot", privacy_mode: bool = True
    ) -> BotAccount:
        """Another bot served by the same server; its id is the token's number."""
        user = User(
            id=int(token.split(":", 1)[0]), first_name=first_name, username=username, is_bot=True
        )
        self.world.add_user(user)
        account = BotAccount(token=token, user=user, privacy_mode=privacy_mode)
        self.bots[token] = account
        return account

    def create_user(
        self,
        first_name: str = "Test",
        *,
        language_code: str | None = "ru",
        username: str | None = None,
        last_name: str | None = None,
        user_id: int | None = None,
    ) -> User:
        """A user who has started the bot: their private chat exists, so the bot can write."""
        user = User(
            id=user_id or self.world.next_user_id(),
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.world.add_user(user)
        self.world.private_chat(user)
        return user

    def create_group(
        self,
        title: str = "Test group",
        *,
        creator: User | None = None,
        admins: tuple[User, ...] = (),
        members: tuple[User, ...] = (),
        supergroup: bool = False,
        username: str | None = None,
    ) -> Chat:
        """A group without the bot in it (see add_bot_to_group)."""
        chat = self.world.new_group(title, supergroup)
        chat.username = username
        if creator is not None:
            chat.members[creator.id] = MemberStatus.CREATOR
        for user in admins:
            chat.members[user.id] = MemberStatus.ADMINISTRATOR
        for user in members:
            chat.members[user.id] = MemberStatus.MEMBER
        return chat

    def set_member(self, chat: Chat, user: User, status: MemberStatus | str) -> None:
        chat.members[user.id] = MemberStatus(status)

    def chat(self, ref: ChatRef) -> Chat:
        """A chat from a Chat, a User (their private chat) or an id."""
        if isinstance(ref, Chat):
            return ref
        if isinstance(ref, User):
            return self.world.private_chat(ref)
        chat = self.world.find_chat(ref)
        if chat is None:
            raise KeyError(f"no chat {ref}")
        return chat

    def _account(self, bot: BotAccount | None) -> BotAccount:
        return bot or self.bot

    # --- the users' side: each returns the Update the bot receives -------------------------

    def send_message(
        self,
        user: User,
        text: str,
        chat: ChatRef | None = None,
        *,
        reply_to: StoredMessage | None = None,
        bot: BotAccount | None = None,
    ) -> Update | None:
        """A text message from `user`; None when privacy mode hides it from the bot."""
        account = self._account(bot)
        target = self.chat(chat if chat is not None else user)
        if target.peer is not None and target.peer.id in account.blocked_by:
            raise RuntimeError(f"{user.first_name} blocked the bot: call unblock() first")
        entities = [
            {
                "type": "bot_command",
                "offset": _utf16_offset(text, m.start()),
                "length": _utf16_offset(text, m.end()) - _utf16_offset(text, m.start()),
            }
            for m in _COMMAND.finditer(text)
        ]
        message = self._incoming(
            account, target, user, text=text, entities=entities, reply_to=reply_to
        )
        if not self._sees(account, message):
            return None
        return self._push(account, {"message": message.to_api()})

    def send_document(
        self,
        user: User,
        file_name: str,
        content: bytes,
        chat: ChatRef | None = None,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        bot: BotAccount | None = None,
    ) -> Update | None:
        """A document from `user`; the bot can download it with getFile."""
        account = self._account(bot)
        target = self.chat(chat if chat is not None else user)
        stored = self.world.store_file(content, file_name, mime_type, "documents")
        message = self._incoming(account, target, user, document=stored, caption=caption)
        if not self._sees(account, message):
            return None
        return self._push(account, {"message": message.to_api()})

    def press_button(
        self,
        message: StoredMessage,
        callback_data: str | None = None,
        *,
        text: str | None = None,
        user: User | None = None,
        bot: BotAccount | None = None,
    ) -> Update:
        """A press on a callback button of `message`, found by its data or its text."""
        account = self._account(bot)
        button = next(
            (
                b
                for b in message.flat_buttons
                if b.kind == "callback_data"
                and (callback_data is None or b.value == callback_data)
                and (text is None or b.text == text)
            ),
            None,
        )
        if button is None or message.deleted:
            raise LookupError(
                f"no such callback button on message {message.message_id}: "
                f"{callback_data or text!r} (has {message.callback_data})"
            )
        return self._callback_query(account, message, button.value, user)

    def press_forged(
        self,
        message: StoredMessage,
        callback_data: str,
        *,
        user: User | None = None,
        bot: BotAccount | None = None,
    ) -> Update:
        """A callback query with data no button of `message` carries, as a modified client
        can send: for checking that the bot refuses it."""
        return self._callback_query(self._account(bot), message, callback_data, user)

    def _callback_query(
        self, account: BotAccount, message: StoredMessage, data: str, user: User | None
    ) -> Update:
        presser = user or message.chat.peer
        if presser is None:
            raise ValueError("say which user presses a button in a group")
        query_id = self.world.next_query_id()
        account.open_callback_queries[query_id] = {
            "user": presser,
            "data": data,
            "message": message,
        }
        query: dict[str, Any] = {
            "id": query_id,
            "from": presser.to_api(),
            "chat_instance": str(abs(message.chat.id)),
            "data": data,
        }
        if message.inline_message_id:
            query["inline_message_id"] = message.inline_message_id
        else:
            query["message"] = message.to_api()
        return self._push(account, {"callback_query": query})

    def inline_query(
        self,
        user: User,
        query: str,
        offset: str = "",
        *,
        chat_type: str = "sender",
        bot: BotAccount | None = None,
    ) -> Update:
        account = self._account(bot)
        query_id = self.world.next_query_id()
        account.open_inline_queries[query_id] = {"user": user, "query": query, "offset": offset}
        payload = {
            "id": query_id,
            "from": user.to_api(),
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        return self._push(account, {"inline_query": payload})

    def post_inline_result(
        self,
        user: User,
        answer: InlineAnswer,
        result_id: str,
        chat: ChatRef | None = None,
        *,
        bot: BotAccount | None = None,
    ) -> tuple[StoredMessage, Update | None]:
        """The message a chosen inline result posts in `chat` (from the user, via the bot).

        Returns it and its message update (None when the bot does not see that chat).
        """
        account = self._account(bot)
        result = answer.result(result_id)
        content = result.get("input_message_content") or {}
        parsed = checks.formatted_text(
            content.get("message_text"), content.get("parse_mode"), content.get("entities")
        )
        target = self.chat(chat if chat is not None else user)
        message = self._incoming(
            account,
            target,
            user,
            text=parsed.text,
            entities=parsed.entities,
            source=content.get("message_text"),
            reply_markup=result.get("reply_markup"),
            via_bot=account.user,
        )
        if result.get("reply_markup"):
            message.inline_message_id = f"EMU-inline-{answer.query_id}-{result_id}"
            account.inline_messages[message.inline_message_id] = message
        if not self._sees(account, message) or target.peer is None:
            # In groups the via-bot message belongs to the group, not to the bot's updates.
            return message, None
        return message, self._push(account, {"message": message.to_api()})

    def chosen_inline_result(
        self,
        user: User,
        result_id: str,
        query: str = "",
        *,
        inline_message_id: str | None = None,
        bot: BotAccount | None = None,
    ) -> Update:
        payload: dict[str, Any] = {"result_id": result_id, "from": user.to_api(), "query": query}
        if inline_message_id:
            payload["inline_message_id"] = inline_message_id
        return self._push(self._account(bot), {"chosen_inline_result": payload})

    def add_bot_to_group(
        self,
        user: User,
        chat: Chat | None = None,
        *,
        title: str = "Test group",
        status: MemberStatus | str = MemberStatus.MEMBER,
        supergroup: bool = False,
        bot: BotAccount | None = None,
    ) -> Update:
        """`user` adds the bot to `chat` (a new group they created when None)."""
        account = self._account(bot)
        if chat is None:
            chat = self.create_group(title, creator=user, supergroup=supergroup)
        return self._member_change(account, chat, user, MemberStatus(status))

    def remove_bot_from_group(
        self, user: User, chat: Chat, *, bot: BotAccount | None = None
    ) -> Update:
        return self._member_change(self._account(bot), chat, user, MemberStatus.LEFT)

    def block(self, user: User, *, bot: BotAccount | None = None) -> Update:
        """The user blocks the bot: sends to them answer 403 from now on."""
        account = self._account(bot)
        account.blocked_by.add(user.id)
        return self._member_change(account, self.chat(user), user, MemberStatus.KICKED)

    def unblock(self, user: User, *, bot: BotAccount | None = None) -> Update:
        account = self._account(bot)
        account.blocked_by.discard(user.id)
        return self._member_change(account, self.chat(user), user, MemberStatus.MEMBER)

    # --- what the bot did ------------------------------------------------------------------

    def history(
        self, chat: ChatRef, *, bot: BotAccount | None = None, include_deleted: bool = False
    ) -> list[StoredMessage]:
        """Every message of the chat as the bot sees it (both sides), current content."""
        log = self._account(bot).log(self.chat(chat).id)
        return [m for m in log.messages.values() if include_deleted or not m.deleted]

    def sent_messages(
        self,
        chat: ChatRef | None = None,
        *,
        bot: BotAccount | None = None,
        include_deleted: bool = False,
    ) -> list[StoredMessage]:
        """The bot's own messages in `chat` (every chat when None), oldest first."""
        account = self._account(bot)
        if chat is not None:
            messages = self.history(chat, bot=account, include_deleted=include_deleted)
        else:
            messages = [
                m
                for log in account.logs.values()
                for m in log.messages.values()
                if include_deleted or not m.deleted
            ]
            messages.sort(key=lambda m: (m.date, m.chat.id, m.message_id))
        return [m for m in messages if m.outgoing]

    def last_sent(
        self, chat: ChatRef | None = None, *, bot: BotAccount | None = None
    ) -> StoredMessage:
        messages = self.sent_messages(chat, bot=bot)
        if not messages:
            raise LookupError("the bot has sent nothing" + (f" to {chat}" if chat else ""))
        return messages[-1]

    def last_inline_answer(self) -> InlineAnswer:
        if not self.inline_answers:
            raise LookupError("the bot has answered no inline query")
        return self.inline_answers[-1]

    def calls(self, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests, all or of one method (case-insensitive)."""
        if method is None:
            return list(self.requests)
        return [r for r in self.requests if r.method.lower() == method.lower()]

    @property
    def violations(self) -> list[Violation]:
        return self.limiter.violations

    def pending_updates(self, bot: BotAccount | None = None) -> list[dict[str, Any]]:
        return self._account(bot).queue.pending

    def file_content(self, file_id: str) -> bytes:
        return self.world.files[file_id].content

    def subscribe(self, listener: Listener) -> None:
        """Calls `listener` for every message sent, edited or deleted and every answer."""
        self._listeners.append(listener)

    def emit(self, event: EmulatorEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    # --- internals -------------------------------------------------------------------------

    def _incoming(
        self, account: BotAccount, chat: Chat, user: User, **fields: Any
    ) -> StoredMessage:
        if chat.is_group and chat.status_of(user.id) in (MemberStatus.LEFT, MemberStatus.KICKED):
            chat.members[user.id] = MemberStatus.MEMBER
        log = account.log(chat.id)
        message = StoredMessage(
            chat=chat,
            message_id=log.next_id,
            sender=user,
            date=self.now(),
            outgoing=False,
            **fields,
        )
        log.next_id += 1
        log.messages[message.message_id] = message
        return message

    def _sees(self, account: BotAccount, message: StoredMessage) -> bool:
        """Privacy mode: in groups a bot sees commands, replies to it and its inline posts."""
        chat = message.chat
        if chat.type is ChatType.PRIVATE:
            return True
        status = chat.status_of(account.id)
        if status in (MemberStatus.LEFT, MemberStatus.KICKED):
            return False
        if not account.privacy_mode or status is MemberStatus.ADMINISTRATOR:
            return True
        if message.via_bot is account.user:
            return True
        if message.reply_to is not None and message.reply_to.outgoing:
            return True
        for match in _COMMAND.finditer(message.text or ""):
            addressee = match.group(2)
            if addressee is None or addressee.lower() == account.username.lower():
                return True
        return False

    def _member_change(
        self, account: BotAccount, chat: Chat, user: User, new: MemberStatus
    ) -> Update:
        old = (
            chat.status_of(account.id)
            if chat.is_group
            else (MemberStatus.KICKED if new is MemberStatus.MEMBER else MemberStatus.MEMBER)
        )
        if chat.is_group:
            chat.members[account.id] = new
        payload = {
            "chat": chat.to_api(),
            "from": user.to_api(),
            "date": self.now(),
            "old_chat_member": member_to_api(account.user, old),
            "new_chat_member": member_to_api(account.user, new),
        }
        return self._push(account, {"my_chat_member": payload})

    def _push(self, account: BotAccount, payload: dict[str, Any]) -> Update:
        return Update.model_validate(account.queue.push(payload))


def _utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2
