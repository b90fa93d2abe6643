"""Memory and cold start of the bot against a bare aiogram echo bot, in the same run.

Each runs as its own process (`python -m bot run`, and `python -m tools.bench.echo_bot`),
long polling a local Bot API emulator in this process. Cold start: from starting the
process to the first answer to a message that waits for it. Memory: the process's
resident set after it answered BENCH_UPDATES updates (30,000 by default) from many users
— commands, topic answers and searches for the bot, texts for the echo bot.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from bot import PROJECT_ROOT
from tools.bench import Figure
from tools.emulator import EmulatorConfig, EmulatorEvent, EventKind, TelegramEmulator

UPDATES = int(os.environ.get("BENCH_UPDATES", "30000"))
USERS = 3_000
TEXTS = ("/start", "/help", "/zones", "/investments", "/cargo", "/sources", "Сарань")
IN_FLIGHT = 200  # updates waiting at the emulator at a time


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first answer, MB resident after UPDATES updates)."""
    async with TelegramEmulator(EmulatorConfig(max_poll_timeout=1.0)) as emulator:
        answered = 0
        changed = asyncio.Event()

        def on_event(event: EmulatorEvent) -> None:
            nonlocal answered
            if event.kind is EventKind.SENT:
                answered += 1
                changed.set()

        emulator.subscribe(on_event)
        users = [emulator.create_user(f"u{n}", language_code="ru") for n in range(USERS)]
        emulator.send_message(users[0], "/start")
        environment = {
            **os.environ,
            **env,
            "BOT_TOKEN": emulator.token,
            "TELEGRAM_API_URL": emulator.base_url,
        }
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *command,
            env=environment,
            cwd=PROJECT_ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            while answered < 1:
                changed.clear()
                await changed.wait()
            cold = time.perf_counter() - started
            sent = 1
            while answered < UPDATES:
                while sent < UPDATES and sent - answered < IN_FLIGHT:
                    emulator.send_message(users[sent % USERS], TEXTS[sent % len(TEXTS)])
                    sent += 1
                changed.clear()
                await changed.wait()
            return cold, rss_mb(process.pid)
        finally:
            process.terminate()
            await process.wait()


async def run() -> list[Figure]:
    python = sys.executable
    echo_cold, echo_mb = await measure([python, "-m", "tools.bench.echo_bot"], {})
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        ingest = await asyncio.create_subprocess_exec(
            *(python, "-m", "bot", "ingest", "--db", url),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await ingest.wait()
        env = {
            "DATABASE_URL": url,
            "SEND_RATE_LIMIT": "100000",  # the emulator, not Telegram: no flood control
            "REDIS_URL": "",
            "WEBHOOK_URL": "",
        }
        bot_cold, bot_mb = await measure([python, "-m", "bot", "run"], env)
    updates = f"{UPDATES:,}"
    return [
        Figure("cold start, echo bot", echo_cold, "s", "baseline"),
        Figure("cold start, the bot", bot_cold, "s", "≤ 1.2× the echo bot"),
        Figure("cold start against the echo bot", bot_cold / echo_cold, "×", "≤ 1.2"),
        Figure(f"memory after {updates} updates, echo bot", echo_mb, "MB RSS", "baseline"),
        Figure(f"memory after {updates} updates, the bot", bot_mb, "MB RSS", "≤ 1.2× echo"),
        Figure(
            f"memory after {updates} updates against the echo bot", bot_mb / echo_mb, "×", "≤ 1.2"
        ),
    ]
