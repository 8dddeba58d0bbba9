"""Delivery orchestration: what is owed to whom (the outbox), digests coming due, what each
delivery looks like. Sending it to Telegram is the adapter's job (`bot/telegram/sending/`).

Delivery works over its own database connection: its reads see only committed content and
deliveries, and its writes never queue behind (or inside) a reader's or publisher's work on
the main connection.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.chats import PAUSED
from bot.presentation.editorial import render_deliveries
from bot.presentation.reply import Reply
from bot.services.delivery.digests import Digests
from bot.services.delivery.messages import DeliveryMessages
from bot.services.events import Events
from bot.storage.chats import ChatRepository
from bot.storage.content_repository import ContentRepository
from bot.storage.corrections import CorrectionRepository
from bot.storage.outbox import Outbox


@dataclass
class DeliveryService:
    outbox: Outbox
    chats: ChatRepository
    content: ContentRepository  # read only: what deliveries and corrections render
    corrections: CorrectionRepository
    messages: DeliveryMessages
    digests: Digests
    events: Events

    async def run_digests(self) -> int:
        """Queue the digests that are due; the sender hears of them at once."""
        queued = await self.digests.run_due()
        if queued:
            self.events.deliveries_queued.announce()
        return queued

    async def report(self, lang: str) -> Reply:
        """The owner's `/deliveries`: the outbox's state and who is subscribed."""
        stats = await self.outbox.stats()
        subscribers = await self.chats.subscriber_counts()
        states = await self.chats.state_counts()
        return Reply.of(render_deliveries(stats, sum(subscribers.values()), states.get(PAUSED, 0), lang))

    def wake(self) -> None:
        """Something may have become deliverable (a chat resumed, topics changed)."""
        self.events.deliveries_queued.announce()
