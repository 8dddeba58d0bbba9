"""Corrections owed to delivered messages: one row per message that carried an edited or
retired snippet, worked through by the corrector.

An edit does not write those rows itself: a snippet delivered to a million chats would hold
the write lock for seconds. It records one *order* (snippet, action, time) inside its
transaction; the corrector expands open orders into per-message rows a batch at a time, each
batch its own short transaction, covering the copies sent before the order was made."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import aiosqlite

from bot.storage.outbox import alerts_from_json
from bot.storage.database import transaction

BATCH = 200
EXPAND_BATCH = 2_000  # corrections one short transaction writes from an order


@dataclass(frozen=True)
class Correction:
    id: int
    chat_id: int
    message_id: int
    snippet_id: int
    action: str  # "edit" or "retire"
    attempts: int
    language: str
    alerts: tuple[str, ...] = ()  # the chat's alerts the delivered copy named, named again


class CorrectionRepository:
    def __init__(self, db: aiosqlite.Connection, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.clock = clock

    async def queue_for_snippet(self, snippet_id: int, action: str) -> None:
        """Inside the caller's transaction: order a correction of every message that carried
        this snippet; a newer order replaces what an older one still had waiting (it will
        render the latest state anyway). Cheap whatever the number of copies."""
        await self._db.execute(
            "UPDATE corrections SET status = 'done', error = 'superseded' WHERE snippet_id = ? AND status = 'pending'",
            (snippet_id,),
        )
        await self._db.execute("UPDATE correction_orders SET open = 0 WHERE snippet_id = ? AND open = 1", (snippet_id,))
        await self._db.execute(
            "INSERT INTO correction_orders (snippet_id, action, created_at) VALUES (?, ?, ?)",
            (snippet_id, action, self.clock()),
        )

    async def copies_of(self, snippet_id: int) -> int:
        """Delivered messages that carry this snippet (what a correction touches); a read, best
        made outside the edit's transaction."""
        (count,), = await self._db.execute_fetchall(
            """SELECT COUNT(*) FROM deliveries WHERE kind = 'snippet' AND snippet_id = ? AND status = 'sent'
                 AND json_array_length(message_ids) > 0""",
            (snippet_id,),
        )
        return count

    async def expand_orders(self, batch: int = EXPAND_BATCH) -> int:
        """Turn open orders into per-message corrections, at most `batch` rows per transaction;
        returns how many were written."""
        written = 0
        for order_id, snippet_id, action, created_at in await self._db.execute_fetchall(
            "SELECT id, snippet_id, action, created_at FROM correction_orders WHERE open = 1 ORDER BY id"
        ):
            async with transaction(self._db):
                still_open = await self._db.execute_fetchall(
                    "SELECT after_id FROM correction_orders WHERE id = ? AND open = 1", (order_id,))
                if not still_open:
                    continue  # superseded meanwhile
                after_id = still_open[0][0]
                rows = await self._db.execute_fetchall(
                    """SELECT id, chat_id, json_extract(message_ids, '$[0]') FROM deliveries
                       WHERE kind = 'snippet' AND snippet_id = ? AND status = 'sent' AND id > ?
                         AND sent_at <= ? AND json_array_length(message_ids) > 0
                       ORDER BY id LIMIT ?""",
                    (snippet_id, after_id, created_at, batch),
                )
                await self._db.executemany(
                    """INSERT INTO corrections (chat_id, message_id, snippet_id, action, created_at)
                       VALUES (?, ?, ?, ?, ?)""",
                    [(chat_id, message_id, snippet_id, action, created_at) for _id, chat_id, message_id in rows],
                )
                finished = len(rows) < batch
                await self._db.execute(
                    "UPDATE correction_orders SET after_id = ?, open = ? WHERE id = ?",
                    (rows[-1][0] if rows else after_id, 0 if finished else 1, order_id),
                )
                written += len(rows)
            if written >= batch:
                break
        return written

    async def due(self, limit: int = BATCH) -> list[Correction]:
        await self.expand_orders()
        rows = await self._db.execute_fetchall(
            """SELECT k.id, k.chat_id, k.message_id, k.snippet_id, k.action, k.attempts,
                      COALESCE(c.language, 'ru'), d.alerts
               FROM corrections k LEFT JOIN chats c ON c.id = k.chat_id
                    LEFT JOIN deliveries d ON d.chat_id = k.chat_id AND d.snippet_id = k.snippet_id
                                          AND d.kind = 'snippet'
               WHERE k.status = 'pending' AND k.not_before <= ? ORDER BY k.id LIMIT ?""",
            (self.clock(), limit),
        )
        return [Correction(*row[:7], alerts=dict(alerts_from_json(row[7])).get(row[3], ())) for row in rows]

    async def finish(self, correction: Correction, status: str, error: str | None,
                     delay: float = 0.0, attempt: bool = False) -> None:
        """`done`, `failed`, or `pending` again after `delay` seconds."""
        now = self.clock()
        async with transaction(self._db):
            await self._db.execute(
                """UPDATE corrections SET status = ?, error = ?, not_before = ?, attempts = attempts + ?,
                       done_at = CASE WHEN ? = 'done' THEN ? ELSE done_at END WHERE id = ?""",
                (status, error, now + delay, int(attempt), status, now, correction.id),
            )
