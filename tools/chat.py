"""`make chat`: the real bot, dispatcher and store in a terminal, over an emulated Bot API.

The person at the keyboard plays a Telegram user; the bot runs real long polling against a
local `TelegramEmulator`, so everything between the handlers and HTTP is the production path.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path, PurePath
from typing import Any, TextIO

from aiogram import BaseMiddleware, Dispatcher
from aiogram.types import TelegramObject, Update

from bot.app.dispatcher import create_bot, create_dispatcher
from bot.domain.settings import Settings
from tools.emulator import (
    EmulatorConfig,
    EmulatorEvent,
    EventKind,
    InlineAnswer,
    StoredMessage,
    TelegramEmulator,
)
from tools.emulator.terminal import render_message
from tools.emulator.world import Chat, StoredFile

HELP = """\
Type a message or a /command and the bot answers as in Telegram.
  <number>        press that button of the keyboard shown (else it is sent as text;
                  right after an inline query: post that result)
  @<words>        inline query, as `@bot <words>` in any chat
  :lang kk|ru     your Telegram language (the bot's /lang choice still wins)
  :group          switch to a group chat where you are an administrator
  :private        back to the private chat with the bot
  :help           this text
  :quit           leave (Ctrl-D too)"""


class HandledUpdates(BaseMiddleware):
    """Marks each update as done once the dispatcher has finished with it."""

    def __init__(self) -> None:
        self._done: dict[int, asyncio.Event] = {}

    def event_for(self, update_id: int) -> asyncio.Event:
        return self._done.setdefault(update_id, asyncio.Event())

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        finally:
            if isinstance(event, Update):
                self.event_for(event.update_id).set()


class LineReader:
    """Reads input lines in a daemon thread, so a silent stdin never blocks the event loop
    and never keeps the process alive after `:quit`."""

    def __init__(self, stream: TextIO | None, prompt: str) -> None:
        self.stream = stream
        self.interactive = bool(
            stream is sys.stdin and stream is not None and _isatty(stream) and _isatty(sys.stdout)
        )
        self.prompt = prompt

    async def read(self) -> str | None:
        """The next line without its newline, or None at the end of input."""
        if self.stream is None or self.stream.closed:
            return None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def work() -> None:
            line: str | None
            try:
                line = input(self.prompt) if self.interactive else self.stream.readline()  # type: ignore[union-attr]
            except (EOFError, OSError, ValueError):
                line = None
            if not self.interactive and line == "":
                line = None
            with contextlib.suppress(RuntimeError):  # the loop may be gone after :quit
                loop.call_soon_threadsafe(_resolve, future, line)

        threading.Thread(target=work, name="chat-input", daemon=True).start()
        line = await future
        return readable(line.rstrip("\r\n")) if line is not None else None


def readable(line: str) -> str:
    """A line as the person typed or pasted it, whatever the terminal handed over: UTF-16
    surrogate pairs (some consoles split emoji so) joined, bytes the terminal's encoding
    could not decode (surrogate escapes) read as UTF-8, anything left replaced. Lone
    surrogates would otherwise fail every request that carries the text."""
    out: list[str] = []
    raw = bytearray()
    index = 0
    while index < len(line):
        char = line[index]
        code = ord(char)
        following = ord(line[index + 1]) if index + 1 < len(line) else 0
        if 0xDC80 <= code <= 0xDCFF:
            raw.append(code - 0xDC00)  # one byte the terminal could not decode
            index += 1
            continue
        if raw:
            out.append(raw.decode("utf-8", "replace"))
            raw.clear()
        if 0xD800 <= code <= 0xDBFF and 0xDC00 <= following <= 0xDFFF:
            out.append(chr(0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00)))
            index += 2
            continue
        out.append("\ufffd" if 0xD800 <= code <= 0xDFFF else char)
        index += 1
    if raw:
        out.append(raw.decode("utf-8", "replace"))
    return "".join(out)


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ChatSession:
    """One person talking to the bot: input lines in, the bot's doings printed out."""

    def __init__(
        self,
        emulator: TelegramEmulator,
        handled: HandledUpdates,
        out: TextIO,
        *,
        color: bool,
        reply_timeout: float,
        update_types: set[str],
        files_dir: Path | None = None,
    ) -> None:
        self.emulator = emulator
        # Photos and files the bot sends are saved here, and their paths printed.
        self.files_dir = files_dir or Path(tempfile.gettempdir()) / "karaganda-chat"
        self.handled = handled
        self.out = out
        self.color = color
        self.reply_timeout = reply_timeout
        self.update_types = update_types  # what polling asks for; others never arrive
        self.user = emulator.create_user("Operator", language_code="ru", username="operator")
        self.chat: Chat = emulator.chat(self.user)
        self.group: Chat | None = None
        self.keyboards: dict[int, StoredMessage] = {}  # chat id → last message with buttons
        self.inline: InlineAnswer | None = None
        emulator.subscribe(self.on_event)

    def say(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()

    # --- what the bot does -----------------------------------------------------------------

    def on_event(self, event: EmulatorEvent) -> None:
        where = "" if event.chat is None or event.chat is self.chat else f"[{_title(event.chat)}] "
        message = event.message
        if event.kind is EventKind.SENT and message is not None:
            self._print_message(f"{where}bot", message)
        elif event.kind is EventKind.EDITED and message is not None:
            self._print_message(f"{where}bot (edited #{message.message_id})", message)
        elif event.kind is EventKind.DELETED and message is not None:
            self.say(f"{where}(bot deleted message #{message.message_id})")
        elif event.kind is EventKind.CALLBACK_ANSWER and event.callback_answer is not None:
            answer = event.callback_answer
            if answer.text:
                self.say(f"({'alert' if answer.show_alert else 'notification'}) {answer.text}")
            if answer.url:
                self.say(f"(open) {answer.url}")
        elif event.kind is EventKind.INLINE_ANSWER and event.inline_answer is not None:
            self._print_inline(event.inline_answer)

    def _print_message(self, label: str, message: StoredMessage) -> None:
        lines = render_message(message, color=self.color)
        self.say(f"{label}: {lines[0] if lines else ''}")
        indent = " " * (len(label) + 2)
        for line in lines[1:]:
            self.say((indent + line) if line else "")
        for kind, stored in (("photo", message.photo), ("file", message.document)):
            if stored is not None:
                self.say(f"{indent}({kind} saved: {self._save(stored)})")
        if message.buttons:
            self.keyboards[message.chat.id] = message
        elif self.keyboards.get(message.chat.id) is message or not label.endswith(")"):
            # An edit that took the buttons away, or a newer message: no keyboard is shown.
            self.keyboards.pop(message.chat.id, None)

    def _save(self, stored: StoredFile) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        suffix = ".png" if stored.mime_type == "image/png" or stored.file_name is None else ""
        name = PurePath(stored.file_name or stored.file_id).name + suffix
        path = self.files_dir / name
        path.write_bytes(stored.content)
        return path

    def _print_inline(self, answer: InlineAnswer) -> None:
        self.inline = answer if answer.results else None
        if not answer.results:
            self.say("(no inline results)")
            return
        for number, result in enumerate(answer.results, start=1):
            title = result.get("title") or result.get("type", "result")
            description = result.get("description")
            self.say(f"  {number}. {title}" + (f" — {description}" if description else ""))
        self.say("  (type a number to post a result)")

    # --- what the person types -------------------------------------------------------------

    async def handle(self, line: str) -> bool:
        """Acts on one input line; False when the session should end."""
        text = line.strip()
        if not text:
            return True
        inline, self.inline = self.inline, None
        if text in (":quit", ":q", ":exit"):
            return False
        if text == ":help":
            self.say(HELP)
        elif text.startswith(":lang"):
            self._set_language(text.removeprefix(":lang").strip())
        elif text == ":group":
            await self._enter_group()
        elif text == ":private":
            self.chat = self.emulator.chat(self.user)
            self.say("(private chat with the bot)")
        elif text.startswith(":"):
            self.say(f"unknown command {text}; :help lists them")
        elif text.isdigit() and inline is not None:
            await self._post_inline(inline, int(text))
        elif text.isdigit() and self.chat.id in self.keyboards:
            await self._press(int(text))
        elif text.startswith("@"):
            await self._inline_query(text[1:].strip())
        else:
            update = self.emulator.send_message(self.user, text, self.chat)
            if update is None:
                self.say("(in a group the bot only sees commands and replies to it)")
            await self.settle(update)
        return True

    def _set_language(self, code: str) -> None:
        if not code:
            self.say(f"(your language is {self.user.language_code})")
            return
        self.user.language_code = code
        self.say(f"(your Telegram language is now {code})")

    async def _enter_group(self) -> None:
        if self.group is None:
            self.group = self.emulator.create_group("Chat client group", admins=(self.user,))
            self.chat = self.group
            self.say(f"(you created {_title(self.group)} and added the bot)")
            await self.settle(self.emulator.add_bot_to_group(self.user, self.group))
        else:
            self.chat = self.group
            self.say(f"(in {_title(self.group)})")

    async def _press(self, number: int) -> None:
        message = self.keyboards.get(self.chat.id)
        buttons = message.flat_buttons if message is not None else []
        if message is None or not 1 <= number <= len(buttons):
            self.say("(no such button)")
            return
        button = buttons[number - 1]
        if button.kind == "callback_data":
            await self.settle(self.emulator.press_button(message, button.value, user=self.user))
        elif button.kind == "url":
            self.say(f"(opens {button.value})")
        elif button.kind.startswith("switch_inline_query"):
            # A share button carries its query as text, or in an object (chosen chat).
            value = button.value
            query = value if isinstance(value, str) else ""
            if isinstance(value, dict):
                query = str(value.get("query") or "")
            await self._inline_query(query)
        else:
            self.say(f"(a {button.kind} button: not emulated)")

    async def _inline_query(self, query: str) -> None:
        update = self.emulator.inline_query(self.user, query, chat_type=str(self.chat.type))
        answers = len(self.emulator.inline_answers)
        await self.settle(update)
        if len(self.emulator.inline_answers) == answers:
            self.say("(the bot gave no inline answer)")

    async def _post_inline(self, answer: InlineAnswer, number: int) -> None:
        if not 1 <= number <= len(answer.results):
            self.say("(no such result)")
            return
        result_id = str(answer.results[number - 1]["id"])
        message, update = self.emulator.post_inline_result(self.user, answer, result_id, self.chat)
        self._print_message(f"you via @{self.emulator.bot.username}", message)
        await self.settle(update)
        await self.settle(
            self.emulator.chosen_inline_result(
                self.user, result_id, answer.query, inline_message_id=message.inline_message_id
            )
        )

    async def settle(self, update: Update | None) -> None:
        """Waits until the dispatcher is done with `update`, so answers print before the prompt."""
        if update is None or update.event_type not in self.update_types:
            return
        try:
            await asyncio.wait_for(
                self.handled.event_for(update.update_id).wait(), self.reply_timeout
            )
        except TimeoutError:
            self.say(f"(no answer within {self.reply_timeout:g} s)")


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """Info logs would interleave with the conversation; warnings and errors still show."""
    handlers = logging.getLogger().handlers
    levels = [handler.level for handler in handlers]
    for handler in handlers:
        handler.setLevel(max(handler.level, logging.WARNING))
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)


def _title(chat: Chat) -> str:
    return chat.title or (chat.peer.first_name if chat.peer else str(chat.id))


async def run_chat(
    settings: Settings,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    dispatcher: Dispatcher | None = None,
    reply_timeout: float = 10.0,
    config: EmulatorConfig | None = None,
    files_dir: Path | None = None,
) -> int:
    """Runs the chat until `:quit` or the end of input.

    The streams default to the terminal's. A test passes its own streams and may pass the
    dispatcher it already built (feature routers attach to one dispatcher per process).
    """
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if stdout is None else stdout
    with _quiet_logs():
        return await _chat(settings, stdin, out, dispatcher, reply_timeout, config, files_dir)


async def _chat(
    settings: Settings,
    stdin: TextIO | None,
    out: TextIO,
    dispatcher: Dispatcher | None,
    reply_timeout: float,
    config: EmulatorConfig | None,
    files_dir: Path | None,
) -> int:
    # Imported here, under quiet logs: Alembic logs its plugin set-up at import.
    from bot.storage.engine import create_engine, create_session_factory, migrate

    await migrate(settings.database_url)
    async with contextlib.AsyncExitStack() as cleanup:
        engine = create_engine(settings.database_url)
        cleanup.push_async_callback(engine.dispose)
        session_factory = create_session_factory(engine)
        if dispatcher is None:
            dispatcher = create_dispatcher(settings, session_factory)
        emulator = TelegramEmulator(config)
        await emulator.start()
        cleanup.push_async_callback(emulator.stop)
        handled = HandledUpdates()
        dispatcher.update.outer_middleware(handled)
        cleanup.callback(dispatcher.update.outer_middleware.unregister, handled)
        bot = create_bot(emulator.token, api_url=emulator.base_url)
        polling = asyncio.create_task(
            dispatcher.start_polling(
                bot, handle_signals=False, settings=settings, session_factory=session_factory
            )
        )
        cleanup.push_async_callback(_stop_polling, dispatcher, polling)
        session = ChatSession(
            emulator,
            handled,
            out,
            color=_isatty(out),
            reply_timeout=reply_timeout,
            update_types=set(dispatcher.resolve_used_update_types()),
            files_dir=files_dir,
        )
        code = await _converse(session, LineReader(stdin, "you> "))
    session.say("bye")
    return code


async def _converse(session: ChatSession, reader: LineReader) -> int:
    session.say(
        f"Offline chat with @{session.emulator.bot.username} (emulated Bot API at "
        f"{session.emulator.base_url}). :help for help, :quit to leave."
    )
    try:
        while (line := await reader.read()) is not None:
            if not reader.interactive:
                session.say(f"you> {line}")
            if not await session.handle(line):
                break
        else:
            if reader.interactive:
                session.say()  # Ctrl-D leaves the cursor after the prompt
    except asyncio.CancelledError:
        return 130  # Ctrl-C: leave as cleanly as :quit
    return 0


async def _stop_polling(dispatcher: Dispatcher, polling: asyncio.Task[None]) -> None:
    if not polling.done():
        try:
            await dispatcher.stop_polling()
        except RuntimeError:  # polling had not started yet
            polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling


def main() -> int:
    """`python -m tools.chat`: the bot in this terminal, with settings from the environment."""
    from bot.domain.settings import Settings

    logging.basicConfig(level=logging.WARNING)
    return asyncio.run(run_chat(Settings()))


if __name__ == "__main__":
    sys.exit(main())
