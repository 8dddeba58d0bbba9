"""Daily digests: at each chat's chosen time, one message with what is new in its topics.

The schedule lives in SQLite (`chats.next_digest_at`), not in the JobQueue: a single repeating
job asks for the chats that are due, so schedules survive restarts, a digest missed while the
bot was down goes out once when it is back, and a second look at the same slot finds it taken
(`deliveries_once_per_digest`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.domain.schedule import next_occurrence
from bot.storage.digests import DigestRepository

log = logging.getLogger(__name__)

MAX_DIGEST_ITEMS = 30


class Digests:
    def __init__(self, schedule: DigestRepository, clock: Callable[[], float] = time.time) -> None:
        self.schedule = schedule
        self.clock = clock

    async def run_due(self) -> int:
        """Queue every digest whose time has come; returns how many were queued."""
        now = self.clock()
        queued = 0
        for due in await self.schedule.due(now):
            next_at = next_occurrence(due.digest_time, due.timezone, now)
            queued += await self.schedule.queue(due, next_at, MAX_DIGEST_ITEMS)
        if queued:
            log.info("queued %d digests", queued)
        return queued
