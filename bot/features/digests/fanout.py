"""The fan-out: claims due digests and delivers them through the limiter, exactly once.

One run claims what is due in batches, hands the deliveries to a pool of workers and ends
when nothing is left to claim. Per message a worker

1. waits for the chat (its interval, a group's minute) and for an overall slot;
2. commits the `sending` mark — from here on a crash means "maybe sent", never "resend";
3. sends, and commits the outcome.

Steps 2–3 run to completion even when the run is cancelled, so stopping the sender
(Ctrl-C, a deploy, the test that stops it mid-way) never leaves a message half-known:
it waits for the requests in flight, records them, hands back the deliveries it claimed
but did not start, and stops. Only a crash of the process leaves `sending` rows, which
the next run settles as sent-but-uncertain (see `bot.features.digests`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.types import InlineKeyboardMarkup, LinkPreviewOptions
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.digests.compose import DigestComposer, DigestWindow
from bot.features.digests.journal import DeliveryJournal
from bot.features.digests.sending import LOST_CLAIM, SENT, Attempt, RetryPolicy, Verdict, classify
from bot.features.sending.limiter import OutgoingLimiter
from bot.storage.subscriptions import (
    Delivery,
    DeliveryRepository,
    DeliveryState,
    SendingMark,
    SentMark,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Keyboard = Callable[[str], InlineKeyboardMarkup | None]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FanoutConfig:
    # Workers mostly wait (for a chat's interval, a slot); `in_flight` of them at a time
    # hold a committed `sending` mark while they wait for their slot and send.
    workers: int = 64
    in_flight: int = 8
    batch: int = 200  # deliveries claimed per transaction
    # How long a claim holds without a sign of life. A running sender renews the leases
    # of what it holds every third of this (`heartbeat`), so a killed sender's claims are
    # taken over by another within this time.
    lease: timedelta = timedelta(seconds=45)
    settle: timedelta = timedelta(seconds=5)  # facts younger than this wait for the next digest

    @property
    def heartbeat(self) -> float:
        """Seconds between two renewals of the leases."""
        return self.lease.total_seconds() / 3


@dataclass
class FanoutReport:
    claimed: int = 0
    digests: int = 0  # digests whose every message was sent
    messages: int = 0
    empty: int = 0
    gone: int = 0
    failed: int = 0
    deferred: int = 0
    retries: int = 0
    uncertain: int = 0  # found in flight after a crash: counted as sent, not resent
    lost_claims: int = 0
    chats_gone: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.digests} digests sent ({self.messages} messages), {self.empty} with nothing "
            f"new, {self.gone} chats gone, {self.failed} failed, {self.deferred} deferred, "
            f"{self.uncertain} settled after an interruption"
        )


async def _move_chat(deliveries: DeliveryRepository, *, old: int, new: int) -> None:
    await deliveries.move_chat(old, new)


async def run_to_completion(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs `coroutine` to its end even if the caller is cancelled meanwhile; the
    cancellation is delivered afterwards."""
    task = asyncio.ensure_future(coroutine)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError:
            if task.cancelled():
                raise
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    return result


