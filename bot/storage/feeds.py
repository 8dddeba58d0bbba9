"""Feeds and the items seen in them. Plain SQL (INSERT … ON CONFLICT DO NOTHING, no
SQLite-only functions), one short transaction per change.

An item is recorded as seen ('new') in the poll that finds it, and marked 'drafted' inside the
same transaction that creates its drafts (`mark_drafted`, called from the content
repository's transaction): a crash between the two cannot leave drafts whose item is still
'new', so no item is ever made into drafts twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import aiosqlite

from bot.domain.feeds import Feed, FeedDrafts, FeedItem
from bot.storage.database import transaction

_FEED_COLUMNS = "id, url, title, etag, last_modified, last_success, last_error, last_error_at, failures, next_poll"


def _feed(row) -> Feed:
    return Feed(*row)


class FeedRepository:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    # --- feeds ------------------------------------------------------------------------------

    async def add(self, url: str, title: str, added_by: int | None, now: float) -> tuple[int, bool]:
        """(the feed's id, whether it is new); an address already followed keeps its feed."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall("SELECT id FROM feeds WHERE url = ?", (url,))
            if rows:
                return rows[0][0], False
            rows = await self._db.execute_fetchall(
                "INSERT INTO feeds (url, title, added_by, added_at, next_poll) VALUES (?, ?, ?, ?, ?) RETURNING id",
                (url, title, added_by, now, now),
            )
            return int(rows[0][0]), True

    async def all(self) -> list[Feed]:
        rows = await self._db.execute_fetchall(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")
        return [_feed(row) for row in rows]

    async def remove(self, feed_id: int) -> bool:
        """The feed and its record of items; the drafts made from them stay."""
        async with transaction(self._db):
            await self._db.execute("DELETE FROM feed_items WHERE feed_id = ?", (feed_id,))
            cursor = await self._db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
            return cursor.rowcount > 0

    async def due(self, now: float) -> list[Feed]:
        rows = await self._db.execute_fetchall(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE next_poll <= ? ORDER BY next_poll, id", (now,))
        return [_feed(row) for row in rows]

    async def next_due(self) -> float | None:
        """When the next feed or item is due (epoch seconds), None with nothing to do."""
        rows = await self._db.execute_fetchall(
            "SELECT MIN(next_poll) FROM feeds UNION ALL "
            "SELECT MIN(next_try) FROM feed_items WHERE state = 'new'")
        times = [row[0] for row in rows if row[0] is not None]
        return min(times) if times else None

    async def polled(
        self, feed_id: int, *, now: float, next_poll: float, title: str | None = None, etag: str | None = None,
        last_modified: str | None = None, items: Iterable[tuple[str, str, str]] = (),
        skipped: Iterable[tuple[str, str, str]] = (), unchanged: bool = False,
    ) -> int:
        """A successful poll, in one transaction: the items not seen before recorded ('new', or
        'skipped' past the per-poll bound), the validators kept for the next conditional
        request. Returns how many items are new. A feed removed meanwhile records nothing."""
        async with transaction(self._db):
            if not await self._db.execute_fetchall("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)):
                return 0
            added = 0
            for state, entries in (("new", items), ("skipped", skipped)):
                for key, link, entry_title in entries:
                    cursor = await self._db.execute(
                        """INSERT INTO feed_items (feed_id, item_key, link, title, state, seen_at)
                           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id, item_key) DO NOTHING""",
                        (feed_id, key, link, entry_title, state, now),
                    )
                    added += cursor.rowcount if state == "new" else 0
            if unchanged:
                await self._db.execute(
                    "UPDATE feeds SET last_success = ?, last_error = NULL, failures = 0, next_poll = ? WHERE id = ?",
                    (now, next_poll, feed_id))
            else:
                await self._db.execute(
                    """UPDATE feeds SET title = COALESCE(?, title), etag = ?, last_modified = ?, last_success = ?,
                       last_error = NULL, failures = 0, next_poll = ? WHERE id = ?""",
                    (title, etag, last_modified, now, next_poll, feed_id))
            return added

    async def failed(self, feed_id: int, error: dict, now: float, next_poll: float) -> None:
        async with transaction(self._db):
            await self._db.execute(
                """UPDATE feeds SET last_error = ?, last_error_at = ?, failures = failures + 1, next_poll = ?
                   WHERE id = ?""",
                (json.dumps(error, ensure_ascii=False), now, next_poll, feed_id))

    # --- items ------------------------------------------------------------------------------

    async def open_items(self, now: float, limit: int) -> list[FeedItem]:
        rows = await self._db.execute_fetchall(
            """SELECT feed_id, item_key, link, title, attempts FROM feed_items
               WHERE state = 'new' AND next_try <= ? ORDER BY seen_at, feed_id LIMIT ?""",
            (now, limit))
        return [FeedItem(*row) for row in rows]

    async def item_failed(self, item: FeedItem, error: dict, *, give_up: bool, next_try: float) -> None:
        async with transaction(self._db):
            await self._db.execute(
                """UPDATE feed_items SET attempts = attempts + 1, last_error = ?, next_try = ?,
                   state = CASE WHEN ? THEN 'failed' ELSE state END
                   WHERE feed_id = ? AND item_key = ? AND state = 'new'""",
                (json.dumps(error, ensure_ascii=False), next_try, give_up, item.feed_id, item.key))

    async def mark_drafted(self, item: FeedItem, source_id: str, headline: str) -> None:
        """Inside the caller's transaction (the one that creates the drafts)."""
        await self._db.execute(
            """UPDATE feed_items SET state = 'drafted', source_id = ?, title = ?, last_error = NULL
               WHERE feed_id = ? AND item_key = ?""",
            (source_id, headline[:300], item.feed_id, item.key))

    async def is_open(self, item: FeedItem) -> bool:
        rows = await self._db.execute_fetchall(
            "SELECT 1 FROM feed_items WHERE feed_id = ? AND item_key = ? AND state = 'new'", (item.feed_id, item.key))
        return bool(rows)

    async def unannounced(self, limit: int = 200) -> list[FeedDrafts]:
        """Items made into drafts that the editors have not been told of, with those drafts
        (the ones still drafts: one already published or discarded is not offered again)."""
        rows = await self._db.execute_fetchall(
            """SELECT i.feed_id, i.item_key, i.title, s.id FROM feed_items i
               LEFT JOIN snippets s ON s.source_id = i.source_id AND s.status = 'draft'
               WHERE i.state = 'drafted' AND i.notified = 0 ORDER BY i.seen_at, i.feed_id, s.position, s.id""")
        found: dict[tuple[int, str], tuple[str, list[int]]] = {}
        for feed_id, key, title, snippet_id in rows:
            entry = found.setdefault((feed_id, key), (title, []))
            if snippet_id is not None:
                entry[1].append(snippet_id)
        return [FeedDrafts(feed_id, key, title, tuple(ids)) for (feed_id, key), (title, ids) in list(found.items())[:limit]]

    async def announced(self, items: Iterable[FeedDrafts]) -> None:
        async with transaction(self._db):
            await self._db.executemany(
                "UPDATE feed_items SET notified = 1 WHERE feed_id = ? AND item_key = ?",
                [(item.feed_id, item.key) for item in items])

    async def item_states(self, feed_id: int) -> dict[str, str]:
        """{item key: state}, for `/feed list` counts and for tests."""
        rows = await self._db.execute_fetchall("SELECT item_key, state FROM feed_items WHERE feed_id = ?", (feed_id,))
        return dict(rows)

    # --- who hears of new drafts ------------------------------------------------------------

    async def editors(self, owners: frozenset[int]) -> list[tuple[int, str]]:
        """(user id, interface language) of every owner and editor; the language their private
        chat with the bot last used, Russian when unknown."""
        rows = await self._db.execute_fetchall("SELECT user_id FROM editors WHERE revoked_at IS NULL")
        people = sorted(set(owners) | {row[0] for row in rows})
        if not people:
            return []
        marks = ", ".join("?" for _ in people)
        languages = dict(await self._db.execute_fetchall(
            f"SELECT id, language FROM chats WHERE id IN ({marks})", people))
        return [(user_id, languages.get(user_id) or "ru") for user_id in people]
