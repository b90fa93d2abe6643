"""Documents an administrator sends, ingested in a worker process with a time limit.

Reading a document (finding every figure, its period and its subject) is CPU work that
grows with the text; on the event loop one large upload would keep every other user
waiting. The whole ingest of an upload therefore runs in a process of its own, on its
own connection to the same store (`bot.features.workers`): the bot answers everyone
meanwhile, and a document that takes longer than the limit is stopped (its process
killed, so nothing of it is stored) and the administrator told so.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.workers import run_in_worker

if TYPE_CHECKING:
    # The ingest and the pipeline behind it load in the worker (`workers.PRELOAD`), not in
    # the bot's process, which only hands the document over.
    from bot.storage.ingest import IngestReport

log = logging.getLogger(__name__)

# Byte order marks of UTF-16, and how much of a text's bytes are NUL in UTF-16 Cyrillic.
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class UploadLimits:
    # News articles are a few kilobytes; anything this large is not one.
    max_kb: int = 2048
    # Reading a long article takes a second or two; this much means something is wrong.
    seconds: float = 60.0


class TooSlow(Exception):
    """The document took longer to read than the limit allows."""


def looks_like_utf16(data: bytes) -> bool:
    """A byte order mark of UTF-16, or text whose every other byte is NUL."""
    if data.startswith(UTF16_MARKS):
        return True
    sample = data[:4096]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 3


def store_url(session_factory: async_sessionmaker[AsyncSession]) -> str | None:
    """The database the session factory opens, for a worker to open itself; None for an
    in-memory SQLite store, which no other process can see."""
    engine = session_factory.kw.get("bind")
    if engine is None:
        return None
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return str(url.render_as_string(hide_password=False))


async def ingest_upload(
    session_factory: async_sessionmaker[AsyncSession],
    name: str,
    data: bytes,
    limits: UploadLimits,
) -> IngestReport:
    """Ingests one uploaded document off the event loop; raises TooSlow past the limit."""
    url = store_url(session_factory)
    if url is None:
        from bot.storage.ingest import ingest_bytes

        return await ingest_bytes(session_factory, name, data)
    try:
        async with asyncio.timeout(limits.seconds):
            return await run_in_worker(_ingest_in_worker, url, name, data)
    except TimeoutError:
        log.warning("upload %s: not read within %.0f s, stopped", name, limits.seconds)
        raise TooSlow(name) from None


def _ingest_in_worker(url: str, name: str, data: bytes) -> IngestReport:
    return asyncio.run(_ingest(url, name, data))


async def _ingest(url: str, name: str, data: bytes) -> IngestReport:
    from bot.storage.engine import create_engine, create_session_factory
    from bot.storage.ingest import ingest_bytes

    engine = create_engine(url)
    try:
        return await ingest_bytes(create_session_factory(engine), name, data)
    finally:
        await engine.dispose()
