"""Hostile updates against the whole bot: random and malformed text, commands with
arguments of every size, forged button data, documents, inline queries, messages sent on
behalf of channels, groups. Counts the updates whose handling raised.

    .venv/bin/python -m tools.emulator.fuzz [--updates 10000] [--seed 1]

Each update goes through the real dispatcher and a real Bot over HTTP to the emulator, on
a store migrated in a temporary folder with the seed documents ingested."""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.types import Chat as ApiChat
from aiogram.types import Update
from aiogram.types import User as ApiUser

from tools.emulator.emulator import EmulatorConfig, TelegramEmulator
from tools.emulator.records import EmulatorEvent
from tools.emulator.world import Chat, StoredMessage, User

COMMANDS = (
    *("start", "help", "investments", "zones", "cargo", "production", "jobs", "chart"),
    *("export", "search", "sources", "subscribe", "settings", "digest", "unsubscribe", "lang"),
)
PREFIXES = (
    *("topic", "page", "card", "cardpage", "chart", "sources", "lang", "subf", "subs"),
    *("dpage", "upload", "nope", ""),
)
PIECES = (
    "<b>", "</i>", "&amp;", "&", "<", ">", '"', "😀", "👨‍👩‍👧", "\u200b", "\u202e", "\x00",
    "\ud7ff", "Қарағанды", "инвестиции", "млрд тенге", "zones", "cargo", "2025", "-1",
    "99999999999999999999", "..", "/", "@", ":", "\n", " ", "%s", "{name}", "ё", "🇰🇿",
)  # fmt: skip
CHANNEL_BOT = 136817688


@dataclass
class FuzzReport:
    updates: int = 0
    unhandled: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.kinds.items()))
        return f"{self.updates} hostile updates ({kinds}): {self.unhandled} unhandled exceptions"


class Fuzzer:
    def __init__(self, emulator: TelegramEmulator, seed: int) -> None:
        self.emulator = emulator
        self.random = random.Random(seed)
        self.users = [emulator.create_user(f"f{n}", language_code=lang) for n, lang in
                      enumerate(("ru", "kk", "en", None, "ru", "kk"))]  # fmt: skip
        self.messages: list[StoredMessage] = []
        self.groups: list[Chat] = []

    def text(self, longest: int = 5000) -> str:
        size = self.random.choice((0, 1, 5, 40, 300, longest))
        parts: list[str] = []
        while sum(map(len, parts)) < size:
            parts.append(self.random.choice(PIECES))
        return "".join(parts)[:size]

    def user(self) -> User:
        return self.random.choice(self.users)

    def update(self) -> tuple[str, Update | None]:
        """One hostile update and its kind."""
        roll = self.random.random()
        user = self.user()
        chat = self.random.choice(self.groups) if self.groups and roll < 0.2 else None
        if roll < 0.3:
            command = self.random.choice(COMMANDS)
            return "command", self.emulator.send_message(user, f"/{command} {self.text()}", chat)
        if roll < 0.45:
            return "text", self.emulator.send_message(user, self.text() or "x", chat)
        if roll < 0.65 and self.messages:
            message = self.random.choice(self.messages)
            values = [self.text(70).replace(":", "") for _ in range(self.random.randint(0, 5))]
            data = ":".join([self.random.choice(PREFIXES), *values]).encode()[:64]
            forged = data.decode("utf-8", "ignore") or "x"
            presser = message.chat.peer or user
            return "button", self.emulator.press_forged(message, forged, user=presser)
        if roll < 0.72 and self.messages:
            message = self.random.choice(self.messages)
            buttons = [b for b in message.flat_buttons if b.kind == "callback_data"]
            if buttons:
                button = self.random.choice(buttons)
                presser = message.chat.peer or user
                return "press", self.emulator.press_button(message, button.value, user=presser)
        if roll < 0.8:
            return "inline", self.emulator.inline_query(user, self.text(300))
        if roll < 0.85:
            content = self.random.choice(
                (
                    self.text().encode("utf-8", "surrogatepass"),
                    "текст".encode("utf-16"),
                    b"\xff" * 9,
                )
            )
            name = self.random.choice(("a.txt", "b.pdf", "", self.text(300) + ".txt"))
            return "document", self.emulator.send_document(user, name, content)
        if roll < 0.9:
            update = self.emulator.send_message(user, f"/{self.random.choice(COMMANDS)}", chat)
            return "channel", _on_behalf_of_a_channel(update)
        if roll < 0.95 and len(self.groups) < 5:
            group_update = self.emulator.add_bot_to_group(user)
            assert group_update.my_chat_member is not None
            self.groups.append(self.emulator.chat(group_update.my_chat_member.chat.id))
            return "group", group_update
        return "text", self.emulator.send_message(user, self.text(), chat)


def _on_behalf_of_a_channel(update: Update | None) -> Update | None:
    if update is None or update.message is None:
        return update
    message = update.message.model_copy(
        update={
            "from_user": ApiUser(id=CHANNEL_BOT, is_bot=True, first_name="Channel"),
            "sender_chat": ApiChat(id=-1009999, type="channel", title="News"),
        }
    )
    return update.model_copy(update={"message": message})


async def fuzz(
    dispatcher: Dispatcher,
    bot: Bot,
    emulator: TelegramEmulator,
    updates: int,
    *,
    seed: int = 1,
    **kwargs: object,
) -> FuzzReport:
    """Feeds `updates` hostile updates one after the other; counts those that raised."""
    fuzzer = Fuzzer(emulator, seed)
    report = FuzzReport()

    def remember(event: EmulatorEvent) -> None:
        if event.message is not None and event.message.buttons:
            fuzzer.messages.append(event.message)

    emulator.subscribe(remember)
    for _ in range(updates):
        kind, update = fuzzer.update()
        if update is None:
            continue
        report.updates += 1
        report.kinds[kind] += 1
        try:
            await dispatcher.feed_update(bot, update, **kwargs)
        except Exception:
            report.unhandled += 1
            if len(report.failures) < 20:
                report.failures.append(f"{kind}: {traceback.format_exc(limit=-3)}")
        if len(fuzzer.messages) > 200:
            del fuzzer.messages[:100]
    return report


async def _main(count: int, seed: int) -> FuzzReport:
    from bot.app.dispatcher import create_bot, create_dispatcher
    from bot.domain.settings import Settings
    from bot.storage.engine import create_engine, create_session_factory, migrate
    from bot.storage.ingest import ingest_paths

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}"
        await migrate(url)
        engine = create_engine(url)
        factory = create_session_factory(engine)
        await ingest_paths(factory)
        settings = Settings(_env_file=None, bot_token=None, database_url=url)  # type: ignore[call-arg]
        dispatcher = create_dispatcher(settings, factory)
        async with TelegramEmulator(EmulatorConfig(max_poll_timeout=0.5)) as emulator:
            bot = create_bot(emulator.token, api_url=emulator.base_url)
            try:
                return await fuzz(dispatcher, bot, emulator, count, seed=seed)
            finally:
                await bot.session.close()
                await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    report = asyncio.run(_main(args.updates, args.seed))
    for failure in report.failures:
        print(failure)
    print(report.summary())
    raise SystemExit(1 if report.unhandled else 0)


if __name__ == "__main__":
    main()
