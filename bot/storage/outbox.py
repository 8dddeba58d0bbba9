"""The delivery outbox: one row per message a chat is owed, written with what caused it.

Publishing a snippet queues its deliveries in the same transaction (see
`ContentRepository`, given the outbox), so content and deliveries commit or roll back together. The
sender marks each part as sent right after Telegram accepts it; a crash between the two is the
only way a chat can get a part twice (see README, "Delivery guarantee").
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.storage.alerts import AlertMatch
from bot.storage.database import single_statement, transaction
from bot.storage.meta import count_paid_messages, paid_messages

FAILED_REASON_LENGTH = 120
# what the sender reads of a delivery (`d`) and its chat (`c`), in `Delivery`'s order
DELIVERY_COLUMNS = ("d.id, d.chat_id, c.type, c.language, d.kind, d.snippet_id, d.items, "
                    "d.thread_id, d.attempts, d.parts_sent, d.alerts")


@dataclass(frozen=True)
class Delivery:
    id: int
    chat_id: int
    chat_type: str
    language: str
    kind: str  # "snippet" or "digest"
    snippet_id: int | None
    items: tuple[int, ...]  # a digest's snippets
    thread_id: int | None
    attempts: int
    parts_sent: int
    # the chat's alerts that brought its snippets: (snippet id, the alerts' words) pairs
    alerts: tuple[tuple[int, tuple[str, ...]], ...] = ()


def alerts_json(alerts: Mapping[int, Sequence[str]]) -> str | None:
    return json.dumps({str(snippet_id): list(words) for snippet_id, words in alerts.items()},
                      ensure_ascii=False) if alerts else None


def alerts_from_json(text: str | None) -> tuple[tuple[int, tuple[str, ...]], ...]:
    found = json.loads(text) if text else {}
    return tuple(sorted((int(snippet_id), tuple(words)) for snippet_id, words in found.items()))


@dataclass(frozen=True)
class SentPart:
    """A message Telegram accepted for a delivery, to be recorded."""

    delivery: Delivery
    message_id: int
    last: bool  # the delivery's last part: it is done
    paid: bool = False  # sent as a paid broadcast


@dataclass(frozen=True)
class DeliveryStats:
    pending: int
    due_now: int
    sent: int
    failed: dict[str, int]
    sent_last_minute: int
    paid: int = 0  # messages sent as paid broadcasts, ever

    @property
    def rate_per_second(self) -> float:
        return self.sent_last_minute / 60


class Outbox:
    def __init__(self, db: aiosqlite.Connection, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.clock = clock

    # --- queueing (inside the caller's transaction) ---------------------------------------

    async def enqueue_snippets(self, snippet_ids: Sequence[int]) -> int:
        """Queue each newly published snippet for every active chat that wants it instantly.

        Runs inside the publishing transaction. A chat that already had the snippet (say it was
        retired and published again) is skipped by the unique index. Returns rows queued."""
        if not snippet_ids:
            return 0
        marks = ",".join("?" * len(snippet_ids))
        cursor = await self._db.execute(
            f"""INSERT OR IGNORE INTO deliveries (chat_id, kind, snippet_id, thread_id, created_at)
                SELECT s.chat_id, 'snippet', sn.id, s.thread_id, ?
                FROM snippets sn
                JOIN subscriptions s ON s.topic = sn.topic
                JOIN chats c ON c.id = s.chat_id
                WHERE sn.id IN ({marks}) AND c.state = 'active' AND c.instant = 1
                ORDER BY sn.published_seq, s.chat_id""",
            (self.clock(), *snippet_ids),
        )
        return cursor.rowcount

    async def enqueue_alert_matches(self, matches: Sequence[AlertMatch]) -> None:
        """Inside the publishing transaction, after `enqueue_snippets`: each snippet an alert
        matched, for each active chat with instant delivery, once. A chat already owed the
        snippet by its topic keeps that one delivery, which now names the alerts too; a chat
        that had it before (a snippet published again) gets nothing."""
        by_chat: dict[tuple[int, int], list[AlertMatch]] = {}
        for match in matches:
            by_chat.setdefault((match.chat_id, match.snippet_id), []).append(match)
        now = self.clock()
        await self._db.executemany(
            """INSERT INTO deliveries (chat_id, kind, snippet_id, thread_id, alerts, created_at)
               SELECT id, 'snippet', ?, ?, ?, ? FROM chats
               WHERE id = ? AND state = 'active' AND instant = 1
               ON CONFLICT (chat_id, snippet_id) WHERE kind = 'snippet'
               DO UPDATE SET alerts = excluded.alerts WHERE deliveries.status = 'pending'""",
            [
                # the alerts in the order the chat set them
                (snippet_id, found[0].thread_id,
                 alerts_json({snippet_id: list(dict.fromkeys(match.words for match in found))}), now, chat_id)
                for (chat_id, snippet_id), found in by_chat.items()
            ],
        )

    async def enqueue_digest(
        self, chat_id: int, slot: int, snippet_ids: Sequence[int], thread_id: int | None,
        alerts: Mapping[int, Sequence[str]] | None = None,
    ) -> bool:
        """Queue one digest (inside the caller's transaction); False if that slot was queued.
        `alerts`: which of the chat's alerts brought which of its items."""
        cursor = await self._db.execute(
            """INSERT OR IGNORE INTO deliveries (chat_id, kind, digest_slot, items, thread_id, alerts, created_at)
               VALUES (?, 'digest', ?, ?, ?, ?, ?)""",
            (chat_id, slot, json.dumps(list(snippet_ids)), thread_id, alerts_json(alerts or {}), self.clock()),
        )
        return bool(cursor.rowcount)

    async def fail_pending_for_chat(self, chat_id: int, reason: str) -> None:
        """Inside the caller's transaction: a chat that went quiet owes nothing more."""
        await self._db.execute(
            "UPDATE deliveries SET status = 'failed', error = ? WHERE chat_id = ? AND status = 'pending'",
            (reason, chat_id),
        )

    async def move_pending(self, old_chat_id: int, new_chat_id: int) -> None:
        """Inside the caller's transaction: a migrated group's waiting deliveries follow it
        (one already queued for the new id keeps its place; the unique index decides)."""
        await self._db.execute(
            """UPDATE deliveries SET chat_id = ? WHERE chat_id = ? AND status = 'pending'
                 AND NOT EXISTS (SELECT 1 FROM deliveries AS queued WHERE queued.chat_id = ?
                     AND queued.kind = deliveries.kind
                     AND (queued.snippet_id = deliveries.snippet_id OR queued.digest_slot = deliveries.digest_slot))""",
            (new_chat_id, old_chat_id, new_chat_id),
        )

    # --- the sender's side ------------------------------------------------------------------

    async def due(self, after_id: int, limit: int) -> list[Delivery]:
        """Pending deliveries whose time has come, into active chats, in queue order."""
        rows = await self._db.execute_fetchall(
            f"""SELECT {DELIVERY_COLUMNS}
               FROM deliveries d JOIN chats c ON c.id = d.chat_id
               WHERE d.status = 'pending' AND d.id > ? AND d.not_before <= ? AND c.state = 'active'
               ORDER BY d.id LIMIT ?""",
            (after_id, self.clock(), limit),
        )
        return [self._delivery(row) for row in rows]

    @staticmethod
    def _delivery(row) -> Delivery:
        return Delivery(
            id=row[0], chat_id=row[1], chat_type=row[2], language=row[3], kind=row[4],
            snippet_id=row[5], items=tuple(json.loads(row[6])) if row[6] else (),
            thread_id=row[7], attempts=row[8], parts_sent=row[9], alerts=alerts_from_json(row[10]),
        )

    async def claim_due(self, after_id: int, limit: int, busy: Collection[int] = ()) -> list[Delivery]:
        """The due deliveries this process may send, in queue order, made its own. One process
        per SQLite database (the instance lock): every due one, claimed by nobody (the sender
        skips the `busy` chats itself). PostgreSQL's replicas claim theirs, a batch at a time
        (`postgres/coordination.py`)."""
        return await self.due(after_id, limit)

    async def release_claims(self) -> None:
        """At a clean stop, what this process claimed is free for others (SQLite: nothing to do)."""

    async def next_due_at(self) -> float | None:
        """When the earliest waiting delivery becomes due (None: nothing is waiting)."""
        rows = await self._db.execute_fetchall(
            """SELECT MIN(d.not_before) FROM deliveries d JOIN chats c ON c.id = d.chat_id
               WHERE d.status = 'pending' AND c.state = 'active'"""
        )
        return rows[0][0] if rows else None

    async def parts_sent(self, parts: Sequence[SentPart]) -> None:
        """Record accepted messages, all or none: a delivery is done when its last part went,
        and a paid broadcast's messages are counted as paid in the same write. One statement
        for a single free message, else one transaction for them all: this is the sender's hot
        path, and it records whatever sends are waiting together."""
        statement = """UPDATE deliveries SET parts_sent = parts_sent + 1,
                           message_ids = json_insert(message_ids, '$[#]', ?),
                           status = CASE WHEN ? = 1 THEN 'sent' ELSE status END,
                           sent_at = CASE WHEN ? = 1 THEN ? ELSE sent_at END,
                           error = NULL
                       WHERE id = ?"""
        now = self.clock()
        values = [(p.message_id, p.last, p.last, now, p.delivery.id) for p in parts]
        paid = sum(p.paid for p in parts)
        if len(values) == 1 and not paid:
            async with single_statement(self._db):
                await self._db.execute(statement, values[0])
            return
        async with transaction(self._db):
            await self._db.executemany(statement, values)
            if paid:
                await count_paid_messages(self._db, paid)

    async def retry_later(self, delivery_id: int, delay: float, reason: str, count_attempt: bool,
                          hold_chat: bool = False) -> None:
        """Try the delivery again `delay` seconds from now. `hold_chat`: Telegram asked this
        chat to wait (a 429's retry after); one process keeps that in its pacing, PostgreSQL's
        replicas hold the chat through the claim (`postgres/coordination.py`)."""
        async with transaction(self._db):
            await self._db.execute(
                """UPDATE deliveries SET not_before = ?, error = ?,
                       attempts = attempts + ? WHERE id = ?""",
                (self.clock() + delay, reason[:FAILED_REASON_LENGTH], int(count_attempt), delivery_id),
            )

    async def without_thread(self, delivery_id: int) -> None:
        async with transaction(self._db):
            await self._db.execute("UPDATE deliveries SET thread_id = NULL WHERE id = ?", (delivery_id,))

    async def fail(self, delivery_id: int, reason: str) -> None:
        async with transaction(self._db):
            await self._db.execute(
                "UPDATE deliveries SET status = 'failed', error = ? WHERE id = ?",
                (reason[:FAILED_REASON_LENGTH], delivery_id),
            )

    # --- the admin view ---------------------------------------------------------------------

    async def stats(self) -> DeliveryStats:
        now = self.clock()
        (pending, due_now, sent), = await self._db.execute_fetchall(
            """SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0),
                      COALESCE(SUM(CASE WHEN status = 'pending' AND not_before <= ? THEN 1 ELSE 0 END), 0),
                      COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0)
               FROM deliveries""",
            (now,),
        )
        (archived_sent,), = await self._db.execute_fetchall(
            "SELECT COALESCE(SUM(count), 0) FROM delivery_totals WHERE status = 'sent'")
        failed: dict[str, int] = {}
        for error, count in await self._db.execute_fetchall(
            """SELECT error, SUM(n) FROM (
                   SELECT COALESCE(error, '') AS error, COUNT(*) AS n FROM deliveries
                   WHERE status = 'failed' GROUP BY 1
                   UNION ALL
                   SELECT error, count FROM delivery_totals WHERE status = 'failed') AS failures
               GROUP BY error ORDER BY SUM(n) DESC"""
        ):
            failed[error or None] = count
        (recent,), = await self._db.execute_fetchall(
            "SELECT COUNT(*) FROM deliveries WHERE status = 'sent' AND sent_at > ?", (now - 60,)
        )
        return DeliveryStats(pending, due_now, sent + archived_sent, failed, recent, await paid_messages(self._db))

    async def delivered_count(self, snippet_id: int) -> int:
        """Messages that carried this snippet (pruned ones included)."""
        (count,), = await self._db.execute_fetchall(
            """SELECT (SELECT COUNT(*) FROM deliveries
                       WHERE kind = 'snippet' AND snippet_id = ? AND status = 'sent')
                    + (SELECT COALESCE(SUM(count), 0) FROM delivery_totals
                       WHERE kind = 'snippet' AND snippet_id = ? AND status = 'sent')""",
            (snippet_id, snippet_id),
        )
        return count

    async def prune_finished(self, older_than: float, batch: int = 5_000) -> int:
        """Delete sent and failed deliveries created before `older_than` (a time.time()),
        adding them to `delivery_totals` first; pending ones are never touched. Works in
        batches, each its own short transaction, so the write lock is never held for long.
        A pruned copy is no longer corrected when its snippet is edited, and a snippet
        published again after that would reach the chat again."""
        pruned = 0
        while True:
            async with transaction(self._db):
                rows = await self._db.execute_fetchall(
                    """SELECT id FROM deliveries WHERE status != 'pending' AND created_at < ?
                       ORDER BY created_at LIMIT ?""",
                    (older_than, batch),
                )
                if not rows:
                    return pruned
                marks = ",".join("?" * len(rows))
                ids = [row[0] for row in rows]
                await self._db.execute(
                    f"""INSERT INTO delivery_totals (kind, snippet_id, status, error, count)
                        SELECT kind, COALESCE(snippet_id, 0), status,
                               CASE WHEN status = 'failed' THEN COALESCE(error, '') ELSE '' END, COUNT(*)
                        FROM deliveries WHERE id IN ({marks}) GROUP BY 1, 2, 3, 4
                        ON CONFLICT (kind, snippet_id, status, error) DO UPDATE SET count = delivery_totals.count + excluded.count""",
                    ids,
                )
                await self._db.execute(f"DELETE FROM deliveries WHERE id IN ({marks})", ids)
                pruned += len(ids)

    async def queued_for(self, snippet_id: int) -> int:
        (count,), = await self._db.execute_fetchall(
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'snippet' AND snippet_id = ?", (snippet_id,)
        )
        return count

    async def sent_to(self, chat_id: int) -> list[tuple[str, int | None, list[int]]]:
        """(kind, snippet id, message ids) of what a chat received — for tests and corrections."""
        rows = await self._db.execute_fetchall(
            "SELECT kind, snippet_id, message_ids FROM deliveries WHERE chat_id = ? AND status = 'sent' ORDER BY id",
            (chat_id,),
        )
        return [(kind, snippet_id, json.loads(ids)) for kind, snippet_id, ids in rows]
