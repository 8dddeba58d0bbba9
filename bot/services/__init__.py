"""The use cases, as one typed bag the handlers reach through `context.services`.

Nothing here builds anything: `bot/app.py` (the composition root) opens the database, makes
the repositories and these services, and wires who listens to which event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.config import Settings
from bot.domain.catalogue import Catalogue
from bot.services.alerts import Alerts
from bot.services.briefings import Briefings
from bot.services.delivery import DeliveryService
from bot.services.desk import EditorDesk
from bot.services.editorial import Editorial
from bot.services.events import Events
from bot.services.feeds import Feeds
from bot.services.importing import ContentIntake
from bot.services.subscriptions import Subscriptions
from bot.storage.content_repository import ContentRepository
from bot.storage.instance_lock import InstanceLock


@dataclass
class Services:
    settings: Settings
    catalogue: Catalogue
    events: Events
    content: ContentRepository
    briefings: Briefings
    subscriptions: Subscriptions
    delivery: DeliveryService
    editorial: Editorial
    intake: ContentIntake
    desk: EditorDesk
    alerts: Alerts
    connections: tuple[aiosqlite.Connection, ...]  # the main one first, then delivery's
    lock: InstanceLock | None = None
    coordination: Any = None  # the replicas' (PostgreSQL) or the sole process's (SQLite)
    feeds: Feeds | None = None  # the feeds editors follow (None only where nothing polls)

    @property
    def db(self) -> aiosqlite.Connection:
        """The main connection, for tools and tests that inspect the database."""
        return self.connections[0]

    @property
    def chats(self):
        return self.subscriptions.chats

    @property
    def outbox(self):
        return self.delivery.outbox

    async def close(self) -> None:
        if self.coordination is not None:
            await self.coordination.close()
        for connection in self.connections:
            await connection.close()
        if self.lock is not None:
            self.lock.release()
