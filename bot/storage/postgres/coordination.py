"""What several replicas on one PostgreSQL database agree through it.

* **The outbox, claimed.** `PgOutbox.claim_due` makes the next due deliveries this replica's
  for `LEASE` seconds, a batch at a time (as many as the sender may have in flight), in one
  statement: an UPDATE over a `FOR UPDATE SKIP LOCKED` pick, so two replicas never both take a
  delivery, and each takes only a chat's first due delivery in a chat no other replica holds
  (one chat's messages keep their order and its per-chat limit). Each pass renews the claims
  this replica still needs; a replica that dies stops renewing, and after the lease its
  deliveries are taken by another: nothing is lost, and only what it had in flight (at most
  `DELIVERY_CONCURRENCY`) can go twice. A chat Telegram asked to wait (429) stays claimed by
  the replica that was told until the wait is over, so no replica writes there before.
* **One leader.** Corrections, digests, pruning (and feed polls) run on the replica holding a
  session advisory lock; when its connection ends (a crash included) the server frees the
  lock and the next replica to ask takes it.
* **The send rate, shared.** Each replica writes a heartbeat to `replicas`; the live count
  divides Telegram's overall rate (and the paid one) among them, so together they stay
  within the bot's limit. A replica that starts beside live ones waits one heartbeat before
  delivering, so the others have slowed down first.
* **Content changes heard everywhere.** A replica that commits a content change sends
  `NOTIFY`; the others' listeners drop their caches and wake their senders.
Every lock key and channel is per schema, so two bots in two schemas of one database never
meet.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable, Collection

import psycopg

from bot.storage.database import single_statement, transaction
from bot.storage.outbox import DELIVERY_COLUMNS, FAILED_REASON_LENGTH, Delivery, Outbox
from bot.storage.postgres.connection import PgConnection, open_postgres

log = logging.getLogger(__name__)

LEASE = 15.0  # seconds a claimed delivery stays this replica's without renewal
CLAIM_BATCH = 16  # deliveries claimed in one statement (the sender asks for DELIVERY_CONCURRENCY)
HEARTBEAT = 2.0  # seconds between a replica's heartbeats
LIVE_FOR = 3 * HEARTBEAT  # a replica not heard of for this long is gone
CHANNEL = "briefing_content"


def new_replica_id() -> str:
    return secrets.token_hex(6)


class PgOutbox(Outbox):
    """The outbox shared by replicas: a delivery is sent only once `claim_due` made it this
    replica's, and `due` leaves out what another replica holds."""

    def __init__(self, db: PgConnection, replica: str, lease: float = LEASE, clock: Callable[[], float] = time.time,
                 claim_batch: int = CLAIM_BATCH) -> None:
        super().__init__(db, clock)
        self.replica = replica
        self.lease = lease
        self.claim_batch = max(1, claim_batch)

    async def due(self, after_id: int, limit: int) -> list[Delivery]:
        now = self.clock()
        rows = await self._db.execute_fetchall(
            f"""SELECT {DELIVERY_COLUMNS}
               FROM deliveries d JOIN chats c ON c.id = d.chat_id
               WHERE d.status = 'pending' AND d.id > ? AND d.not_before <= ? AND c.state = 'active'
                 AND NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.chat_id = d.chat_id
                                 AND o.claimed_until > ? AND o.claimed_by <> ?)
               ORDER BY d.id LIMIT ?""",
            (after_id, now, now, self.replica, limit),
        )
        return [self._delivery(row) for row in rows]

    async def claim_due(self, after_id: int, limit: int, busy: Collection[int] = ()) -> list[Delivery]:
        """Claim the next due deliveries after `after_id` (at most `claim_batch`, in queue
        order) for this replica for the lease, or renew its own claims on them; one statement.

        Taken: a pending delivery, due, into an active chat, claimed by nobody live but this
        replica, in a chat where no other replica holds a live claim, that is its chat's
        first due delivery (so one chat's messages go in order, and a chat's later message is
        never claimed by a replica while another holds its earlier one), and whose chat has
        no send of this replica in flight (`busy`). `FOR UPDATE SKIP LOCKED`: what another
        replica is claiming at this moment is passed over, and each picked row's own columns
        are checked again on its newest version once locked (the NOT EXISTS subqueries read
        the statement's snapshot, so a claim committed after the statement began is seen
        only on the row itself: enough, since a chat's first due delivery is the one both
        would pick)."""
        now = self.clock()
        rows = await self._db.execute_fetchall(
            f"""WITH picked AS (
                   SELECT d.id FROM deliveries d JOIN chats c ON c.id = d.chat_id
                   WHERE d.status = 'pending' AND d.id > ? AND d.not_before <= ? AND c.state = 'active'
                     AND (d.claimed_until IS NULL OR d.claimed_until <= ? OR d.claimed_by = ?)
                     AND d.chat_id <> ALL(?::bigint[])
                     AND NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.chat_id = d.chat_id
                                     AND o.claimed_until > ? AND o.claimed_by <> ?)
                     AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id
                                     AND e.status = 'pending' AND e.id < d.id AND e.not_before <= ?)
                   ORDER BY d.id LIMIT ?
                   FOR UPDATE OF d SKIP LOCKED
               ), claimed AS (
                   UPDATE deliveries SET claimed_by = ?, claimed_until = ?
                   FROM picked WHERE deliveries.id = picked.id
                   RETURNING deliveries.id
               )
               SELECT {DELIVERY_COLUMNS}
               FROM claimed JOIN deliveries d ON d.id = claimed.id JOIN chats c ON c.id = d.chat_id
               ORDER BY d.id""",
            (after_id, now, now, self.replica, list(busy), now, self.replica, now, min(limit, self.claim_batch),
             self.replica, now + self.lease),
        )
        return [self._delivery(row) for row in rows]

    async def next_due_at(self) -> float | None:
        """When a waiting delivery may next be this replica's: its own time, or, in a chat
        another replica holds, that claim's end (a dead replica's claims come back then, and
        until then there is nothing to look at)."""
        now = self.clock()
        rows = await self._db.execute_fetchall(
            """SELECT MIN(GREATEST(d.not_before, COALESCE(
                          (SELECT MAX(o.claimed_until) FROM deliveries o WHERE o.chat_id = d.chat_id
                           AND o.claimed_until > ? AND o.claimed_by <> ?), 0)))
               FROM deliveries d JOIN chats c ON c.id = d.chat_id
               WHERE d.status = 'pending' AND c.state = 'active'""",
            (now, self.replica),
        )
        return rows[0][0] if rows else None

    async def retry_later(self, delivery_id: int, delay: float, reason: str, count_attempt: bool,
                          hold_chat: bool = False) -> None:
        """As on SQLite; `hold_chat` (Telegram's retry after for the chat) also keeps the claim
        until then, so no other replica writes into that chat before Telegram allows it."""
        now = self.clock()
        async with transaction(self._db):
            await self._db.execute(
                """UPDATE deliveries SET not_before = ?, error = ?, attempts = attempts + ?,
                       claimed_by = CASE WHEN ? = 1 THEN ? ELSE claimed_by END,
                       claimed_until = CASE WHEN ? = 1 THEN GREATEST(COALESCE(claimed_until, 0), ?)
                                            ELSE claimed_until END
                   WHERE id = ?""",
                (now + delay, reason[:FAILED_REASON_LENGTH], int(count_attempt), int(hold_chat), self.replica,
                 int(hold_chat), now + delay, delivery_id),
            )

    async def release_claims(self) -> None:
        """At a clean stop: what this replica held goes to the others at once, not after the
        lease; but a delivery waiting for its time keeps its claim (a chat Telegram asked to
        wait stays held until then; the others would have nothing to send there before)."""
        now = self.clock()
        async with single_statement(self._db):
            await self._db.execute(
                """UPDATE deliveries SET claimed_until = 0 WHERE claimed_by = ? AND claimed_until > ?
                     AND NOT (status = 'pending' AND not_before > ?)""",
                (self.replica, now, now),
            )


