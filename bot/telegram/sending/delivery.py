"""Delivery on the Telegram side, as one unit the runner starts and stops: the sender that
drains the outbox, the corrector that edits delivered copies, the digest clock, and the feed
poller that tells editors of new drafts.

What is owed and what it looks like is the services' (`bot/services/delivery/`); this sends it
within the flood limits. Built by the composition root, which also subscribes `wake` to the
events that mean "look at the outbox now".
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.services.delivery import DeliveryService
from bot.telegram.feeds import FeedWatch
from bot.telegram.sending.corrector import Corrector
from bot.telegram.sending.sender import Sender

log = logging.getLogger(__name__)

DIGEST_CHECK_SECONDS = 30.0
PRUNE_EVERY_SECONDS = 3_600.0
SHUTDOWN_GRACE = 10.0  # seconds sends in flight may take to finish at shutdown


class Couriers:
    def __init__(self, delivery: DeliveryService, sender: Sender, corrector: Corrector,
                 coordination: Any = None, feeds: FeedWatch | None = None) -> None:
        self.delivery = delivery
        self.sender = sender
        self.corrector = corrector
        # replicas (PostgreSQL): digests, pruning and feed polls run on the leader only; a new
        # replica's sender starts once the others have heard of it and slowed to their share
        self.coordination = coordination
        self.feeds = feeds  # the feed poller, a background job like the others
        self.running = False
        self._starting: asyncio.Task[None] | None = None

    def start(self, job_queue: JobQueue | None) -> None:
        """Begin draining the outbox and checking digest times (after `initialize`)."""
        if getattr(self.coordination, "needs_settling", False):
            self._starting = asyncio.create_task(self._start_sender(), name="sender-start")
        else:
            self.sender.start()
        self.corrector.start()
        if self.feeds is not None:
            self.feeds.start()
        self.running = True
        if job_queue is not None:
            job_queue.run_repeating(
                self._digest_tick, interval=DIGEST_CHECK_SECONDS, first=1.0, name="digests",
                job_kwargs={"misfire_grace_time": int(DIGEST_CHECK_SECONDS), "coalesce": True,
                            "max_instances": 1},
            )  # fmt: skip
            job_queue.run_repeating(
                self._prune_tick, interval=PRUNE_EVERY_SECONDS, first=60.0, name="outbox-retention",
                job_kwargs={"coalesce": True, "max_instances": 1},
            )

    async def _start_sender(self) -> None:
        if self.coordination is not None:
            await self.coordination.settled()
        if self.running:
            self.sender.start()

    async def _leading(self) -> bool:
        return self.coordination is None or await self.coordination.leading()

    async def _prune_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._leading():
            return
        try:
            pruned = await self.delivery.prune()
        except Exception as exc:  # a busy or full database: the next hour tries again
            log.warning("pruning finished deliveries failed (%s); will retry", exc)
            return
        if pruned:
            log.info("pruned %d finished deliveries older than %g days", pruned, self.delivery.retention_days)

    async def _digest_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._leading():
            await self.delivery.run_digests()

    def wake_sender(self) -> None:
        if self.running:
            self.sender.wake()

    def wake_corrector(self) -> None:
        if self.running:
            self.corrector.wake()

    async def stop(self, timeout: float = SHUTDOWN_GRACE) -> int:
        """No new deliveries; sends in flight get `timeout` seconds. Returns how many were cut off."""
        if not self.running:
            return 0
        self.running = False
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
            await asyncio.gather(self._starting, return_exceptions=True)
        if self.feeds is not None:
            await self.feeds.stop()
        await self.corrector.stop()
        cut_off = await self.sender.stop(timeout)
        try:
            await self.delivery.outbox.release_claims()  # the other replicas need not wait for the lease
        except Exception as exc:  # the database away at shutdown: the lease frees them anyway
            log.warning("could not release this replica's claims (%s); they free themselves", exc)
        return cut_off
