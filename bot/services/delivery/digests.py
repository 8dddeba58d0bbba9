"""Daily digests: at each chat's chosen time, one message with what is new in its topics.

The schedule lives in SQLite (`chats.next_digest_at`), not in the JobQueue: a single repeating
job asks for the chats that are due, so schedules survive restarts, a digest missed while the
bot was down goes out once when it is back, and a second look at the same slot finds it taken
(`deliveries_once_per_digest`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import aiosqlite

from bot.domain.schedule import next_occurrence
from bot.storage.database import transaction
from bot.storage.outbox import Outbox

log = logging.getLogger(__name__)

MAX_DIGEST_ITEMS = 30


class Digests:
    def __init__(self, db: aiosqlite.Connection, outbox: Outbox, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.outbox = outbox
        self.clock = clock

    async def run_due(self) -> int:
        """Queue every digest whose time has come; returns how many were queued."""
        now = self.clock()
        due = await self._db.execute_fetchall(
            """SELECT id, state, digest_time, timezone, next_digest_at, digest_after FROM chats
               WHERE next_digest_at IS NOT NULL AND next_digest_at <= ? AND digest_time IS NOT NULL""",
            (now,),
        )
        queued = 0
        for chat_id, state, digest_time, zone_name, slot, after in due:
            queued += await self._one_chat(chat_id, state == "active", digest_time, zone_name, slot, after, now)
        if queued:
            log.info("queued %d digests", queued)
        return queued

    async def _one_chat(
        self, chat_id: int, active: bool, digest_time: str, zone_name: str, slot: float, after: int, now: float
    ) -> int:
        """Queue one chat's digest (if it is active and anything is new) and schedule the next."""
        async with transaction(self._db):
            (latest,), = await self._db.execute_fetchall(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'publish_seq'"
            )
            rows = await self._db.execute_fetchall(
                """SELECT sn.id FROM snippets sn
                   JOIN subscriptions s ON s.topic = sn.topic AND s.chat_id = ?
                   JOIN sources so ON so.id = sn.source_id
                   WHERE sn.status = 'published' AND so.status = 'live' AND sn.published_seq > ?
                   ORDER BY sn.published_seq LIMIT ?""",
                (chat_id, after, MAX_DIGEST_ITEMS),
            )
            queued = False
            if active and rows:
                queued = await self.outbox.enqueue_digest(chat_id, int(slot), [row[0] for row in rows], None)
            await self._db.execute(
                "UPDATE chats SET next_digest_at = ?, digest_after = ? WHERE id = ?",
                (next_occurrence(digest_time, zone_name, now), latest, chat_id),
            )
        return int(queued)