class PgCoordination:
    """A replica's standing among the others: heartbeat and live count, the leader lock, and
    content-change notices both ways. Its own connections, apart from the repositories'."""

    def __init__(self, url: str, replica: str, on_change_elsewhere: Callable[[], object]) -> None:
        self.url = url
        self.replica = replica
        self.replicas = 1  # live replicas, this one included (divides the send rate)
        self.needs_settling = True  # its sender waits for `settled()`
        self._on_change_elsewhere = on_change_elsewhere
        self._db: PgConnection | None = None
        self._leader: PgConnection | None = None
        self._holding = False
        # the corrector, the feed poller and the digest clock ask at once: one question at a
        # time, or two could each open a session and one of them hold the lock unseen (leaked:
        # this replica then never leads again, nor does anyone else while it lives)
        self._asking = asyncio.Lock()
        self._closed = False
        self._listener: psycopg.AsyncConnection | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._schema = ""
        self._settled = asyncio.Event()  # set once the other replicas have had time to hear of this one

    async def start(self) -> None:
        self._db = await open_postgres(self.url)
        (self._schema,), = await self._db.execute_fetchall("SELECT current_schema()")
        await self._beat()
        self._tasks = [
            asyncio.create_task(self._heartbeats(), name="replica-heartbeat"),
            asyncio.create_task(self._listen(), name="content-listener"),
        ]

    async def settled(self) -> None:
        """Returns once the other replicas have heard of this one (and slowed down for it);
        at once when none was live at start."""
        if self.replicas > 1:
            await self._settled.wait()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        async with self._asking:  # not while a leader check opens its session
            self._closed = True
        for connection in (self._db, self._leader):
            if connection is not None:
                try:
                    if connection is self._db:
                        await connection.execute("DELETE FROM replicas WHERE id = ?", (self.replica,))
                    await connection.close()
                except psycopg.Error:
                    pass
        self._db = self._leader = None

    # --- heartbeat and the live count ------------------------------------------------------

    async def _beat(self) -> None:
        now = time.time()
        await self._db.execute(
            """INSERT INTO replicas (id, seen_at) VALUES (?, ?)
               ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at""",
            (self.replica, now),
        )
        await self._db.execute("DELETE FROM replicas WHERE seen_at < ?", (now - 10 * LIVE_FOR,))
        (live,), = await self._db.execute_fetchall("SELECT COUNT(*) FROM replicas WHERE seen_at >= ?", (now - LIVE_FOR,))
        if live != self.replicas:
            log.info("replicas live: %d (this one's share of the send rate: 1/%d)", live, live)
        self.replicas = max(int(live), 1)

    async def _heartbeats(self) -> None:
        started = time.monotonic()
        while True:
            await asyncio.sleep(HEARTBEAT)
            try:
                await self._beat()
            except psycopg.Error as exc:  # the server away: keep the last count, try again
                log.warning("replica heartbeat failed (%s)", exc)
                await self._reconnect()
            if not self._settled.is_set() and time.monotonic() - started >= HEARTBEAT * 1.5:
                self._settled.set()

    async def _reconnect(self) -> None:
        try:
            if self._db is not None:
                await self._db.close()
            self._db = await open_postgres(self.url)
        except Exception as exc:  # noqa: BLE001 - retried at the next beat
            log.warning("cannot reconnect to the database (%s)", exc)

    # --- the leader ------------------------------------------------------------------------

    async def leading(self) -> bool:
        """Whether this replica is the leader now, taking the lock if nobody holds it."""
        async with self._asking:
            return False if self._closed else await self._leading()

    async def _leading(self) -> bool:
        try:
            if self._leader is None:
                self._leader = await open_postgres(self.url)
            if self._holding:  # held for as long as this session lives: check it does
                await self._leader.execute_fetchall("SELECT 1")
                return True
            (held,), = await self._leader.execute_fetchall(
                "SELECT pg_try_advisory_lock(hashtext(current_schema() || ':leader'))"
            )
            if held:
                log.info("this replica (%s) leads: corrections, digests and pruning run here", self.replica)
            self._holding = bool(held)
            return self._holding
        except psycopg.Error as exc:
            log.warning("leader check failed (%s); not leading until the database answers", exc)
            self._holding = False
            if self._leader is not None:
                try:
                    await self._leader.close()
                except psycopg.Error:
                    pass
            self._leader = None
            return False

    # --- content changes, both ways --------------------------------------------------------

    def content_changed(self) -> None:
        """This replica committed a content change: tell the others (after the commit)."""
        if self._db is not None:
            task = asyncio.get_running_loop().create_task(self._notify())
            self._tasks.append(task)
            task.add_done_callback(lambda done: self._tasks.remove(done) if done in self._tasks else None)

    async def _notify(self) -> None:
        try:
            await self._db.execute("SELECT pg_notify(?, ?)", (CHANNEL, f"{self._schema}:{self.replica}"))
        except psycopg.Error as exc:
            log.warning("could not tell the other replicas of a content change (%s)", exc)

    async def _listen(self) -> None:
        while True:
            try:
                self._listener = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
                await self._listener.execute(f"LISTEN {CHANNEL}")
                async for notice in self._listener.notifies():
                    schema, _, replica = notice.payload.rpartition(":")
                    if schema == self._schema and replica != self.replica:
                        self._on_change_elsewhere()
            except asyncio.CancelledError:
                if self._listener is not None:
                    await self._listener.close()
                raise
            except psycopg.Error as exc:
                log.warning("content listener lost its connection (%s); reconnecting", exc)
                # a change may have been missed meanwhile: forget caches to be safe
                self._on_change_elsewhere()
                await asyncio.sleep(1.0)
