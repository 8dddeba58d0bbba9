"""Digest schedules: which chats are due, and queueing one chat's digest with its next time."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.storage import meta
from bot.storage.database import transaction
from bot.storage.outbox import Outbox


@dataclass(frozen=True)
class DueDigest:
    chat_id: int
    active: bool
    digest_time: str
    timezone: str
    slot: float  # the scheduled time this digest is for (one digest per slot)
    after: int  # publications up to this number were in an earlier digest


class DigestRepository:
    def __init__(self, db: aiosqlite.Connection, outbox: Outbox) -> None:
        self._db = db
        self._outbox = outbox

    async def due(self, now: float) -> list[DueDigest]:
        rows = await self._db.execute_fetchall(
            """SELECT id, state, digest_time, timezone, next_digest_at, digest_after FROM chats
               WHERE next_digest_at IS NOT NULL AND next_digest_at <= ? AND digest_time IS NOT NULL""",
            (now,),
        )
        return [DueDigest(chat_id, state == "active", time, zone, slot, after)
                for chat_id, state, time, zone, slot, after in rows]  # fmt: skip

    async def queue(self, due: DueDigest, next_at: float, limit: int) -> bool:
        """In one transaction: queue what was published since the chat's last digest (if the
        chat is active and anything is new) and move its schedule on to `next_at`."""
        async with transaction(self._db):
            latest = await meta.publish_seq(self._db)
            rows = await self._db.execute_fetchall(
                """SELECT sn.id FROM snippets sn
                   JOIN subscriptions s ON s.topic = sn.topic AND s.chat_id = ?
                   JOIN sources so ON so.id = sn.source_id
                   WHERE sn.status = 'published' AND so.status = 'live' AND sn.published_seq > ?
                   ORDER BY sn.published_seq LIMIT ?""",
                (due.chat_id, due.after, limit),
            )
            queued = False
            if due.active and rows:
                queued = await self._outbox.enqueue_digest(due.chat_id, int(due.slot), [r[0] for r in rows], None)
            await self._db.execute(
                "UPDATE chats SET next_digest_at = ?, digest_after = ? WHERE id = ?",
                (next_at, latest, due.chat_id),
            )
        return queued
