"""Work that runs in a process of its own: an uploaded document's ingest, a pass over the
feeds. Reading documents is CPU work that would hold the event loop, and what it loads (the
pipeline's vocabularies, the HTML extraction of pages and feeds) is megabytes that stay in
the worker: the bot's own process loads only what answering needs.

Workers are forked from a fork server, a small process started once (ahead of need, by
`warm_up`, or else by the first job) with the store and the pipeline modules already
imported: a worker starts in milliseconds instead of a fresh interpreter's seconds, and
the bot's process, which has threads and open connections, is never forked itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.pool
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# What the fork server imports once, so that every worker forked from it has it.
# A job's function must live in one of them too: a worker imports the module of the function
# it is handed, and a module outside would cost every worker its import.
PRELOAD = [
    "bot.features.uploads",
    "bot.storage.ingest",
    "bot.features.feeds.schedule",
    "bot.features.feeds.collect",
    "trafilatura",
    "feedparser",
]


def context() -> multiprocessing.context.ForkServerContext:
    found = multiprocessing.get_context("forkserver")
    found.set_forkserver_preload(PRELOAD)
    return found


def warm_up() -> None:
    """Starts the fork server now (it imports `PRELOAD` in its own process)."""
    context()
    multiprocessing.forkserver.ensure_running()


async def run_in_worker(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a worker process. The worker is stopped however the wait ends
    (an error, a cancellation: a caller's `asyncio.timeout` is the time limit). The wait
    holds no thread: the pool's own thread hands the outcome to the event loop."""
    loop = asyncio.get_running_loop()
    outcome: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if outcome.done():  # the wait was given up
            return
        if error is not None:
            outcome.set_exception(error)
        else:
            outcome.set_result(result)  # type: ignore[arg-type]

    def done(result: T) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(settle, result, None)

    def failed(error: BaseException) -> None:
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, None, error)

    # Started off the event loop: a fork server still importing `PRELOAD` answers only
    # once it is done, and the loop has updates to answer meanwhile.
    starting = loop.run_in_executor(None, context().Pool, 1)
    try:
        pool = await asyncio.shield(starting)
    except asyncio.CancelledError:
        starting.add_done_callback(_stop_once_started)
        raise
    try:
        pool.apply_async(function, args, callback=done, error_callback=failed)
        return await outcome
    finally:
        await asyncio.to_thread(_stop, pool)


def ready() -> str:
    """A job that only shows a worker is up with the ingest loaded (the benchmarks' probe)."""
    from bot.storage import ingest

    return ingest.__name__


def _stop_once_started(starting: asyncio.Future[multiprocessing.pool.Pool]) -> None:
    """Stops a pool whose start was waited for in vain (the wait was cancelled)."""
    if not starting.cancelled() and starting.exception() is None:
        threading.Thread(target=_stop, args=(starting.result(),), daemon=True).start()


def _stop(pool: multiprocessing.pool.Pool) -> None:
    pool.terminate()
    pool.join()
