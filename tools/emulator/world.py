"""What the emulated Telegram knows: users, chats and their members, bots, messages, files."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tools.emulator.updates import UpdateQueue


class ChatType(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"


class MemberStatus(StrEnum):
    CREATOR = "creator"
    ADMINISTRATOR = "administrator"
    MEMBER = "member"
    LEFT = "left"
    KICKED = "kicked"


@dataclass(eq=False)
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        return data


@dataclass(eq=False)
class Chat:
    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    peer: User | None = None  # the user of a private chat
    members: dict[int, MemberStatus] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.type is not ChatType.PRIVATE

    def status_of(self, user_id: int) -> MemberStatus:
        if self.peer is not None:
            return MemberStatus.MEMBER
        return self.members.get(user_id, MemberStatus.LEFT)

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": str(self.type)}
        if self.peer is not None:
            data["first_name"] = self.peer.first_name
            if self.peer.last_name:
                data["last_name"] = self.peer.last_name
            if self.peer.username:
                data["username"] = self.peer.username
        else:
            data["title"] = self.title
            if self.username:
                data["username"] = self.username
        return data


@dataclass(eq=False)
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None
    mime_type: str | None
    path: str


@dataclass(frozen=True, slots=True)
class Button:
    """One inline button as a reader sees it; `kind` is the action field that is set."""

    text: str
    kind: str
    value: Any

    @property
    def callback_data(self) -> str | None:
        return self.value if self.kind == "callback_data" else None


@dataclass(eq=False)
class StoredMessage:
    """A message in a chat as one bot sees it; edits replace the content and keep history."""

    chat: Chat
    message_id: int
    sender: User
    date: int
    outgoing: bool  # sent by the bot
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None  # the text or caption exactly as the bot sent it
    parse_mode: str | None = None
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    reply_to: StoredMessage | None = None
    via_bot: User | None = None
    inline_message_id: str | None = None
    edit_date: int | None = None
    deleted: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        # Short enough for an assertion message; the full state is in the fields.
        who = "bot" if self.outgoing else f"user {self.sender.id}"
        flags = " deleted" if self.deleted else (" edited" if self.edit_date else "")
        return (
            f"<StoredMessage {self.chat.id}/{self.message_id} from {who}{flags}: "
            f"{self.content[:60]!r} buttons={len(self.flat_buttons)}>"
        )

    @property
    def html(self) -> str | None:
        """What the bot sent (markup included), for asserting on the formatting itself."""
        return self.source

    @property
    def content(self) -> str:
        """The visible text: the message text or the media caption."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def buttons(self) -> list[list[Button]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [[_button(raw) for raw in row] for row in rows]

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b.value for b in self.flat_buttons if b.kind == "callback_data"]

    def snapshot(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "entities": self.entities,
            "caption": self.caption,
            "caption_entities": self.caption_entities,
            "source": self.source,
            "reply_markup": self.reply_markup,
            "edit_date": self.edit_date,
        }

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_api(),
            "from": self.sender.to_api(),
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        if self.document is not None:
            data["document"] = _document(self.document)
        if self.photo is not None:
            data["photo"] = [_photo_size(self.photo)]
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = self.caption_entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.via_bot is not None:
            data["via_bot"] = self.via_bot.to_api()
        if with_reply and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        return data


def _button(raw: dict[str, Any]) -> Button:
    for kind, value in raw.items():
        if kind != "text" and value is not None:
            return Button(raw.get("text", ""), kind, value)
    return Button(raw.get("text", ""), "text", None)


def _document(file: StoredFile) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": len(file.content),
    }
    if file.file_name:
        data["file_name"] = file.file_name
    if file.mime_type:
        data["mime_type"] = file.mime_type
    return data


def _photo_size(file: StoredFile) -> dict[str, Any]:
    width, height = png_size(file.content) or (1, 1)
    return {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": len(file.content),
        "width": width,
        "height": height,
    }


def png_size(content: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG header (charts are PNG); other formats are not decoded."""
    if content[:8] != b"\x89PNG\r\n\x1a\n" or len(content) < 24:
        return None
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")


@dataclass(eq=False)
class ChatLog:
    """One bot's messages in one chat; each bot has its own message ids, as in private chats."""

    next_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)


@dataclass(eq=False)
class BotAccount:
    token: str
    user: User
    privacy_mode: bool = True
    supports_inline_queries: bool = True
    queue: UpdateQueue = field(default_factory=UpdateQueue)
    webhook_url: str | None = None
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    logs: dict[int, ChatLog] = field(default_factory=dict)
    blocked_by: set[int] = field(default_factory=set)
    open_callback_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    open_inline_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    inline_messages: dict[str, StoredMessage] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username or ""

    def log(self, chat_id: int) -> ChatLog:
        return self.logs.setdefault(chat_id, ChatLog())

    def to_api(self) -> dict[str, Any]:
        data = self.user.to_api()
        data.update(
            can_join_groups=True,
            can_read_all_group_messages=not self.privacy_mode,
            supports_inline_queries=self.supports_inline_queries,
        )
        return data


class World:
    """Users, chats and files shared by every bot of one emulator."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self._user_ids = itertools.count(100_001)
        self._group_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    def add_user(self, user: User) -> User:
        self.users[user.id] = user
        return user

    def next_user_id(self) -> int:
        user_id = next(self._user_ids)
        while user_id in self.users:
            user_id = next(self._user_ids)
        return user_id

    def private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type=ChatType.PRIVATE, peer=user)
            self.chats[user.id] = chat
        return chat

    def new_group(self, title: str, supergroup: bool) -> Chat:
        number = next(self._group_ids)
        if supergroup:
            chat = Chat(id=-1_001_000_000_000 - number, type=ChatType.SUPERGROUP, title=title)
        else:
            chat = Chat(id=-4_000_000_000 - number, type=ChatType.GROUP, title=title)
        self.chats[chat.id] = chat
        return chat

    def find_chat(self, chat_id: Any) -> Chat | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            return next(
                (c for c in self.chats.values() if (c.username or "").lower() == name), None
            )
        try:
            return self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            return None

    def store_file(
        self, content: bytes, file_name: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        number = next(self._file_ids)
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"EMU-{folder}-{number:06d}",
            file_unique_id=f"U{number:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            path=f"{folder}/file_{number}{suffix}",
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.path == path), None)

    def next_query_id(self) -> str:
        return str(9_000_000_000 + next(self._query_ids))
