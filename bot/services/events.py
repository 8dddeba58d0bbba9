"""What the services announce, and who listens: subscribed once, where the app is assembled.

A content change is announced after its transaction committed, by the service that made it
(an edit, a publication, an upload, a reload). The readers' caches, the delivery renderer, the
sender and the corrector subscribe when they are wired (`bot/app.py`); nobody clears a cache
by hand and no object gets a callback set on it later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

Listener = Callable[[], object]


class Signal:
    """One kind of event: listeners are called in the order they subscribed, synchronously
    (each only drops a cache or sets an asyncio event, so announcing never waits)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def announce(self) -> None:
        for listener in self._listeners:
            try:
                listener()
            except Exception:  # one listener failing must not keep the others uninformed
                log.exception("a listener of %r failed", self.name)


@dataclass(frozen=True)
class Events:
    # committed content changed: what readers see may differ; deliveries or corrections may be queued
    content_changed: Signal = field(default_factory=lambda: Signal("content changed"))
    # something was queued for sending (a digest, a chat back from a pause): the sender looks now
    deliveries_queued: Signal = field(default_factory=lambda: Signal("deliveries queued"))
    # another replica (PostgreSQL) committed a content change: caches drop, couriers look again;
    # unlike content_changed, not passed on to the other replicas again
    content_changed_elsewhere: Signal = field(default_factory=lambda: Signal("content changed elsewhere"))
