"""Readers' reactions to the briefings the bot delivered, counted per snippet."""

from __future__ import annotations

import aiosqlite

from bot.domain.clock import utc_now_iso
from bot.storage.database import transaction

MAX_EMOJI_PER_USER = 3  # Premium users may set up to three


class ReactionRepository:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def set(self, chat_id: int, message_id: int, user_id: int, emoji: list[str]) -> int | None:
        """A user's current reactions on a message; counted only for a message that carried a
        delivered snippet. Returns that snippet's id (None: not a delivered briefing)."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall(
                """SELECT d.snippet_id FROM deliveries d, json_each(d.message_ids) m
                   WHERE d.chat_id = ? AND d.kind = 'snippet' AND m.value = ? LIMIT 1""",
                (chat_id, message_id),
            )
            if not rows:
                return None
            snippet_id = rows[0][0]
            await self._db.execute(
                "DELETE FROM reactions WHERE chat_id = ? AND message_id = ? AND user_id = ?",
                (chat_id, message_id, user_id),
            )
            now = utc_now_iso()
            await self._db.executemany(
                """INSERT OR IGNORE INTO reactions (chat_id, message_id, user_id, snippet_id, emoji, at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                [(chat_id, message_id, user_id, snippet_id, e[:16], now) for e in emoji[:MAX_EMOJI_PER_USER]],
            )
        return snippet_id

    async def top(self, limit: int = 10) -> list[tuple[int, str, dict[str, int]]]:
        """The snippets with the most reactions: (id, title, {emoji: count}), most first."""
        rows = await self._db.execute_fetchall(
            """SELECT r.snippet_id, s.title, r.emoji, COUNT(*) FROM reactions r
               JOIN snippets s ON s.id = r.snippet_id GROUP BY r.snippet_id, s.title, r.emoji"""
        )
        by_snippet: dict[int, tuple[str, dict[str, int]]] = {}
        for snippet_id, title, emoji, count in rows:
            by_snippet.setdefault(snippet_id, (title, {}))[1][emoji] = count
        ranked = sorted(by_snippet.items(), key=lambda item: -sum(item[1][1].values()))
        return [(snippet_id, title, counts) for snippet_id, (title, counts) in ranked[:limit]]
