"""Corrections owed to delivered messages: one row per message that carried an edited or
retired snippet, worked through by the corrector."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import aiosqlite

from bot.storage.database import transaction

BATCH = 200


@dataclass(frozen=True)
class Correction:
    id: int
    chat_id: int
    message_id: int
    snippet_id: int
    action: str  # "edit" or "retire"
    attempts: int
    language: str


class CorrectionRepository:
    def __init__(self, db: aiosqlite.Connection, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.clock = clock

    async def queue_for_snippet(self, snippet_id: int, action: str) -> int:
        """Inside the caller's transaction: one correction per message that carried this
        snippet; a newer one replaces a correction still waiting (it will render the latest
        state anyway). Returns how many messages will be corrected."""
        await self._db.execute(
            "UPDATE corrections SET status = 'done', error = 'superseded' WHERE snippet_id = ? AND status = 'pending'",
            (snippet_id,),
        )
        cursor = await self._db.execute(
            """INSERT INTO corrections (chat_id, message_id, snippet_id, action, created_at)
               SELECT chat_id, json_extract(message_ids, '$[0]'), snippet_id, ?, ?
               FROM deliveries WHERE kind = 'snippet' AND snippet_id = ? AND status = 'sent'
                 AND json_array_length(message_ids) > 0""",
            (action, self.clock(), snippet_id),
        )
        return cursor.rowcount

    async def due(self, limit: int = BATCH) -> list[Correction]:
        rows = await self._db.execute_fetchall(
            """SELECT k.id, k.chat_id, k.message_id, k.snippet_id, k.action, k.attempts,
                      COALESCE(c.language, 'ru')
               FROM corrections k LEFT JOIN chats c ON c.id = k.chat_id
               WHERE k.status = 'pending' AND k.not_before <= ? ORDER BY k.id LIMIT ?""",
            (self.clock(), limit),
        )
        return [Correction(*row) for row in rows]

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
