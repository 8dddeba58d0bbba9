"""Outgoing pacing: stay inside Telegram's flood limits instead of learning them from 429s.

Telegram answers a sustained flood with "retry after", and calls made before that time has
passed escalate the ban. So every message-creating call waits for its turn here:

* a private chat: about one message a second, with a short burst allowed (a reply in parts);
* a group, supergroup or channel: at most 20 messages in any minute;
* the whole bot: about 30 messages a second (`MAX_SEND_RATE`; set it high for a local Bot API
  server, which has no such limit: the per-chat limits and "retry after" still hold);
* paid broadcasts (`PAID_BROADCAST`): deliveries sent with `allow_paid_broadcast` count
  against a bucket of their own, up to 1000 messages a second (`PAID_BROADCAST_RATE`), and
  replies never use it.

Private chats and the overall buckets use GCRA (a token bucket kept as one timestamp); groups keep
the times of their last 20 messages. Reserving a slot never awaits between reading and writing
the state, so concurrent callers cannot take the same slot. If Telegram still answers
`RetryAfter`, that chat alone waits the time it asked for, and the call is retried once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.config import Settings

log = logging.getLogger(__name__)

LIMITED_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "sendAudio", "sendVideo",
        "sendAnimation", "sendVoice", "sendSticker", "sendPoll", "sendLocation", "copyMessage",
        "forwardMessage", "copyMessages", "forwardMessages",
    }
)  # fmt: skip


PRUNE_EVERY = 4096  # reservations between clean-ups of idle chats
PACED = "paced"  # rate_limit_args of a call whose slot the caller already took (the sender)
REPLY_HEADROOM = 5  # overall slots a broadcast leaves free, so replies never queue behind it


BURST_SECONDS = 20 / 28  # the overall bursts as time at their rate: 20 messages at 28/s


def overall_burst(rate: float) -> int:
    """The overall bucket's burst for a rate: 20 at the default 28/s, scaling with the rate, so
    a lifted rate is lifted for bursts too and never becomes a limit of its own."""
    return max(1, round(rate * BURST_SECONDS))


@dataclass(frozen=True)
class PacingLimits:
    private_rate: float = 1.0   # messages per second into one private chat, sustained
    private_burst: int = 3      # messages one private chat may get back to back
    group_messages: int = 20    # messages into one group or channel per `group_period`
    group_period: float = 61.0  # a second more than Telegram's minute: clocks differ
    overall_rate: float = 28.0  # messages per second over all chats (Telegram: about 30)
    overall_burst: int = 20
    paid_rate: float | None = None  # paid broadcast's messages per second; None: not paid
    paid_burst: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> PacingLimits:
        """Telegram's per-chat limits with the configured overall rate (`MAX_SEND_RATE`) and,
        with `PAID_BROADCAST`, the paid rate; each burst scaled to its rate. A paid bucket's
        burst is kept to 1/50 s: a thousand messages at once would be refused."""
        paid_rate = settings.paid_broadcast_rate if settings.paid_broadcast else None
        return cls(overall_rate=settings.max_send_rate, overall_burst=overall_burst(settings.max_send_rate),
                   paid_rate=paid_rate, paid_burst=max(1, round((paid_rate or 0) / 50)))


class Gcra:
    """Generic cell rate algorithm: a token bucket stored as one theoretical arrival time."""

    def __init__(self, rate: float, burst: int) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (max(burst, 1) - 1) * self.interval
        self.arrival = 0.0

    def reserve(self, now: float) -> float:
        """Book the next slot; returns the time at which it may be used."""
        arrival = max(self.arrival, now)
        at = max(now, arrival - self.tolerance)
        self.arrival = arrival + self.interval
        return at

    def rescale(self, rate: float, burst: int) -> None:
        """A new rate and burst from now on (a replica's share of the bot's rate changed)."""
        self.interval = 1.0 / rate
        self.tolerance = (max(burst, 1) - 1) * self.interval

    def spent(self, now: float) -> None:
        """As if the whole burst had just been used: from `now` on, one slot per interval, and
        the burst comes back over its own length."""
        self.arrival = now + self.tolerance

    def wait(self, now: float, keep: int = 0) -> float:
        """Seconds until a slot is free now while `keep` slots of the burst stay unused."""
        tolerance = max(self.tolerance - keep * self.interval, 0.0)
        return max(0.0, max(self.arrival, now) - tolerance - now)


class Window:
    """At most `limit` sends in any `period` seconds."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = max(limit, 1), period
        self.booked: deque[float] = deque()

    def reserve(self, now: float) -> float:
        while self.booked and self.booked[0] <= now - self.period:
            self.booked.popleft()
        at = now if len(self.booked) < self.limit else self.booked[-self.limit] + self.period
        self.booked.append(at)
        return at

    def wait(self, now: float) -> float:
        """Seconds until a message may go without booking ahead (bookings may lie in the future)."""
        while self.booked and self.booked[0] <= now - self.period:
            self.booked.popleft()
        if self.booked and self.booked[-1] > now:
            return self.booked[-1] - now
        return 0.0 if len(self.booked) < self.limit else self.booked[-self.limit] + self.period - now


