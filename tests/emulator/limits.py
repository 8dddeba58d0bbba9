"""Flood control: answer 429 ``Too Many Requests: retry after N`` where Telegram would.

Telegram publishes only rough limits, so the emulator picks concrete, documented numbers:

* private chat: token bucket, 1 message/s sustained, burst capacity 5 (a short reply burst such
  as "header + 4 cards" passes, a loop that sends 10 messages at once does not);
* group, supergroup or channel: sliding window, at most 20 messages in any 60 s;
* whole bot: token bucket, 30 messages/s sustained, burst 30;
* paid broadcasts (``allow_paid_broadcast: true``): a token bucket of their own, 1000
  messages/s sustained, burst 100 (0.1 s), instead of the whole-bot bucket; per-chat limits
  hold for them as for any message.

Only methods that create messages count (``send*`` except ``sendChatAction``, forwards and
copies); edits, deletes and callback answers are free. ``scale`` multiplies every rate and
capacity so benchmarks can loosen the limits (``scale=10``) without switching them off — all
but the paid bucket's, which is Telegram's own ceiling (``paid_rate`` changes it).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from .errors import too_many_requests

MESSAGE_CREATING_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendAudio", "sendDocument", "sendVideo", "sendAnimation",
        "sendVoice", "sendVideoNote", "sendPaidMedia", "sendMediaGroup", "sendLocation",
        "sendVenue", "sendContact", "sendPoll", "sendChecklist", "sendDice", "sendSticker",
        "sendInvoice", "sendGame", "sendMessageDraft", "forwardMessage", "forwardMessages",
        "copyMessage", "copyMessages",
    }
)  # fmt: skip


@dataclass(frozen=True)
class FloodLimits:
    """Configuration of the flood limits; pass to ``BotApiEmulator(flood_limits=...)``."""

    enabled: bool = True
    scale: float = 1.0
    private_rate: float = 1.0  # messages per second per private chat (sustained)
    private_burst: int = 5  # messages a private chat may receive back to back
    group_messages: int = 20  # messages per ``group_period`` per group/supergroup/channel
    group_period: float = 60.0
    global_rate: float = 30.0  # messages per second over all chats
    global_burst: int = 30
    paid_rate: float = 1000.0  # paid broadcast messages per second over all chats
    paid_burst: int = 100
    limited_methods: frozenset[str] = MESSAGE_CREATING_METHODS


@dataclass
class TokenBucket:
    capacity: float
    rate: float
    tokens: float
    updated: float

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class SlidingWindow:
    limit: int
    period: float
    sent: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - self.period:
            self.sent.popleft()
        return 0.0 if len(self.sent) < self.limit else self.sent[0] + self.period - now

    def take(self, now: float) -> None:
        self.sent.append(now)


class FloodController:
    """Per-chat and global counters; ``check`` raises 429 or books one message."""

    def __init__(self, limits: FloodLimits) -> None:
        self.limits = limits
        scaled_rate = limits.global_rate * limits.scale
        self._global = TokenBucket(
            capacity=max(1.0, limits.global_burst * limits.scale),
            rate=scaled_rate,
            tokens=max(1.0, limits.global_burst * limits.scale),
            updated=0.0,
        )
        self._paid = TokenBucket(limits.paid_burst, limits.paid_rate, limits.paid_burst, 0.0)
        self._private: dict[int, TokenBucket] = {}
        self._groups: dict[int, SlidingWindow] = {}
        self._started = False

    def applies_to(self, method: str) -> bool:
        return self.limits.enabled and method in self.limits.limited_methods

    def check(self, chat_id: int, chat_type: str, now: float, *, paid: bool = False) -> None:
        """Book one outgoing message to ``chat_id`` or raise :class:`ApiError` 429; a paid
        broadcast's message counts against the paid bucket instead of the whole bot's."""
        if not self._started:
            self._global.updated = self._paid.updated = now
            self._started = True
        limits = self.limits
        chat_counter: TokenBucket | SlidingWindow
        if chat_type == "private":
            capacity = max(1.0, limits.private_burst * limits.scale)
            chat_counter = self._private.setdefault(
                chat_id,
                TokenBucket(capacity, limits.private_rate * limits.scale, capacity, now),
            )
        else:
            chat_counter = self._groups.setdefault(
                chat_id,
                SlidingWindow(
                    max(1, round(limits.group_messages * limits.scale)), limits.group_period
                ),
            )
        overall = self._paid if paid else self._global
        wait = max(chat_counter.wait(now), overall.wait(now))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        overall.take()
        if isinstance(chat_counter, SlidingWindow):
            chat_counter.take(now)
        else:
            chat_counter.take()
