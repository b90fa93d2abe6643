"""Handler-test harness: a local Bot API emulator, a real `Bot` talking HTTP to it, and the
one dispatcher of the test session.

Feature routers are module-level and attach to a single dispatcher, so the dispatcher is
built once per process (`session_dispatcher`); what differs per test (the store, the FSM
storage, fakes) reaches handlers through `dispatcher.workflow_data` or feed_update kwargs.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.dispatcher import create_bot, create_dispatcher
from bot.app.fsm import CompactMemoryStorage
from bot.domain.settings import Settings
from bot.storage.engine import upgrade_sync
from tools.emulator import (
    CallbackAnswer,
    EmulatorConfig,
    EmulatorEvent,
    EventKind,
    InlineAnswer,
    MemberStatus,
    RecordedRequest,
    StoredMessage,
    TelegramEmulator,
    User,
)
from tools.emulator.world import Chat


def make_settings(database_url: str = "sqlite+aiosqlite:///:memory:") -> Settings:
    """Settings that ignore `.env`: tests never see a real token."""
    return Settings(_env_file=None, bot_token=None, database_url=database_url)  # type: ignore[call-arg]


def _no_store(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("no store for this update: use the `dispatcher` fixture, which sets one")


@functools.cache
def session_dispatcher() -> Dispatcher:
    """The dispatcher with every feature router, built on first use and then shared."""
    return create_dispatcher(make_settings(), cast(async_sessionmaker[AsyncSession], _no_store))


@dataclass
class Turn:
    """What the bot did while handling one update."""

    update: Update | None
    result: Any = None
    calls: list[RecordedRequest] = field(default_factory=list)
    sent: list[StoredMessage] = field(default_factory=list)
    edited: list[StoredMessage] = field(default_factory=list)
    deleted: list[StoredMessage] = field(default_factory=list)
    callback_answers: list[CallbackAnswer] = field(default_factory=list)
    inline_answers: list[InlineAnswer] = field(default_factory=list)

    @property
    def reply(self) -> StoredMessage:
        """The one message the bot sent, or else the one it edited."""
        for messages in (self.sent, self.edited):
            if len(messages) == 1:
                return messages[0]
        raise AssertionError(
            f"expected one message, the bot sent {len(self.sent)} and edited {len(self.edited)}"
        )

    @property
    def text(self) -> str:
        return self.reply.content

    @property
    def inline_answer(self) -> InlineAnswer:
        assert len(self.inline_answers) == 1, self.inline_answers
        return self.inline_answers[0]

    @property
    def callback_answer(self) -> CallbackAnswer:
        assert len(self.callback_answers) == 1, self.callback_answers
        return self.callback_answers[0]


class BotDriver:
    """Plays users against the bot: each call builds an update in the emulator, feeds it
    through `dispatcher.feed_update`, and returns the `Turn` with what the bot did over HTTP."""

    def __init__(self, emulator: TelegramEmulator, bot: Bot, dispatcher: Dispatcher) -> None:
        self.emulator = emulator
        self.bot = bot
        self.dispatcher = dispatcher
        self.user = emulator.create_user("Dana", language_code="ru", username="dana")
        self._turn: Turn | None = None
        emulator.subscribe(self._on_event)

    def new_user(
        self, first_name: str = "Test", *, language_code: str | None = "ru", **fields: Any
    ) -> User:
        return self.emulator.create_user(first_name, language_code=language_code, **fields)

    async def feed(self, update: Update | None, **kwargs: Any) -> Turn:
        """Feeds one update (None: nothing reaches the bot) and records the turn."""
        turn = Turn(update=update)
        if update is None:
            return turn
        first_call = len(self.emulator.requests)
        self._turn = turn
        try:
            turn.result = await self.dispatcher.feed_update(self.bot, update, **kwargs)
        finally:
            self._turn = None
            turn.calls = self.emulator.requests[first_call:]
        return turn

    async def send(
        self,
        text: str,
        *,
        user: User | None = None,
        chat: Chat | None = None,
        reply_to: StoredMessage | None = None,
        **kwargs: Any,
    ) -> Turn:
        update = self.emulator.send_message(user or self.user, text, chat, reply_to=reply_to)
        return await self.feed(update, **kwargs)

    async def press(
        self,
        message: StoredMessage,
        callback_data: str | None = None,
        *,
        text: str | None = None,
        user: User | None = None,
        **kwargs: Any,
    ) -> Turn:
        update = self.emulator.press_button(
            message, callback_data, text=text, user=user or message.chat.peer or self.user
        )
        return await self.feed(update, **kwargs)

    async def inline(
        self,
        query: str,
        *,
        user: User | None = None,
        offset: str = "",
        chat_type: str = "sender",
        **kwargs: Any,
    ) -> Turn:
        update = self.emulator.inline_query(user or self.user, query, offset, chat_type=chat_type)
        return await self.feed(update, **kwargs)

    async def choose_inline(
        self,
        answer: InlineAnswer,
        result_id: str,
        *,
        user: User | None = None,
        chat: Chat | None = None,
        **kwargs: Any,
    ) -> tuple[StoredMessage, Turn]:
        """Posts a result as Telegram would (the message via the bot), then feeds
        chosen_inline_result; returns the posted message and that turn."""
        who = user or self.user
        message, _ = self.emulator.post_inline_result(who, answer, result_id, chat)
        update = self.emulator.chosen_inline_result(
            who, result_id, answer.query, inline_message_id=message.inline_message_id
        )
        return message, await self.feed(update, **kwargs)

    async def send_document(
        self,
        file_name: str,
        content: bytes,
        *,
        user: User | None = None,
        chat: Chat | None = None,
        caption: str | None = None,
        **kwargs: Any,
    ) -> Turn:
        update = self.emulator.send_document(
            user or self.user, file_name, content, chat, caption=caption
        )
        return await self.feed(update, **kwargs)

    async def add_to_group(
        self,
        *,
        user: User | None = None,
        chat: Chat | None = None,
        status: MemberStatus | str = MemberStatus.MEMBER,
        supergroup: bool = False,
        **kwargs: Any,
    ) -> tuple[Chat, Turn]:
        """`user` adds the bot to a group (a new one when `chat` is None)."""
        who = user or self.user
        update = self.emulator.add_bot_to_group(who, chat, status=status, supergroup=supergroup)
        assert update.my_chat_member is not None
        group = self.emulator.chat(update.my_chat_member.chat.id)
        return group, await self.feed(update, **kwargs)

    async def block(self, *, user: User | None = None, **kwargs: Any) -> Turn:
        return await self.feed(self.emulator.block(user or self.user), **kwargs)

    def _on_event(self, event: EmulatorEvent) -> None:
        turn = self._turn
        if turn is None or event.bot is not self.emulator.bot:
            return
        if event.kind is EventKind.SENT and event.message is not None:
            turn.sent.append(event.message)
        elif event.kind is EventKind.EDITED and event.message is not None:
            if event.message not in turn.edited:
                turn.edited.append(event.message)
        elif event.kind is EventKind.DELETED and event.message is not None:
            turn.deleted.append(event.message)
        elif event.kind is EventKind.CALLBACK_ANSWER and event.callback_answer is not None:
            turn.callback_answers.append(event.callback_answer)
        elif event.kind is EventKind.INLINE_ANSWER and event.inline_answer is not None:
            turn.inline_answers.append(event.inline_answer)


async def close_bot(bot: Bot) -> None:
    """Closes the bot's HTTP session without AiohttpSession.close's 250 ms wait, which is for
    TLS connections; over plain local HTTP it would only slow every test down."""
    session = bot.session
    if isinstance(session, AiohttpSession) and session._session is not None:
        await session._session.close()
    else:
        await session.close()


# --- fixtures (re-exported by tests/handlers/conftest.py) ---------------------------------


@pytest.fixture(scope="session")
def handlers_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session; each test copies it."""
    path = tmp_path_factory.mktemp("handlers") / "template.db"
    upgrade_sync(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
async def bot_session_factory(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The store the handlers see: a fresh migrated, empty store on each test backend
    (tests/conftest.py). Override this fixture in a test module to give handlers another
    store (for instance a seeded one)."""
    yield session_factory


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    """Long polls end within half a second so that tests never wait on an idle poll."""
    return EmulatorConfig(max_poll_timeout=0.5)


@pytest.fixture
async def emulator(emulator_config: EmulatorConfig) -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(emulator_config) as running:
        yield running


@pytest.fixture
async def bot(emulator: TelegramEmulator) -> AsyncIterator[Bot]:
    """A real aiogram Bot whose every request goes over HTTP to the emulator."""
    client = create_bot(emulator.token, api_url=emulator.base_url)
    try:
        yield client
    finally:
        await close_bot(client)


@pytest.fixture
def dispatcher(
    bot_session_factory: async_sessionmaker[AsyncSession],
) -> Iterator[Dispatcher]:
    """The session's dispatcher with this test's store and a fresh FSM storage."""
    shared = session_dispatcher()
    saved_data = dict(shared.workflow_data)
    saved_storage = shared.fsm.storage
    shared.workflow_data["session_factory"] = bot_session_factory
    shared.fsm.storage = CompactMemoryStorage()
    # start_polling keeps asyncio primitives that bind to the first loop that waits on
    # them; every test has its own loop, so each starts with fresh ones.
    shared._running_lock = asyncio.Lock()
    shared._stop_signal = None
    shared._stopped_signal = None
    try:
        yield shared
    finally:
        shared.workflow_data.clear()
        shared.workflow_data.update(saved_data)
        shared.fsm.storage = saved_storage


@pytest.fixture
def driver(emulator: TelegramEmulator, bot: Bot, dispatcher: Dispatcher) -> BotDriver:
    return BotDriver(emulator, bot, dispatcher)
