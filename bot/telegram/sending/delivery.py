"""Delivery as one unit the Application starts and stops: the sender and the digest clock.

It works over its own database connection: the sender's reads see only committed content and
deliveries, and its writes never queue behind (or inside) a reader's or publisher's work on
the main connection.
"""

from __future__ import annotations

import logging

import aiosqlite
from telegram import Bot
from telegram.ext import Application, ContextTypes

from bot.domain.catalogue import Catalogue
from bot.telegram.sending.corrector import Corrector
from bot.services.delivery.digests import Digests
from bot.services.delivery.messages import DeliveryMessages
from bot.telegram.limits.pacing import ChatPacing
from bot.telegram.sending.sender import Sender
from bot.presentation.keyboards import Keyboards
from bot.storage.chats import ChatRepository
from bot.storage.content_repository import ContentRepository
from bot.storage.outbox import Outbox

log = logging.getLogger(__name__)

DIGEST_CHECK_SECONDS = 30.0
SHUTDOWN_GRACE = 10.0  # seconds sends in flight may take to finish at shutdown


class DeliveryService:
    def __init__(
        self, db: aiosqlite.Connection, catalogue: Catalogue, default_timezone: str, concurrency: int = 16
    ) -> None:
        self.db = db
        self.outbox = Outbox(db)
        self.chats = ChatRepository(db, default_timezone)
        self.messages = DeliveryMessages(catalogue, ContentRepository(db), Keyboards(catalogue))
        self.digests = Digests(db, self.outbox)
        self.concurrency = concurrency
        self.catalogue = catalogue
        self.sender: Sender | None = None
        self.corrector: Corrector | None = None

    def start(self, application: Application) -> None:
        """Begin draining the outbox and checking digest times (after `initialize`)."""
        bot: Bot = application.bot
        pacing = getattr(bot, "rate_limiter", None)
        if not isinstance(pacing, ChatPacing):
            pacing = ChatPacing()
        self.sender = Sender(bot, self.outbox, self.chats, self.messages, pacing, concurrency=self.concurrency)
        self.sender.start()
        self.corrector = Corrector(self.db, bot, self.catalogue, pacing)
        self.corrector.start()
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._digest_tick, interval=DIGEST_CHECK_SECONDS, first=1.0, name="digests",
                job_kwargs={"misfire_grace_time": int(DIGEST_CHECK_SECONDS), "coalesce": True,
                            "max_instances": 1},
            )  # fmt: skip

    async def _digest_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_digests()

    async def run_digests(self) -> int:
        queued = await self.digests.run_due()
        if queued:
            self.wake()
        return queued

    def wake(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    def content_changed(self) -> None:
        """Render again from the database; a change may have queued deliveries or corrections."""
        self.messages.forget()
        self.wake()
        if self.corrector is not None:
            self.corrector.wake()

    async def stop(self, timeout: float = SHUTDOWN_GRACE) -> int:
        if self.corrector is not None:
            await self.corrector.stop()
            self.corrector = None
        if self.sender is None:
            return 0
        cut_off = await self.sender.stop(timeout)
        self.sender = None
        return cut_off
