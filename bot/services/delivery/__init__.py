"""Delivery orchestration: what is owed to whom (the outbox), digests coming due, what each
delivery looks like. Sending it to Telegram is the adapter's job (`bot/telegram/sending/`).

Delivery works over its own database connection: its reads see only committed content and
deliveries, and its writes never queue behind (or inside) a reader's or publisher's work on
the main connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.chats import PAUSED
from bot.presentation.editorial import render_deliveries, render_delivery_halt
from bot.presentation.reply import Reply
from bot.services.delivery.digests import Digests
from bot.services.delivery.messages import DeliveryMessages
from bot.services.events import Events
from bot.storage.alerts import AlertRepository
from bot.storage.chats import ChatRepository
from bot.storage.content_repository import ContentRepository
from bot.storage.corrections import CorrectionRepository
from bot.storage.outbox import Outbox


@dataclass
class DeliveryHealth:
    """Whether the sender can record what it sent. While it cannot, it sends nothing new (a
    send whose record failed is held in memory and recorded as soon as writes work again), so
    a full disk or a locked database never makes a chat get the same message twice."""

    failing_since: float | None = None  # time.time() of the first failed record
    unrecorded: int = 0  # messages Telegram accepted that wait for their record
    last_error: str = ""

    @property
    def failing(self) -> bool:
        return self.failing_since is not None


@dataclass
class DeliveryService:
    outbox: Outbox
    chats: ChatRepository
    content: ContentRepository  # read only: what deliveries and corrections render
    corrections: CorrectionRepository
    messages: DeliveryMessages
    digests: Digests
    events: Events
    health: DeliveryHealth = field(default_factory=DeliveryHealth)
    retention_days: float = 30.0  # finished deliveries kept this long (0: for ever)
    alerts: AlertRepository | None = None  # what alerts matched is pruned with the deliveries

    async def run_digests(self) -> int:
        """Queue the digests that are due; the sender hears of them at once."""
        queued = await self.digests.run_due()
        if queued:
            self.events.deliveries_queued.announce()
        return queued

    async def prune(self) -> int:
        """Forget finished deliveries older than the retention (their counts stay), and what
        alerts matched as long ago (a digest looks only at what is newer)."""
        if self.retention_days <= 0:
            return 0
        cutoff = self.outbox.clock() - self.retention_days * 86_400
        if self.alerts is not None:
            await self.alerts.prune_matches(cutoff)
        return await self.outbox.prune_finished(cutoff)

    async def report(self, lang: str) -> Reply:
        """The owner's `/deliveries`: the outbox's state and who is subscribed."""
        stats = await self.outbox.stats()
        subscribers = await self.chats.subscriber_counts()
        states = await self.chats.state_counts()
        text = render_deliveries(stats, sum(subscribers.values()), states.get(PAUSED, 0), lang)
        if self.health.failing:
            text = render_delivery_halt(self.health, lang) + "\n\n" + text
        return Reply.of(text)
