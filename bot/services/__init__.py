"""Everything the handlers need, opened once before the bot talks to Telegram.

Content is validated and loaded here, before any network call: a bad seed file stops start-up
with one clear message and leaves the database as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiosqlite

from bot.config import Settings
from bot.services.briefings import Briefings
from bot.domain.catalogue import Catalogue, load_catalogue
from bot.domain.seeds import load_seeds
from bot.services.editorial import Editorial
from bot.services.importing import Upload
from bot.telegram.sending.delivery import DeliveryService
from bot.storage.editorial import EditorialRepository
from bot.storage.audit import Actor
from bot.storage.chats import ChatRepository
from bot.storage.content_repository import ContentRepository, SyncReport
from bot.storage.instance_lock import InstanceLock
from bot.storage.outbox import Outbox
from bot.storage.database import open_database
from bot.storage.migrations import migrate

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    db: aiosqlite.Connection
    catalogue: Catalogue
    content: ContentRepository
    briefings: Briefings
    chats: ChatRepository
    outbox: Outbox
    delivery: DeliveryService
    editorial: Editorial
    lock: InstanceLock | None = None

    async def reload_seeds(self) -> SyncReport:
        """Validate `seeds/` and apply it; on any problem nothing changes (ContentError).

        Snippets that go on the air are queued for their subscribers in the same transaction."""
        loaded = load_seeds(self.settings.seeds_dir, self.catalogue)
        report = await self.content.sync_seeds(loaded)
        if report.changed_anything:
            self.content_changed()
        return report

    def content_changed(self) -> None:
        self.briefings.content_changed()
        self.delivery.content_changed()

    async def apply_upload(self, upload: Upload, actor: Actor, *, dry_run: bool = False) -> SyncReport:
        """A content file or an article's drafts, in one transaction (or a trial run)."""
        report = await self.content.apply_file(
            upload.item, origin=upload.origin, actor=actor, drafts=upload.drafts, dry_run=dry_run
        )
        if report.changed_anything and not dry_run:
            self.content_changed()
        return report

    async def close(self) -> None:
        await self.delivery.stop()
        await self.delivery.db.close()
        await self.db.close()
        if self.lock is not None:
            self.lock.release()


async def open_services(settings: Settings, *, exclusive: bool = True) -> Services:
    """Validate content, take the database (one process at a time when `exclusive`), migrate
    it and apply the seeds. The console passes `exclusive=False`: it never delivers."""
    catalogue = load_catalogue(settings.topics_file)
    loaded = load_seeds(settings.seeds_dir, catalogue)  # validate before touching the database
    lock = InstanceLock(settings.database_path) if exclusive else None
    if lock is not None:
        lock.acquire()
    db = delivery_db = None
    try:
        db = await open_database(settings.database_path)
        previous = await migrate(db)
        outbox = Outbox(db)
        content = ContentRepository(db, on_publish=outbox.enqueue_snippets)
        await content.search_index.rebuild_if_stale()
        report = await content.sync_seeds(loaded)
        delivery_db = await open_database(settings.database_path)
    except BaseException:
        for connection in (db, delivery_db):
            if connection is not None:
                await connection.close()
        if lock is not None:
            lock.release()
        raise
    log.info(
        "content ready: schema from v%s, %d sources, +%d ~%d -%d snippets",
        previous, len(loaded), len(report.added), len(report.changed), len(report.retired),
    )
    delivery = DeliveryService(
        delivery_db, catalogue, settings.default_timezone, settings.delivery_concurrency
    )
    editorial = Editorial(EditorialRepository(db, content), content, catalogue, settings.admin_ids)
    services = Services(
        settings, db, catalogue, content, Briefings(catalogue, content),
        ChatRepository(db, settings.default_timezone), outbox, delivery, editorial, lock,
    )
    editorial.on_change = services.content_changed
    return services
