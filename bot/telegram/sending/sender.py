"""The sender: drains the outbox into Telegram, within its limits, without losing or doubling.

* Pacing: every message takes a slot from the same `ChatPacing` the replies use, but only a
  slot that is free right now (`take_now`), leaving a few overall slots to replies — so a
  broadcast runs at the configured rate and command replies never queue behind it. With paid
  broadcast on, each message carries `allow_paid_broadcast` and takes its slot from the paid
  bucket instead (replies never use it); the record of the send counts it as paid.
* Order: one message at a time per chat; a chat that must wait (its own limit, a "retry
  after") is skipped, not waited on, so one slow chat never holds up the rest.
* Outcomes: accepted parts are recorded at once; "retry after" reschedules that delivery
  (and blocks that chat in pacing); network and server errors retry with backoff up to
  `max_attempts`; a blocked user or removed bot pauses the chat; a migrated group moves to
  its new id and the message goes there; other refusals fail that delivery with the reason.
* Replicas (PostgreSQL): a delivery is sent only once this replica claimed it
  (`Outbox.claim_due`: a batch of due deliveries in one statement, for a lease); what a dead
  replica claimed comes back after the lease, and a chat Telegram asked to wait stays with
  the replica that was told, until then.
* Guarantee: at least once. A part is recorded as sent right after Telegram accepts it, so
  only parts in flight when the process dies (at most `concurrency`) can be sent twice. The
  records of sends accepted meanwhile are written together, one transaction for all waiting
  (`GroupRecords`); each send holds its slot until its own record is written, so the bound
  stays `concurrency`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.services.delivery import DeliveryHealth
from bot.services.delivery.messages import DeliveryMessages
from bot.telegram.limits.pacing import PACED, ChatPacing
from bot.telegram.sending.outgoing import NO_PREVIEW
from bot.domain.chats import PAUSED
from bot.storage.chats import ChatRepository
from bot.storage.outbox import Delivery, Outbox, SentPart

log = logging.getLogger(__name__)

IDLE_POLL = 2.0  # seconds between looks at the outbox when nobody woke the sender
HELD_RETRY = 0.5  # seconds between tries to record held sends while writes fail
MAX_BACKOFF = 300.0
# Refusals that mean the bot cannot write into the chat at all (as opposed to this message).
CHAT_UNREACHABLE = ("chat not found", "need administrator rights", "not enough rights",
                    "have no rights", "chat_write_forbidden", "bot is not a member")  # fmt: skip


class Sender:
    def __init__(
        self,
        bot: Bot,
        outbox: Outbox,
        chats: ChatRepository,
        messages: DeliveryMessages,
        pacing: ChatPacing,
        *,
        concurrency: int = 16,
        batch: int = 500,
        max_attempts: int = 8,
        health: DeliveryHealth | None = None,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.chats = chats
        self.messages = messages
        self.pacing = pacing
        self.batch = batch
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self._in_flight = 0
        self._slot_freed = asyncio.Event()
        self._busy: set[int] = set()  # chats with a message in flight
        # parts sent since the current pass began: a row read before its send finished is stale
        self._progress: dict[int, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._records = GroupRecords(outbox)
        # sends Telegram accepted whose record failed, by delivery id, kept until recorded;
        # their chats get nothing more meanwhile
        self._unrecorded: dict[int, SentPart] = {}
        self.health = health or DeliveryHealth()
        self._wake = asyncio.Event()
        self._stopping = False
        self._runner: asyncio.Task[None] | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self._stopping = False
        self._runner = asyncio.create_task(self.run(), name="delivery-sender")

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def stop(self, timeout: float) -> int:
        """Take no new deliveries; give sends in flight up to `timeout` seconds to finish.

        Returns how many were cut off; those stay pending and go out after the next start."""
        self._stopping = True
        self._wake.set()
        if self._runner is not None:
            await asyncio.gather(self._runner, return_exceptions=True)
            self._runner = None
        if not self._tasks:
            return 0
        _done, unfinished = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
        await self._records.drain()  # a record already under way is finished, not cut off
        if unfinished:
            log.warning("stopped with %d deliveries in flight; they will be sent after restart", len(unfinished))
        return len(unfinished)

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    # --- the loop ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Pass over the due deliveries in queue order, again and again, until stopped."""
        while not self._stopping:
            try:
                dispatched, soonest = await self._one_pass()
            except Exception:  # a database hiccup must not end delivery for good
                log.exception("delivery pass failed; retrying shortly")
                dispatched, soonest = 0, 1.0
            if self._stopping:
                break
            if not dispatched:
                await self._idle(soonest)

    async def _record_held(self) -> bool:
        """Record the sends whose record failed; True once none is waiting (writes work)."""
        for delivery_id, part in list(self._unrecorded.items()):
            try:
                await self.outbox.parts_sent([part])
            except Exception as exc:  # still failing: keep holding them, send nothing new
                self._note_failure(exc)
                return False
            del self._unrecorded[delivery_id]
            self._progress[delivery_id] = max(self._progress.get(delivery_id, 0), part.delivery.parts_sent + 1)
        if self.health.failing:
            log.warning("delivery records work again: resuming after %.0f s",
                        time.time() - (self.health.failing_since or time.time()))
        self.health.failing_since, self.health.unrecorded, self.health.last_error = None, 0, ""
        return True

    def _note_failure(self, exc: BaseException) -> None:
        if not self.health.failing:  # logged once per outage, not once per message
            log.error("cannot record sent deliveries (%s); holding %d and sending nothing new until writes work",
                      exc, len(self._unrecorded))
            self.health.failing_since = time.time()
        self.health.unrecorded = len(self._unrecorded)
        self.health.last_error = f"{type(exc).__name__}: {exc}"

    async def _one_pass(self) -> tuple[int, float | None]:
        """Dispatch what may go now; returns (dispatched, seconds until a skipped one may go)."""
        cursor, dispatched, soonest = 0, 0, None
        self._wake.clear()
        if self._unrecorded and not await self._record_held():
            return 0, HELD_RETRY  # writes still fail: nothing new goes out
        self._progress.clear()  # rows read from here on already show earlier sends
        while not self._stopping:
            batch = await self.outbox.claim_due(cursor, self.batch, self._busy)
            if not batch:
                break
            for delivery in batch:
                cursor = delivery.id
                if self._stopping:
                    break
                if delivery.chat_id in self._busy or delivery.id in self._unrecorded:
                    continue
                if self.health.failing:
                    break  # a record failed during this pass: stop dispatching
                if self._progress.get(delivery.id, 0) > delivery.parts_sent:
                    continue  # sent while this batch was being read
                wait = await self.pacing.take_now(delivery.chat_id, paid=self.pacing.paid)
                if wait:  # (a replica keeps its claim meanwhile: the chat stays its own)
                    soonest = wait if soonest is None else min(soonest, wait)
                    continue
                await self._take_slot()
                if self.health.failing:  # a record failed while we waited for the slot
                    self._free_slot()
                    break
                self._busy.add(delivery.chat_id)
                task = asyncio.create_task(self._deliver(delivery))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                dispatched += 1
            if self.health.failing:
                break
        return dispatched, soonest

    def _room(self) -> int:
        """Sends this process may have in flight: `concurrency` is the bot's, and replicas share
        it as they share the rate (each 1/N). Every send in flight can reach Telegram at the same
        instant (after a stall on the way, say), so the bot as a whole never has more out at
        once than one process would; two replicas at 64 each were seen to overrun the paid
        bucket's burst."""
        return max(1, self.concurrency // self.pacing.live_replicas)

    async def _take_slot(self) -> None:
        while self._in_flight >= self._room():
            self._slot_freed.clear()
            await self._slot_freed.wait()
        self._in_flight += 1

    def _free_slot(self) -> None:
        self._in_flight -= 1
        self._slot_freed.set()

    async def _idle(self, soonest: float | None) -> None:
        """Wait for a wake-up, for a skipped chat's turn, or for a retry's time."""
        timeout = IDLE_POLL if soonest is None else min(IDLE_POLL, soonest)
        if not self._tasks:  # (a send in flight wakes us when it finishes: no need to look)
            next_due = await self.outbox.next_due_at()
            if next_due is not None:
                timeout = min(timeout, max(next_due - self.outbox.clock(), 0.0))
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=max(timeout, 0.01))
        except TimeoutError:
            pass

    # --- one message ------------------------------------------------------------------------

    async def _deliver(self, delivery: Delivery) -> None:
        try:
            await self._send_next_part(delivery)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # anything unexpected: retry later, never lose the delivery
            log.exception("delivery %s to chat %s failed unexpectedly", delivery.id, delivery.chat_id)
            await self._retry(delivery, f"error: {type(exc).__name__}")
        finally:
            self._busy.discard(delivery.chat_id)
            self._free_slot()
            self._wake.set()

    async def _send_next_part(self, delivery: Delivery) -> None:
        outgoing = await self.messages.for_delivery(delivery)
        if outgoing is None:
            await self.outbox.fail(delivery.id, "retired before delivery")
            return
        index = delivery.parts_sent
        last = index >= len(outgoing.parts) - 1
        params: dict[str, Any] = {
            "chat_id": delivery.chat_id,
            "text": outgoing.parts[min(index, len(outgoing.parts) - 1)],
            "parse_mode": "HTML",
            "link_preview_options": NO_PREVIEW,
        }
        if last and outgoing.keyboard is not None:
            params["reply_markup"] = outgoing.keyboard
        if delivery.thread_id is not None:
            params["message_thread_id"] = delivery.thread_id
        paid = self.pacing.paid
        if paid:
            params["allow_paid_broadcast"] = True
        try:
            message = await self.bot.do_api_request("sendMessage", api_kwargs=params, rate_limit_args=PACED)
        except RetryAfter as exc:
            seconds = exc.retry_after.total_seconds()
            await self.outbox.retry_later(delivery.id, seconds, f"retry after {seconds:.0f} s", count_attempt=False,
                                          hold_chat=True)
            return
        except ChatMigrated as exc:
            log.info("chat %s became supergroup %s; its deliveries follow", delivery.chat_id, exc.new_chat_id)
            await self.chats.migrate(delivery.chat_id, exc.new_chat_id)
            return
        except Forbidden as exc:
            await self._chat_unreachable(delivery, exc)
            return
        except BadRequest as exc:
            await self._refused(delivery, exc)
            return
        except NetworkError as exc:  # TimedOut included; BadRequest was caught above
            await self._retry(delivery, f"network: {exc.message}")
            return
        except TelegramError as exc:
            await self._retry(delivery, f"telegram: {exc.message}")
            return
        # Recorded even if shutdown cancels us now: Telegram has the message. If the record
        # fails, the send is held and recorded later: never sent again.
        part = SentPart(delivery, message["message_id"], last, paid)
        try:
            await self._records.record(part)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._unrecorded[delivery.id] = part
            self._note_failure(exc)
        self._progress[delivery.id] = index + 1

    async def _chat_unreachable(self, delivery: Delivery, exc: TelegramError) -> None:
        reason = exc.message.removeprefix("Forbidden: ")
        log.info("chat %s unreachable (%s): its subscriptions are paused", delivery.chat_id, reason)
        await self.chats.set_state(delivery.chat_id, PAUSED, reason)

    async def _refused(self, delivery: Delivery, exc: BadRequest) -> None:
        text = exc.message.lower()
        if "thread not found" in text and delivery.thread_id is not None:
            log.info("forum thread %s of chat %s is gone; using the main thread", delivery.thread_id, delivery.chat_id)
            await self.chats.clear_thread(delivery.chat_id, delivery.thread_id)
            await self.outbox.without_thread(delivery.id)
        elif any(marker in text for marker in CHAT_UNREACHABLE):
            await self._chat_unreachable(delivery, exc)
        else:
            log.error("Telegram refused delivery %s to chat %s: %s", delivery.id, delivery.chat_id, exc.message)
            await self.outbox.fail(delivery.id, f"refused: {exc.message}")

    async def _retry(self, delivery: Delivery, reason: str) -> None:
        attempts = delivery.attempts + 1
        if attempts >= self.max_attempts:
            await self.outbox.fail(delivery.id, reason)
            return
        delay = min(2.0 ** attempts, MAX_BACKOFF) * random.uniform(0.5, 1.0)
        await self.outbox.retry_later(delivery.id, delay, reason, count_attempt=True)


