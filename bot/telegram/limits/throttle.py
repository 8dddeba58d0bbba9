"""Per-user limits on requests: past the limit one "slow down" note, then silence.

A sliding window per user: at most `limit` requests in any `window` seconds. The first request
over the limit is told to slow down; the rest are dropped until the window has room again.
Pure bookkeeping, so it is cheap enough to run before every update.

Requests are counted when they arrive (`ArrivalVerdicts`, called by `PerChatOrder` before an
update waits for its chat's turn), not when their handler runs: a chat's updates are handled
one after another and its replies paced, so counted at handling time a burst of 60 would be
spread over a minute and never fill the window.
"""

from __future__ import annotations

import time
from collections import deque
from enum import Enum

from telegram import Update


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first refusal in this stretch: say so, once
    DROP = "drop"


class UserThrottle:
    def __init__(self, limit: int = 20, window: float = 10.0, max_users: int = 100_000) -> None:
        self.limit, self.window, self.max_users = limit, window, max_users
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, user_id: int, now: float) -> Verdict:
        times = self._seen.get(user_id)
        if times is None:
            if len(self._seen) >= self.max_users:
                self._forget_idle(now)
            times = self._seen[user_id] = deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._warned.discard(user_id)
            return Verdict.ALLOW
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN

    @property
    def anyone_silenced(self) -> bool:
        return bool(self._warned)

    def _forget_idle(self, now: float) -> None:
        """Bound memory: drop users with nothing inside the window."""
        for user_id in [u for u, t in self._seen.items() if not t or t[-1] <= now - self.window]:
            del self._seen[user_id]
            self._warned.discard(user_id)

    def is_silenced(self, user_id: int, now: float) -> bool:
        """Already told to slow down and still over the limit: drop without a word.
        Read-only, so it may be asked before the update is even parsed."""
        if user_id not in self._warned:
            return False
        times = self._seen.get(user_id)
        # `check` keeps at most `limit` times, oldest first: full, and the oldest still inside
        return times is not None and len(times) >= self.limit and times[-self.limit] > now - self.window


class ArrivalVerdicts:
    """Counts each update against its user's limit the moment it arrives and keeps the verdict
    for the guard handler (`guard.py`), which acts on it when the update's turn comes. Users
    in `exempt` (the owners) are not counted. At most `keep` verdicts are held: an update the
    guard never saw (no handler ran) does not pin memory."""

    def __init__(self, throttle: UserThrottle, exempt: frozenset[int], keep: int = 10_000) -> None:
        self.throttle, self.exempt, self.keep = throttle, exempt, keep
        self._verdicts: dict[int, Verdict] = {}

    def on_arrival(self, update: object) -> None:
        if not isinstance(update, Update):
            return
        user = update.effective_user
        if user is None or user.id in self.exempt:
            return
        self._verdicts[update.update_id] = self.throttle.check(user.id, time.monotonic())
        if len(self._verdicts) > self.keep:
            del self._verdicts[next(iter(self._verdicts))]  # the oldest: dicts keep insertion order

    def take(self, update_id: int) -> Verdict | None:
        """The verdict recorded on arrival (once), or None if the update never passed here."""
        return self._verdicts.pop(update_id, None)
