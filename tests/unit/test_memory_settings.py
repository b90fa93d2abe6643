"""The running bot's allocator settings (`bot.app.memory`)."""

from __future__ import annotations

import platform
import subprocess
import sys

PROBE = """
from bot.app.memory import limit_malloc_arenas
print(limit_malloc_arenas())
"""


def test_the_arena_limit_is_taken_where_malloc_is_glibcs() -> None:
    taken = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert taken == str(platform.libc_ver()[0] == "glibc")
