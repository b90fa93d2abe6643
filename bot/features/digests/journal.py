"""Group commit of delivery changes: one writer, many senders.

Every sender waits until its change is committed (a `sending` mark must be durable before
the request leaves), but changes that arrive together share one transaction, and the two
changes every message makes — marked `sending`, recorded sent — go as one statement per
batch. That keeps the exactly-once protocol per message while a fan-out commits a few
times per batch of messages instead of twice per message, and keeps SQLite to one writer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.subscriptions import DeliveryRepository, SendingMark, SentMark

T = TypeVar("T")
Change = Callable[[DeliveryRepository], Awaitable[Any]]
Entry = tuple[Change | SendingMark | SentMark, asyncio.Future[Any]]


class DeliveryJournal:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._queue: list[Entry] = []
        self._writer: asyncio.Task[None] | None = None
        self.commits = 0

    async def apply(self, change: Callable[[DeliveryRepository], Awaitable[T]]) -> T:
        """Runs `change` in the next transaction and returns its result once committed.

        Cancelling the caller does not cancel the change: once queued it is applied.
        """
        result: T = await self._enqueue(change)
        return result

    async def mark_sending(self, mark: SendingMark) -> bool:
        """True once the mark is committed; False when the claim was taken over."""
        marked: bool = await self._enqueue(mark)
        return marked

    async def mark_sent(self, mark: SentMark) -> None:
        await self._enqueue(mark)

    async def drain(self) -> None:
        """Waits until everything queued is committed."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _enqueue(self, item: Change | SendingMark | SentMark) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        # A caller cancelled meanwhile no longer reads the outcome; reading it here keeps
        # asyncio from reporting it as lost.
        future.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._queue.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="delivery-journal")
        return await asyncio.shield(future)

    async def _write(self) -> None:
        # One session while there is work: a batch costs its statements and a commit. The
        # outer loop catches changes queued while the session was closing.
        while self._queue:
            await self._write_session()

    async def _write_session(self) -> None:
        async with self._session_factory() as session:
            repository = DeliveryRepository(session)
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    results = await self._apply(repository, batch)
                    await session.commit()
                except Exception as error:  # every waiter learns its change did not happen
                    await session.rollback()
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                self.commits += 1
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)

    @staticmethod
    async def _apply(repository: DeliveryRepository, batch: list[Entry]) -> list[Any]:
        sending = [item for item, _ in batch if isinstance(item, SendingMark)]
        sent = [item for item, _ in batch if isinstance(item, SentMark)]
        marked = await repository.mark_sending(sending)
        await repository.mark_sent(sent)
        results: list[Any] = []
        for item, _ in batch:
            if isinstance(item, SendingMark):
                results.append(item.delivery_id in marked)
            elif isinstance(item, SentMark):
                results.append(None)
            else:
                results.append(await item(repository))
        return results