class ChatPacing(BaseRateLimiter[int]):
    """A python-telegram-bot rate limiter that paces message-creating calls per chat."""

    def __init__(self, limits: PacingLimits | None = None, max_retries: int = 1,
                 replicas: Callable[[], int] | None = None) -> None:
        self.limits = limits or PacingLimits()
        self.max_retries = max_retries
        # replicas sharing the bot's limits (PostgreSQL: the live count); each takes its share
        self._replicas = replicas or (lambda: 1)
        self._share = 1
        self._overall = Gcra(self.limits.overall_rate, self.limits.overall_burst)
        self._paid = Gcra(self.limits.paid_rate, self.limits.paid_burst) if self.limits.paid_rate else None
        self._private: dict[int, Gcra] = {}
        self._groups: dict[int, Window] = {}
        self._blocked_until: dict[int | str, float] = {}
        self._reservations = 0

    async def initialize(self) -> None:
        """At start the overall buckets begin with their burst spent: Telegram counts the
        bot's messages, not the process's, and a bot restarted mid-broadcast must not add a
        burst of its own to what the previous process sent in its last second."""
        now = time.monotonic()
        for bucket in (self._overall, self._paid):
            if bucket is not None:
                bucket.spent(now)

    async def shutdown(self) -> None:
        pass

    @property
    def live_replicas(self) -> int:
        """Replicas sharing the bot's limits now (1 for one process)."""
        return max(1, self._replicas())

    @property
    def paid(self) -> bool:
        """Bulk sends go as paid broadcasts (with `allow_paid_broadcast`)."""
        return self._paid is not None

    def reserve(self, chat_id: int | str, now: float, *, paid: bool = False) -> float:
        """When a message into this chat may go, booking that slot in every limit it meets:
        the chat's, and the free overall bucket or (a paid broadcast) the paid one."""
        at = self.reserve_chat(chat_id, now)
        overall = self._paid if paid and self._paid is not None else self._overall
        return max(at, overall.reserve(at))

    def reserve_chat(self, chat_id: int | str, now: float) -> float:
        """Book the chat's own slot only (its limit, a "retry after"); when it may be used."""
        self._reservations += 1
        if self._reservations % PRUNE_EVERY == 0:
            self._forget_idle(now)
        at = max(now, self._blocked_until.get(chat_id, 0.0))
        if isinstance(chat_id, int) and chat_id > 0:
            bucket = self._private.get(chat_id)
            if bucket is None:
                bucket = self._private[chat_id] = Gcra(self.limits.private_rate, self.limits.private_burst)
            return max(at, bucket.reserve(at))
        window = self._groups.get(chat_id)
        if window is None:
            window = self._groups[chat_id] = Window(self.limits.group_messages, self.limits.group_period)
        return max(at, window.reserve(at))

    async def take_now(self, chat_id: int | str, *, paid: bool = False) -> float:
        """For bulk sends (deliveries, corrections): 0 once a slot is taken; otherwise how long
        this chat must wait, so the caller can skip it. The overall limit is waited out here:
        it holds for every chat alike."""
        while True:
            wait, chat_limited = self.try_take(chat_id, time.monotonic(), paid=paid)
            if wait <= 0 or chat_limited:
                return max(wait, 0.0)
            await asyncio.sleep(wait)

    def try_take(self, chat_id: int | str, now: float, *, paid: bool = False) -> tuple[float, bool]:
        """For bulk delivery: take a slot only if one is free right now.

        Returns (0, _) when the slot was taken; otherwise (seconds to wait, whether the chat's
        own limit is the reason). A broadcast never books ahead and leaves REPLY_HEADROOM slots
        of the overall burst to replies, which book normally and so go first. A paid broadcast
        (`paid`, when paid broadcast is on) takes its slots from the paid bucket, which replies
        never use.
        """
        paid = paid and self._paid is not None
        self._take_share()
        chat_wait = self._blocked_until.get(chat_id, 0.0) - now
        if isinstance(chat_id, int) and chat_id > 0:
            bucket = self._private.get(chat_id)
            if bucket is not None:
                chat_wait = max(chat_wait, bucket.wait(now))
        else:
            window = self._groups.get(chat_id)
            if window is not None:
                chat_wait = max(chat_wait, window.wait(now))
        if chat_wait > 0:
            return chat_wait, True
        if paid:
            overall_wait = self._paid.wait(now)
        else:
            overall_wait = self._overall.wait(now, keep=REPLY_HEADROOM)
        if overall_wait > 0:
            return overall_wait, False
        self.reserve(chat_id, now, paid=paid)
        return 0.0, False

    def _take_share(self) -> None:
        """The overall and paid buckets at this replica's share of the bot's rate: with N
        replicas live, each sends at 1/N of it (and 1/N of the burst), so together they keep
        Telegram's limit for the bot."""
        share = max(1, self._replicas())
        if share == self._share:
            return
        self._share = share
        limits = self.limits
        self._overall.rescale(limits.overall_rate / share, max(1, limits.overall_burst // share))
        if self._paid is not None and limits.paid_rate:
            self._paid.rescale(limits.paid_rate / share, max(1, limits.paid_burst // share))

    def _forget_idle(self, now: float) -> None:
        """Chats whose limits have fully recovered need no state: drop it, so memory follows
        the chats written to recently, not every chat ever written to."""
        self._private = {c: b for c, b in self._private.items() if b.arrival > now}
        self._groups = {
            c: w for c, w in self._groups.items() if w.booked and w.booked[-1] > now - w.period
        }
        self._blocked_until = {c: t for c, t in self._blocked_until.items() if t > now}

    @property
    def chats_tracked(self) -> int:
        return len(self._private) + len(self._groups)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]] | None]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]] | None:
        chat_id = data.get("chat_id")
        if endpoint not in LIMITED_METHODS or chat_id is None:
            return await callback(*args, **kwargs)
        if rate_limit_args == PACED:  # the sender took its slot and handles RetryAfter itself
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.block(chat_id, exc.retry_after.total_seconds())
                raise
        for attempt in range(self.max_retries + 1):
            # The chat's slot first, the overall one only once it is due: booked ahead, a
            # chat-limited reply (a flooding user's, a second later) would move the overall
            # bucket's clock forward and hold up every other chat's reply meanwhile.
            delay = self.reserve_chat(chat_id, time.monotonic()) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._take_share()
            delay = self._overall.reserve(time.monotonic()) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.block(chat_id, exc.retry_after.total_seconds())  # a timedelta: bot/__init__.py
                if attempt == self.max_retries:
                    raise
        raise AssertionError("unreachable")

    def block(self, chat_id: int | str, seconds: float) -> None:
        """Telegram said "retry after": nothing goes into this chat until then."""
        self._blocked_until[chat_id] = time.monotonic() + seconds
        log.warning("Telegram asked to wait %.0f s before writing to chat %s again", seconds, chat_id)
