"""What the running bot's process loads: its answers' code, not the machinery of other
processes (migrations, reading pages and feeds), which stays out of its memory."""

from __future__ import annotations

import subprocess
import sys

# Loaded by `python -m bot migrate` and by the workers (`bot.features.workers`) only.
ELSEWHERE = (
    "alembic",
    "mako",
    "trafilatura",
    "lxml",
    "feedparser",
    "pymorphy3",
    "razdel",
    "bot.storage.ingest",
    "bot.pipeline.analysis",
    "bot.features.feeds.collect",
)

PROBE = f"""
import sys
from bot.app.runner import run_bot
from handlers import feature_routers
feature_routers()
print(" ".join(name for name in {ELSEWHERE!r} if name in sys.modules))
"""


def test_the_bot_process_starts_without_what_other_processes_load() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert loaded == []
