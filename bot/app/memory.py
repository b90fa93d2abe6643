"""How the running bot's process uses memory: the C allocator (glibc's malloc) and
Python's garbage collector.

The bot's threads are few but each allocates: every SQLite connection has a thread of
its own (aiosqlite), and so do `asyncio.to_thread` and the workers' pool. glibc gives
each thread that allocates an arena of its own, up to eight per core, and memory freed
in one arena is never reused by another: a process with a dozen such threads keeps
several megabytes of free memory resident. Two arenas are plenty for a process whose
Python code runs on one thread at a time (the same setting as `MALLOC_ARENA_MAX=2`).

glibc also moves its threshold for serving a large block from a mapping of its own: once
such a block is freed, blocks up to its size come from the heap instead. One large buffer
freed (the morphology's dictionaries are read from their files through buffers of several
megabytes) and every later block up to that size lands in the heap, where freeing it
returns nothing to the system. A fixed threshold keeps large blocks mapped, and freeing
one gives its memory back (the same as `MALLOC_MMAP_THRESHOLD_=131072`).

Elsewhere (musl, macOS) these are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
ARENAS = 2
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, kept from moving


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    if not hasattr(libc, "gnu_get_libc_version"):
        return None
    return libc


def _mallopt(parameter: int, name: str, value: int) -> bool:
    """glibc's `mallopt(parameter, value)`; True when the allocator took the setting."""
    libc = _glibc()
    if libc is None:
        return False
    taken = bool(libc.mallopt(parameter, value))
    if not taken:
        log.warning("malloc did not take %s=%d", name, value)
    return taken


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """At most `arenas` malloc arenas for the whole process; called before its threads
    start. True when the allocator took the setting."""
    return _mallopt(M_ARENA_MAX, "M_ARENA_MAX", arenas)


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Blocks of `threshold` bytes and more always get a mapping of their own, returned to
    the system when freed. True when the allocator took the setting."""
    return _mallopt(M_MMAP_THRESHOLD, "M_MMAP_THRESHOLD", threshold)


def collect_after_start_up() -> None:
    """Garbage collection resumes, with everything start-up built kept out of it.

    `python -m bot run` starts with collection paused (`gc.disable()`): its imports and
    set-up build hundreds of thousands of objects that live as long as the process (most
    of them aiogram's and pydantic's types) and almost no garbage (a couple of thousand
    unreachable objects), yet each full collection on the way walks all of them, a fifth
    of a second at a time. Frozen here (`gc.freeze()`), they are not walked again by the
    collections of the running bot either, which then only look at what updates build."""
    gc.freeze()
    gc.enable()
