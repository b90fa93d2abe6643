"""Memory and cold start of the bot against a bare aiogram echo bot, in the same run.

A second baseline, the card floor (`floor_bot.py`), is the echo bot with what the design
card fixes besides aiogram (SQLAlchemy's asyncio engine on the same store, Babel's data
for both locales): its share of the echo bot's footprint is what no bot built to the card
can shed, and the bot's ratio to it is what the project's own code and data add.

Each runs as its own process (`python -m bot run`, `python -m tools.bench.echo_bot`,
`python -m tools.bench.floor_bot`), long polling a local Bot API emulator in this process.
Cold start: from starting the process to the first answer to a message that waits for it.
Memory: the process's resident set after it answered BENCH_UPDATES updates (30,000 by
default) from many users — commands, topic answers and searches for the bot, texts for
the baselines.

Updates are queued at the emulator a few dozen ahead of the answers: enough that every
long poll brings a full batch, not so many that they wait for the store's connections
(an update that waited past the pool's timeout would never be answered). Should a bot
still stop answering, the run ends after STALL seconds without an answer and the figures
name how many updates it had answered.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

from bot import PROJECT_ROOT
from bot.features.workers import context, ready, run_in_worker, warm_up
from tools.bench import Figure
from tools.emulator import EmulatorConfig, EmulatorEvent, EventKind, TelegramEmulator

UPDATES = int(os.environ.get("BENCH_UPDATES", "30000"))
USERS = 3_000
TEXTS = ("/start", "/help", "/zones", "/investments", "/cargo", "/sources", "Сарань")
IN_FLIGHT = 64  # updates sent and not yet answered, at a time
STALL = 60.0  # seconds without an answer after which a run gives up


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds to the first answer, MB resident after UPDATES updates, updates answered:
    fewer than UPDATES when the bot stalled)."""
    async with TelegramEmulator(EmulatorConfig(max_poll_timeout=1.0)) as emulator:
        # An update is answered by its chat's first message after it (some updates are
        # answered with two); a chat gets its next update only then.
        answered = 0
        waiting: set[int] = set()
        changed = asyncio.Event()

        def on_event(event: EmulatorEvent) -> None:
            nonlocal answered
            chat = event.chat
            if event.kind is EventKind.SENT and chat is not None and chat.id in waiting:
                waiting.discard(chat.id)
                answered += 1
                changed.set()

        emulator.subscribe(on_event)
        users = [emulator.create_user(f"u{n}", language_code="ru") for n in range(USERS)]
        emulator.send_message(users[0], "/start")
        waiting.add(users[0].id)
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
                while sent < UPDATES and len(waiting) < IN_FLIGHT:
                    user = users[sent % USERS]
                    if user.id in waiting:  # its last update is still unanswered
                        break
                    emulator.send_message(user, TEXTS[sent % len(TEXTS)])
                    waiting.add(user.id)
                    sent += 1
                changed.clear()
                try:
                    await asyncio.wait_for(changed.wait(), STALL)
                except TimeoutError:
                    break
            return cold, rss_mb(process.pid), answered
        finally:
            process.terminate()
            await process.wait()


def _spawned_worker() -> float:
    """Seconds to a first answer from a worker started as a fresh interpreter (spawn)."""
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply(ready)
    return time.perf_counter() - started


async def worker_start() -> list[Figure]:
    """An upload's worker: forked from the warm fork server against a spawned one."""
    spawned = min([await asyncio.to_thread(_spawned_worker) for _ in range(2)])
    await asyncio.to_thread(warm_up)
    await run_in_worker(ready)  # the server's preload is done once this answers
    forked = []
    for _ in range(5):
        started = time.perf_counter()
        await run_in_worker(ready)
        forked.append(time.perf_counter() - started)
    assert context().get_start_method() == "forkserver"
    return [
        Figure("upload_worker_start_spawned", spawned, "s", "baseline"),
        Figure("upload_worker_start_forked", min(forked), "s", "≤ 0.5 s"),
        Figure("upload_worker_start_vs_spawned", min(forked) / spawned, "x", "≤ 0.2"),
    ]


async def run() -> list[Figure]:
    python = sys.executable
    echo_cold, echo_mb, echo_done = await measure([python, "-m", "tools.bench.echo_bot"], {})
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
        floor_cold, floor_mb, floor_done = await measure(
            [python, "-m", "tools.bench.floor_bot"], env
        )
        bot_cold, bot_mb, bot_done = await measure([python, "-m", "bot", "run"], env)
    done = min(echo_done, floor_done, bot_done)
    if done < UPDATES:
        print(
            f"footprint: stalled (echo bot {echo_done:,}, card floor {floor_done:,}, "
            f"the bot {bot_done:,} of {UPDATES:,})",
            flush=True,
        )
    after = f"memory_after_{done:,}_updates"
    floor_share = floor_mb / echo_mb
    return [
        *await worker_start(),
        Figure("cold_start_echo_bot", echo_cold, "s", "baseline"),
        Figure("cold_start_card_floor", floor_cold, "s", "baseline"),
        Figure("cold_start_bot", bot_cold, "s", "≤ 1.2x the echo bot"),
        Figure("cold_start_vs_echo_bot", bot_cold / echo_cold, "x", "≤ 1.2"),
        Figure(f"{after}_echo_bot", echo_mb, "MB RSS", "baseline"),
        Figure(f"{after}_card_floor", floor_mb, "MB RSS", "baseline"),
        Figure(f"{after}_card_floor_vs_echo_bot", floor_share, "x", "what the card alone holds"),
        Figure(f"{after}_bot", bot_mb, "MB RSS", "≤ 1.2x echo"),
        Figure(f"{after}_vs_echo_bot", bot_mb / echo_mb, "x", "≤ 1.2"),
        Figure(
            f"{after}_vs_card_floor",
            bot_mb / floor_mb,
            "x",
            f"≤ {1.2 / floor_share:.2f}, the 1.2 left after the card",
        ),
    ]