class GroupRecords:
    """Records of accepted sends, written together: a send asks for its record and waits for
    it; whatever sends are waiting when a write begins go into that one write (one transaction
    for all, `Outbox.parts_sent`), and the next write takes those that came meanwhile. At a
    thousand messages a second that is a few writes per millisecond's worth of sends instead
    of a transaction each. The write is a task of its own, so a send cancelled while waiting
    (shutdown) does not cut its record off; a failed write fails every send in it."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self._waiting: list[tuple[SentPart, asyncio.Future[BaseException | None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, part: SentPart) -> None:
        """Returns once `part` is recorded; raises what the write raised."""
        done: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()
        self._waiting.append((part, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="delivery-records")
        failure = await asyncio.shield(done)
        if failure is not None:
            raise failure

    async def drain(self) -> None:
        """Until every record asked for is written (or has failed)."""
        while self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer})

    async def _write(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting, []
            failure: BaseException | None = None
            try:
                await self.outbox.parts_sent([part for part, _ in group])
            except asyncio.CancelledError:
                cut_off = RuntimeError("recording cancelled")  # held in memory, like any failed record
                for _, done in group + self._waiting:
                    if not done.done():
                        done.set_result(cut_off)
                self._waiting = []
                raise
            except Exception as exc:  # noqa: BLE001 — each send decides what its failure means
                failure = exc
            for _, done in group:
                if not done.done():
                    done.set_result(failure)
