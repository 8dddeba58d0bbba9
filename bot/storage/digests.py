"""Digest schedules: which chats are due, and queueing one chat's digest with its next time.

A digest holds what was published since the chat's last one (`chats.digest_after`, a
publication number) in the chat's topics, and what the chat's alerts matched in any topic
(`alert_matches`), each snippet once.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.storage import meta
from bot.storage.alerts import AlertRepository
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


@dataclass(frozen=True)
class DigestNow:
    """What `/digest now` did: `items` queued (0: nothing new since `after`, nothing queued)."""

    items: int
    active: bool  # the chat takes deliveries (not stopped or paused)


class DigestRepository:
    def __init__(self, db: aiosqlite.Connection, outbox: Outbox, alerts: AlertRepository) -> None:
        self._db = db
        self._outbox = outbox
        self._alerts = alerts

    async def due(self, now: float) -> list[DueDigest]:
        rows = await self._db.execute_fetchall(
            """SELECT id, state, digest_time, timezone, next_digest_at, digest_after FROM chats
               WHERE next_digest_at IS NOT NULL AND next_digest_at <= ? AND digest_time IS NOT NULL""",
            (now,),
        )
        return [DueDigest(chat_id, state == "active", time, zone, slot, after)
                for chat_id, state, time, zone, slot, after in rows]  # fmt: skip

    async def _new_items(self, chat_id: int, after: int, limit: int) -> list[int]:
        """Snippets on the air published after `after` that the chat's topics or alerts take."""
        rows = await self._db.execute_fetchall(
            """SELECT sn.id FROM snippets sn
               JOIN sources so ON so.id = sn.source_id
               WHERE sn.status = 'published' AND so.status = 'live' AND sn.published_seq > ?
                 AND (EXISTS (SELECT 1 FROM subscriptions s WHERE s.chat_id = ? AND s.topic = sn.topic)
                      OR EXISTS (SELECT 1 FROM alert_matches m WHERE m.chat_id = ? AND m.snippet_id = sn.id))
               ORDER BY sn.published_seq LIMIT ?""",
            (after, chat_id, chat_id, limit),
        )
        return [row[0] for row in rows]

    async def _enqueue(self, chat_id: int, slot: int, items: list[int]) -> bool:
        alerts = await self._alerts.matched_words(chat_id, items)
        return await self._outbox.enqueue_digest(chat_id, slot, items, None, alerts)

    async def queue(self, due: DueDigest, next_at: float, limit: int) -> bool:
        """In one transaction: queue what was published since the chat's last digest (if the
        chat is active and anything is new) and move its schedule on to `next_at`."""
        async with transaction(self._db):
            latest = await meta.publish_seq(self._db)
            items = await self._new_items(due.chat_id, due.after, limit)
            queued = False
            if due.active and items:
                queued = await self._enqueue(due.chat_id, int(due.slot), items)
            await self._db.execute(
                "UPDATE chats SET next_digest_at = ?, digest_after = ? WHERE id = ?",
                (next_at, latest, due.chat_id),
            )
        return queued

    async def queue_now(self, chat_id: int, now: float, limit: int) -> DigestNow:
        """`/digest now`, in one transaction: queue what the chat's next digest would hold,
        and count it as sent (the scheduled one that follows starts after it; its time stays).
        Its slot is the negative of the time in milliseconds, apart from scheduled slots."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall(
                "SELECT state, digest_after FROM chats WHERE id = ?", (chat_id,)
            )
            if not rows:
                return DigestNow(0, True)
            state, after = rows[0]
            if state != "active":
                return DigestNow(0, False)
            latest = await meta.publish_seq(self._db)
            items = await self._new_items(chat_id, after, limit)
            if not items:
                return DigestNow(0, True)
            await self._enqueue(chat_id, -int(now * 1000), items)
            await self._db.execute("UPDATE chats SET digest_after = ? WHERE id = ?", (latest, chat_id))
        return DigestNow(len(items), True)
