"""The running bot's allocator settings (`bot.app.memory`)."""

from __future__ import annotations

import platform
import subprocess
import sys

PROBE = """
from bot.app.memory import fix_mmap_threshold, limit_malloc_arenas
print(limit_malloc_arenas(), fix_mmap_threshold())
"""


def test_the_allocator_settings_are_taken_where_malloc_is_glibcs() -> None:
    taken = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert taken == [str(platform.libc_ver()[0] == "glibc")] * 2


FREEZE_PROBE = """
import gc
gc.disable()
import bot.app.runner
from bot.app.memory import collect_after_start_up
collect_after_start_up()
print(gc.isenabled(), gc.get_freeze_count() > 100_000, gc.get_count()[0] < 10)
"""


def test_collection_resumes_after_start_up_without_walking_what_start_up_built() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", FREEZE_PROBE], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert shown == ["True", "True", "True"]
