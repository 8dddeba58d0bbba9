"""What several replicas on one PostgreSQL database agree through it.

* **The outbox, claimed.** `PgOutbox.claim` marks a delivery as this replica's for `LEASE`
  seconds, in one conditional UPDATE over a `FOR UPDATE SKIP LOCKED` pick: two replicas never
  both take a delivery, and a chat with a live claim by another replica is left to it (one
  chat's messages keep their order and its per-chat limit). Each pass renews the claims this
  replica still needs; a replica that dies stops renewing, and after the lease its deliveries
  are taken by another: nothing is lost, and only what it had in flight (at most
  `DELIVERY_CONCURRENCY`) can go twice.
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
from collections.abc import Callable

import psycopg

from bot.storage.database import single_statement
from bot.storage.outbox import DELIVERY_COLUMNS, Delivery, Outbox
from bot.storage.postgres.connection import PgConnection, open_postgres

log = logging.getLogger(__name__)

LEASE = 15.0  # seconds a claimed delivery stays this replica's without renewal
HEARTBEAT = 2.0  # seconds between a replica's heartbeats
LIVE_FOR = 3 * HEARTBEAT  # a replica not heard of for this long is gone
CHANNEL = "briefing_content"


def new_replica_id() -> str:
    return secrets.token_hex(6)


class PgOutbox(Outbox):
    """The outbox shared by replicas: `due` leaves out what another replica holds, and a
    delivery is sent only once `claim` made it this replica's."""

    def __init__(self, db: PgConnection, replica: str, lease: float = LEASE, clock: Callable[[], float] = time.time) -> None:
        super().__init__(db, clock)
        self.replica = replica
        self.lease = lease

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

    async def claim(self, delivery: Delivery) -> bool:
        """Make this delivery this replica's for the lease (or renew it); False when another
        replica holds it or its chat, or it was sent meanwhile.

        The delivery's own claim is checked on the row itself, not only in NOT EXISTS: that
        subquery reads the statement's snapshot, so a claim by another replica committed after
        this statement began is invisible to it, while the row's own columns are checked again
        on its newest version once it is locked (else both replicas win it and send it twice)."""
        now = self.clock()
        async with single_statement(self._db):
            cursor = await self._db.execute(
                """UPDATE deliveries SET claimed_by = ?, claimed_until = ?
                   WHERE id IN (SELECT d.id FROM deliveries d
                                WHERE d.id = ? AND d.status = 'pending' AND d.parts_sent = ?
                                  AND (d.claimed_until IS NULL OR d.claimed_until <= ? OR d.claimed_by = ?)
                                  AND NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.chat_id = d.chat_id
                                                  AND o.claimed_until > ? AND o.claimed_by <> ?)
                                FOR UPDATE SKIP LOCKED)""",
                (self.replica, now + self.lease, delivery.id, delivery.parts_sent, now, self.replica,
                 now, self.replica),
            )
        return cursor.rowcount == 1

    async def release_claims(self) -> None:
        """At a clean stop: what this replica held goes to the others at once, not after the lease."""
        async with single_statement(self._db):
            await self._db.execute(
                "UPDATE deliveries SET claimed_until = 0 WHERE claimed_by = ? AND claimed_until > ?",
                (self.replica, self.clock()),
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
