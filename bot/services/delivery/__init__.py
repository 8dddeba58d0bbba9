"""Delivery orchestration: what is owed to whom (the outbox), digests coming due, what each
delivery looks like. Sending it to Telegram is the adapter's job (`bot/telegram/sending/`).

Delivery works over its own database connection: its reads see only committed content and
deliveries, and its writes never queue behind (or inside) a reader's or publisher's work on
the main connection.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    def wake(self) -> None:
        """Something may have become deliverable (a chat resumed, topics changed)."""
        self.events.deliveries_queued.announce()
