"""Chats the bot delivers to: their topics, delivery choices and lifecycle state.

A chat's `state` says whether deliveries flow:

* `active`: they do;
* `stopped`: the chat asked for a pause (`/stop`) and only the chat can lift it (`/resume`);
* `paused`: Telegram told us the bot cannot write there (removed, kicked, blocked, no rights);
  it lifts by itself when the bot is added back;
* `migrated`: the group became a supergroup; everything moved to `migrated_to`.

Nothing is deleted: a paused chat keeps its topics and alerts for when it comes back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable


import aiosqlite

from bot.domain.chats import ACTIVE, MIGRATED, ChatSettings
from bot.domain.clock import utc_now_iso
from bot.domain.schedule import next_occurrence
from bot.storage.alerts import AlertRepository
from bot.storage.database import transaction
from bot.storage.meta import PUBLISH_SEQ_SQL
from bot.storage.outbox import Outbox

_COLUMNS = (
    "id, type, title, language, state, state_reason, instant, timezone, digest_time, "
    "next_digest_at, registered_by"
)


class ChatRepository:
    """Given the `outbox`, because a chat's lifecycle decides what happens to what it is owed
    (failed when it goes quiet, moved when it migrates), in the same transaction; and the
    `alerts`, which follow a group to its supergroup as its subscriptions do."""

    def __init__(
        self, db: aiosqlite.Connection, default_timezone: str, outbox: Outbox, alerts: AlertRepository,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._outbox = outbox
        self._alerts = alerts
        self.default_timezone = default_timezone
        self.clock = clock

    # --- reading ------------------------------------------------------------------------

    async def get(self, chat_id: int) -> ChatSettings | None:
        rows = await self._db.execute_fetchall(f"SELECT {_COLUMNS} FROM chats WHERE id = ?", (chat_id,))
        if not rows:
            return None
        topics = await self._db.execute_fetchall(
            "SELECT topic, thread_id FROM subscriptions WHERE chat_id = ? ORDER BY created_at, topic",
            (chat_id,),
        )
        return self._settings(rows[0], dict(topics))

    async def channels_registered_by(self, user_id: int) -> list[ChatSettings]:
        rows = await self._db.execute_fetchall(
            f"SELECT {_COLUMNS} FROM chats WHERE type = 'channel' AND registered_by = ? "
            "AND state != 'migrated' ORDER BY title, id",
            (user_id,),
        )
        return [await self.get(row[0]) for row in rows]  # type: ignore[misc]

    @staticmethod
    def _settings(row: Iterable, topics: dict[str, int | None]) -> ChatSettings:
        (chat_id, kind, title, language, state, reason, instant, tz, digest_time, next_at,
         registered_by) = row  # fmt: skip
        return ChatSettings(
            chat_id, kind, title, language, state, reason, bool(instant), tz, digest_time,
            next_at, registered_by, topics,
        )

    # --- writing ------------------------------------------------------------------------

    async def ensure(
        self, chat_id: int, kind: str, title: str, language: str, registered_by: int | None = None,
    ) -> ChatSettings:
        """The chat's row, created on first contact; the title follows Telegram's. A private
        chat speaks its user's current language; a group or channel keeps the language of
        whoever set it up."""
        now = utc_now_iso()
        async with transaction(self._db):
            await self._db.execute(
                """INSERT INTO chats (id, type, title, language, timezone, registered_by,
                                      created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET
                       type = excluded.type,
                       title = CASE WHEN excluded.title != '' THEN excluded.title ELSE chats.title END,
                       language = CASE WHEN excluded.type = 'private' THEN excluded.language ELSE chats.language END,
                       registered_by = COALESCE(excluded.registered_by, chats.registered_by),
                       updated_at = excluded.updated_at""",
                (chat_id, kind, title[:255], language, self.default_timezone, registered_by, now, now),
            )
        chat = await self.get(chat_id)
        assert chat is not None
        return chat

    async def subscribe(
        self, chat_id: int, topics: Iterable[str], thread_id: int | None = None
    ) -> list[str]:
        """Add topics (or move them to `thread_id` in a forum); returns the ones that are new."""
        topics = list(dict.fromkeys(topics))
        now = utc_now_iso()
        async with transaction(self._db):
            existing = {
                topic for (topic,) in await self._db.execute_fetchall(
                    "SELECT topic FROM subscriptions WHERE chat_id = ?", (chat_id,)
                )
            }
            await self._db.executemany(
                """INSERT INTO subscriptions (chat_id, topic, thread_id, created_at)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT (chat_id, topic) DO UPDATE SET thread_id = excluded.thread_id""",
                [(chat_id, topic, thread_id, now) for topic in topics],
            )
        return [topic for topic in topics if topic not in existing]

    async def unsubscribe(self, chat_id: int, topics: Iterable[str]) -> list[str]:
        """Remove topics; returns the ones that were subscribed."""
        removed = []
        async with transaction(self._db):
            for topic in dict.fromkeys(topics):
                cursor = await self._db.execute(
                    "DELETE FROM subscriptions WHERE chat_id = ? AND topic = ?", (chat_id, topic)
                )
                if cursor.rowcount:
                    removed.append(topic)
        return removed

    async def toggle(self, chat_id: int, topic: str) -> bool:
        """Subscribe if not subscribed, else unsubscribe; returns whether it is subscribed now."""
        if await self.unsubscribe(chat_id, [topic]):
            return False
        await self.subscribe(chat_id, [topic])
        return True

    async def clear_thread(self, chat_id: int, thread_id: int) -> None:
        """A forum thread is gone: its topics go to the chat's main thread."""
        async with transaction(self._db):
            await self._db.execute(
                "UPDATE subscriptions SET thread_id = NULL WHERE chat_id = ? AND thread_id = ?",
                (chat_id, thread_id),
            )

    async def set_state(self, chat_id: int, state: str, reason: str | None = None) -> str | None:
        """Change the chat's state; returns the previous one (None for an unknown chat)."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall("SELECT state FROM chats WHERE id = ?", (chat_id,))
            if not rows:
                return None
            await self._db.execute(
                "UPDATE chats SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?",
                (state, reason, utc_now_iso(), chat_id),
            )
            if state != ACTIVE:
                await self._fail_pending(chat_id, reason or state)
        return rows[0][0]

    async def resume_after_return(self, chat_id: int) -> bool:
        """The bot can write here again: a `paused` chat becomes active (a `stopped` one stays
        as its members chose). Returns whether it resumed."""
        async with transaction(self._db):
            cursor = await self._db.execute(
                "UPDATE chats SET state = 'active', state_reason = NULL, updated_at = ? "
                "WHERE id = ? AND state = 'paused'",
                (utc_now_iso(), chat_id),
            )
        return bool(cursor.rowcount)

    async def _fail_pending(self, chat_id: int, reason: str) -> None:
        """Deliveries waiting for a chat that went quiet are recorded as failed, not kept: a
        reader coming back weeks later should not get the whole backlog at once."""
        await self._outbox.fail_pending_for_chat(chat_id, reason)

    async def set_instant(self, chat_id: int, instant: bool) -> None:
        async with transaction(self._db):
            await self._db.execute(
                "UPDATE chats SET instant = ?, updated_at = ? WHERE id = ?",
                (int(instant), utc_now_iso(), chat_id),
            )

    async def set_digest(self, chat_id: int, hhmm: str | None) -> float | None:
        """Turn the daily digest on at `hhmm` (chat's zone) or off; returns the next digest time.

        Turning it on starts from now: the first digest has what is published from here on."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall("SELECT timezone FROM chats WHERE id = ?", (chat_id,))
            next_at = next_occurrence(hhmm, rows[0][0], self.clock()) if hhmm and rows else None
            await self._db.execute(
                f"""UPDATE chats SET digest_time = ?, next_digest_at = ?, updated_at = ?,
                       digest_after = CASE WHEN CAST(? AS TEXT) IS NULL THEN digest_after
                           ELSE {PUBLISH_SEQ_SQL} END
                   WHERE id = ?""",
                (hhmm, next_at, utc_now_iso(), hhmm, chat_id),
            )
        return next_at

    async def set_timezone(self, chat_id: int, zone_name: str) -> float | None:
        """Change the zone; a digest that is on is rescheduled to the same clock time there."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall("SELECT digest_time FROM chats WHERE id = ?", (chat_id,))
            hhmm = rows[0][0] if rows else None
            next_at = next_occurrence(hhmm, zone_name, self.clock()) if hhmm else None
            await self._db.execute(
                "UPDATE chats SET timezone = ?, next_digest_at = ?, updated_at = ? WHERE id = ?",
                (zone_name, next_at, utc_now_iso(), chat_id),
            )
        return next_at

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """A group became a supergroup: settings, topics and waiting deliveries move to the new
        id in one transaction. Returns False when there was nothing to move."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall(
                "SELECT state FROM chats WHERE id = ?", (old_id,)
            )
            if not rows or rows[0][0] == MIGRATED:
                return False
            now = utc_now_iso()
            await self._db.execute(
                """INSERT INTO chats (id, type, title, language, state, state_reason, instant,
                       timezone, digest_time, next_digest_at, digest_after, registered_by,
                       created_at, updated_at)
                   SELECT ?, 'supergroup', title, language, state, state_reason, instant, timezone,
                          digest_time, next_digest_at, digest_after, registered_by, created_at, ?
                   FROM chats WHERE id = ?
                   ON CONFLICT (id) DO UPDATE SET
                       state = excluded.state, instant = excluded.instant,
                       timezone = excluded.timezone, digest_time = excluded.digest_time,
                       next_digest_at = excluded.next_digest_at,
                       digest_after = excluded.digest_after, updated_at = excluded.updated_at""",
                (new_id, now, old_id),
            )
            await self._db.execute(
                """INSERT OR IGNORE INTO subscriptions (chat_id, topic, thread_id, created_at)
                   SELECT ?, topic, thread_id, created_at FROM subscriptions WHERE chat_id = ?""",
                (new_id, old_id),
            )
            await self._db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (old_id,))
            await self._alerts.move(old_id, new_id)
            await self._outbox.move_pending(old_id, new_id)
            await self._fail_pending(old_id, "moved to the supergroup (already queued there)")
            await self._db.execute(
                """UPDATE chats SET state = 'migrated', migrated_to = ?, next_digest_at = NULL,
                       updated_at = ? WHERE id = ?""",
                (new_id, now, old_id),
            )
        return True

    async def visit(self, chat_id: int) -> int | None:
        """Mark everything published so far as seen by this chat; returns the publication
        number of its previous visit (None: the first)."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall("SELECT last_visit_seq FROM chats WHERE id = ?", (chat_id,))
            await self._db.execute(f"UPDATE chats SET last_visit_seq = {PUBLISH_SEQ_SQL} WHERE id = ?", (chat_id,))
        return rows[0][0] if rows else None

    async def recipients(self, topic: str, snippet_id: int | None = None) -> int:
        """Chats a new snippet on this topic goes to at once (active, instant delivery on);
        given the snippet, also the chats its words reach by their alerts alone."""
        (count,), = await self._db.execute_fetchall(
            """SELECT COUNT(*) FROM subscriptions s JOIN chats c ON c.id = s.chat_id
               WHERE s.topic = ? AND c.state = 'active' AND c.instant = 1""",
            (topic,),
        )
        if snippet_id is not None:
            count += await self._alerts.reach_beyond_topic(snippet_id, topic)
        return count

    async def subscriber_counts(self) -> dict[str, int]:
        """Active chats by type, for the admin view."""
        rows = await self._db.execute_fetchall(
            """SELECT c.type, COUNT(DISTINCT c.id) FROM chats c
               JOIN subscriptions s ON s.chat_id = c.id WHERE c.state = 'active' GROUP BY c.type"""
        )
        return dict(rows)

    async def state_counts(self) -> dict[str, int]:
        rows = await self._db.execute_fetchall("SELECT state, COUNT(*) FROM chats GROUP BY state")
        return dict(rows)