class DigestFanout:
    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        i18n: I18n,
        zone: tzinfo,
        *,
        limiter: OutgoingLimiter,
        policy: RetryPolicy | None = None,
        config: FanoutConfig | None = None,
        clock: Callable[[], datetime] = utcnow,
        keyboard: Keyboard | None = None,
        name: str | None = None,
    ) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.i18n = i18n
        self.zone = zone
        self.limiter = limiter
        self.policy = policy or RetryPolicy()
        self.config = config or FanoutConfig()
        self.clock = clock
        self.keyboard = keyboard
        self.name = name or f"fanout-{uuid.uuid4().hex[:8]}"
        self._runs = 0

    async def close(self) -> None:
        """Releases the limiter (a shared one holds a Redis connection)."""
        await self.limiter.close()

    async def run(self, *, force: bool = False) -> FanoutReport:
        """Delivers everything due now (with `force`, as if every subscriber's time had
        come); returns when nothing is left to claim."""
        self._runs += 1
        run_id = f"{self.name}.{self._runs}.{uuid.uuid4().hex[:6]}"
        report = FanoutReport()
        journal = DeliveryJournal(self.session_factory)
        composer = DigestComposer(self.session_factory, self.i18n, self.zone)
        queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=self.config.batch)
        in_flight = asyncio.Semaphore(self.config.in_flight)
        try:
            report.uncertain = await journal.apply(
                lambda deliveries: deliveries.settle_interrupted(now=self.clock())
            )
            if report.uncertain:
                log.warning(
                    "%d digest messages were in flight when a sender stopped: "
                    "counted as sent, not sent again",
                    report.uncertain,
                )
            heartbeat = asyncio.create_task(self._heartbeat(journal, run_id))
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(self._produce(queue, journal, run_id, force, report))
                    for number in range(self.config.workers):
                        group.create_task(
                            self._work(queue, journal, composer, in_flight, report),
                            name=f"{run_id}-w{number}",
                        )
            finally:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat
        finally:
            await run_to_completion(self._hand_back(journal, run_id))
        log.info("digest fan-out: %s", report.summary())
        return report

    async def _heartbeat(self, journal: DeliveryJournal, run_id: str) -> None:
        """Renews the leases of this run's claims while it runs (see FanoutConfig.lease)."""
        while True:
            await asyncio.sleep(self.config.heartbeat)
            renew = functools.partial(
                DeliveryRepository.renew,
                token_prefix=f"{run_id}/",
                until=self.clock() + self.config.lease,
            )
            try:
                await journal.apply(renew)
            except Exception:
                # A missed beat only shortens the leases; the next one may get through.
                log.warning("digest fan-out: could not renew the leases", exc_info=True)

    async def _hand_back(self, journal: DeliveryJournal, run_id: str) -> None:
        released = await journal.apply(lambda deliveries: deliveries.release(f"{run_id}/"))
        if released:
            log.info("handed back %d digests claimed and not started", released)
        await journal.drain()

    # --- claiming -----------------------------------------------------------------------

    async def _produce(
        self,
        queue: asyncio.Queue[Delivery | None],
        journal: DeliveryJournal,
        run_id: str,
        force: bool,
        report: FanoutReport,
    ) -> None:
        number = 0
        while True:
            token = f"{run_id}/{number}"
            number += 1
            batch = await journal.apply(self._claim(token, force))
            if not batch:
                break
            report.claimed += len(batch)
            for delivery in batch:
                await queue.put(delivery)
        for _ in range(self.config.workers):
            await queue.put(None)

    def _claim(
        self, token: str, force: bool
    ) -> Callable[[DeliveryRepository], Awaitable[list[Delivery]]]:
        async def claim(deliveries: DeliveryRepository) -> list[Delivery]:
            now = self.clock()
            lease, limit = self.config.lease, self.config.batch
            held = await deliveries.reclaim(token, now=now, limit=limit, lease=lease)
            if held:
                return held
            return await deliveries.claim_due(
                token,
                now=now,
                zone=self.zone,
                limit=limit,
                lease=lease,
                settle=self.config.settle,
                force=force,
            )

        return claim

    # --- delivering ---------------------------------------------------------------------

    async def _work(
        self,
        queue: asyncio.Queue[Delivery | None],
        journal: DeliveryJournal,
        composer: DigestComposer,
        in_flight: asyncio.Semaphore,
        report: FanoutReport,
    ) -> None:
        while (delivery := await queue.get()) is not None:
            await self._deliver(delivery, journal, composer, in_flight, report)

    async def _deliver(
        self,
        delivery: Delivery,
        journal: DeliveryJournal,
        composer: DigestComposer,
        in_flight: asyncio.Semaphore,
        report: FanoutReport,
    ) -> None:
        window = DigestWindow(delivery.topics, delivery.window_from, delivery.window_to)
        try:
            pages = await composer.pages(window, delivery.language)
        except Exception:
            log.exception("digest %d for chat %d cannot be rendered", delivery.id, delivery.chat_id)
            await self._finish(journal, delivery, DeliveryState.FAILED, "render error")
            report.failed += 1
            return
        if not pages:
            await self._finish(journal, delivery, DeliveryState.EMPTY)
            report.empty += 1
            return
        if delivery.parts_sent >= len(pages):
            # Facts were replaced meanwhile and the digest got shorter: it is complete.
            await self._finish(journal, delivery, DeliveryState.SENT)
            report.digests += 1
            return
        chat_id = delivery.chat_id
        part = delivery.parts_sent
        failures = retry_afters = 0
        while part < len(pages):
            last = part == len(pages) - 1
            markup = self.keyboard(delivery.language) if last and self.keyboard else None
            async with self.limiter.chat(chat_id, is_group=delivery.is_group), in_flight:
                attempt = await run_to_completion(
                    self._attempt(journal, delivery, chat_id, part, pages, markup)
                )
            match attempt.verdict:
                case Verdict.SENT:
                    report.messages += 1
                    part += 1
                    continue
                case Verdict.LOST_CLAIM:
                    report.lost_claims += 1
                    return
                case Verdict.GONE:
                    log.info("chat %d is gone (%s): subscription off", chat_id, attempt.error)
                    report.gone += 1
                    report.chats_gone.append(chat_id)
                    return
                case Verdict.REFUSED:
                    log.error(
                        "digest %d refused in chat %d: %s", delivery.id, chat_id, attempt.error
                    )
                    report.failed += 1
                    return
                case Verdict.MIGRATED if attempt.migrate_to is not None:
                    await journal.apply(
                        functools.partial(_move_chat, old=chat_id, new=attempt.migrate_to)
                    )
                    chat_id = attempt.migrate_to
                    continue
                case Verdict.RETRY_AFTER:
                    retry_afters += 1
                    report.retries += 1
                    # This chat waits; everyone waits when several chats meet one.
                    self.limiter.flood(chat_id, attempt.retry_after)
                    if retry_afters > self.policy.retry_afters:
                        await self._defer(journal, delivery, failures, attempt, report)
                        return
                case _:
                    failures += 1
                    report.retries += 1
                    if failures >= self.policy.attempts:
                        await self._defer(journal, delivery, failures, attempt, report)
                        return
                    await self.limiter.clock.sleep(self.policy.pause(failures))
        report.digests += 1

    async def _attempt(
        self,
        journal: DeliveryJournal,
        delivery: Delivery,
        chat_id: int,
        part: int,
        pages: list[str],
        markup: InlineKeyboardMarkup | None,
    ) -> Attempt:
        """One request with its bookkeeping: marked before, recorded after. Runs to the end
        even when the fan-out is being stopped.

        The overall slot is taken first and the mark committed inside it, right before
        the request leaves: a message is "maybe sent" only while it is on its way, never
        while it waits for a slot, which keeps what a crash can leave in doubt to the
        requests in the air. (The limiter counts a request from its slot, so a slow commit
        only makes it leave later than counted: the rate still holds.)"""
        total = len(pages)
        lease_until = self.clock() + self.config.lease
        token = delivery.claimed_by or ""
        try:
            async with self.limiter.sending():
                marked = await journal.mark_sending(
                    SendingMark(delivery.id, token, part, total, lease_until)
                )
                if not marked:
                    return LOST_CLAIM
                await self.bot.send_message(
                    chat_id,
                    pages[part],
                    reply_markup=markup,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    request_timeout=self.policy.request_timeout,
                )
        except TelegramUnauthorizedError:
            await journal.apply(
                lambda deliveries: deliveries.mark_not_sent(delivery, "unauthorized")
            )
            raise
        except Exception as error:
            # Anything that is not a verdict (a bug) propagates: the message stays
            # "maybe sent" and is never repeated.
            attempt = classify(error)
        else:
            await journal.mark_sent(SentMark(delivery.id, token, part, total, self.clock()))
            return SENT
        match attempt.verdict:
            case Verdict.GONE:
                await self._finish(journal, delivery, DeliveryState.GONE, attempt.error)
            case Verdict.REFUSED:
                await self._finish(journal, delivery, DeliveryState.FAILED, attempt.error)
            case _:
                await journal.apply(
                    lambda deliveries: deliveries.mark_not_sent(delivery, attempt.error or "")
                )
        return attempt

    async def _finish(
        self,
        journal: DeliveryJournal,
        delivery: Delivery,
        state: DeliveryState,
        error: str | None = None,
    ) -> None:
        await journal.apply(
            lambda deliveries: deliveries.finish(delivery, state, now=self.clock(), error=error)
        )

    async def _defer(
        self,
        journal: DeliveryJournal,
        delivery: Delivery,
        failures: int,
        attempt: Attempt,
        report: FanoutReport,
    ) -> None:
        error = attempt.error or attempt.verdict.value
        if delivery.attempts + failures >= self.policy.give_up_after:
            log.error(
                "digest %d for chat %d failed for good: %s", delivery.id, delivery.chat_id, error
            )
            await self._finish(journal, delivery, DeliveryState.FAILED, error)
            report.failed += 1
            return
        until = self.clock() + self.policy.defer
        log.warning(
            "digest %d for chat %d deferred to %s: %s",
            delivery.id,
            delivery.chat_id,
            until.isoformat(timespec="seconds"),
            error,
        )
        await journal.apply(lambda deliveries: deliveries.defer(delivery, error, until=until))
        report.deferred += 1
