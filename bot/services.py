"""Everything the handlers need, opened once before the bot talks to Telegram.

Content is validated and loaded here, before any network call: a bad seed file stops start-up
with one clear message and leaves the database as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiosqlite

from bot.config import Settings
from bot.content.briefings import Briefings
from bot.content.catalogue import Catalogue, load_catalogue
from bot.content.seeds import load_seeds
from bot.storage.content_repository import ContentRepository, SyncReport
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

    async def reload_seeds(self) -> SyncReport:
        """Validate `seeds/` and apply it; on any problem nothing changes (ContentError)."""
        loaded = load_seeds(self.settings.seeds_dir, self.catalogue)
        report = await self.content.sync_seeds(loaded)
        if report.changed_anything:
            self.briefings.content_changed()
        return report

    async def close(self) -> None:
        await self.db.close()


async def open_services(settings: Settings) -> Services:
    catalogue = load_catalogue(settings.topics_file)
    loaded = load_seeds(settings.seeds_dir, catalogue)  # validate before touching the database
    db = await open_database(settings.database_path)
    try:
        previous = await migrate(db)
        content = ContentRepository(db)
        await content.search_index.rebuild_if_stale()
        report = await content.sync_seeds(loaded)
    except BaseException:
        await db.close()
        raise
    log.info(
        "content ready: schema from v%s, %d sources, +%d ~%d -%d snippets",
        previous, len(loaded), len(report.added), len(report.changed), len(report.retired),
    )
    return Services(settings, db, catalogue, content, Briefings(catalogue, content))
