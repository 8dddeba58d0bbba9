"""Each reader's turn among a topic's quotes, for `/quote`."""

from __future__ import annotations

import aiosqlite

from bot.storage.database import storage_fault, transaction

ALL_TOPICS = ""


class QuoteTurns:
    """The `quote_turns` table: one counter per reader and topic, so each reader's next quote
    is the next one for them, whoever else asks, after a restart and on any replica."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def take(self, user_id: int, topic: str = ALL_TOPICS) -> int | None:
        """This reader's turn on the topic, from 0, the next one recorded. None where the
        database refuses the write (disk full, another process holding the lock): a reader is
        answered all the same, and the caller keeps the turn in memory meanwhile."""
        try:
            async with transaction(self._db):
                rows = await self._db.execute_fetchall(
                    "INSERT INTO quote_turns (user_id, topic, turn) VALUES (?, ?, 1) "
                    "ON CONFLICT (user_id, topic) DO UPDATE SET turn = quote_turns.turn + 1 RETURNING turn",
                    (user_id, topic),
                )
        except Exception as exc:
            if storage_fault(exc) is None:
                raise
            return None
        return int(rows[0][0]) - 1
