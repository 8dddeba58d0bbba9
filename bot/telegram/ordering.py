"""Concurrent update handling that keeps each chat's updates in order.

python-telegram-bot's `concurrent_updates` runs updates in parallel but promises nothing about
their order: two messages from one person can be answered the wrong way round. This processor
runs updates from different chats in parallel and updates from the same chat one after
another, in the order Telegram delivered them.

Why the order holds: the Application starts one task per update in the order it fetched them,
and every task reaches `do_process_update` without waiting first (the base class's semaphore
is sized so it never blocks). There each task queues on its chat's lock, and asyncio locks
wake waiters first come, first served. Only then does it wait for one of `max_handlers`
worker slots, so a busy chat holds at most one slot while its backlog waits.

`on_arrival` is called with each update first thing in `do_process_update`, synchronously and
so in arrival order, before it waits for anything: the per-user throttle counts requests
there, when they come, not when their turn does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.telegram.logs import update_summary

log = logging.getLogger("bot.updates")

# The base class's own limit: large enough never to block (the real limit is `max_handlers`).
UNBOUNDED = 1_000_000


def order_key(update: object) -> int | None:
    """Updates with the same key are handled in order: the chat, else the user."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    def __init__(self, max_handlers: int = 64, on_arrival: Callable[[object], None] | None = None) -> None:
        super().__init__(UNBOUNDED)
        self.on_arrival = on_arrival
        if max_handlers < 1:
            raise ValueError("max_handlers must be at least 1")
        self.max_handlers = max_handlers
        self._slots = asyncio.Semaphore(max_handlers)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}  # key -> (lock, tasks using it)
        self._failed: set[int] = set()
        self._running: set[asyncio.Task[Any]] = set()  # tasks inside do_process_update

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self.on_arrival is not None:
            try:
                self.on_arrival(update)
            except Exception:  # counting must never lose the update itself
                log.exception("on_arrival failed")
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self._in_order(update, coroutine)
        finally:
            self._running.discard(task)

    def cancel_running(self) -> int:
        """Shutdown gave up waiting: cancel the handlers still running; returns how many."""
        for task in self._running:
            task.cancel()
        return len(self._running)

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        if key is None:
            async with self._slots:
                await self._timed(update, coroutine)
            return
        lock = self._enter(key)
        try:
            async with lock, self._slots:
                await self._timed(update, coroutine)
        finally:
            self._leave(key)

    def mark_failed(self, update: object) -> None:
        """Called by the error handler, so the update's log line says it failed."""
        self._failed.add(id(update))

    async def _timed(self, update: object, coroutine: Awaitable[Any]) -> None:
        """One log line per handled update: what it was, how long it took, how it ended."""
        started = time.perf_counter()
        outcome = "ok"
        try:
            await coroutine
        except BaseException:
            outcome = "error"
            raise
        finally:
            if id(update) in self._failed:
                self._failed.discard(id(update))
                outcome = "error"
            if log.isEnabledFor(logging.INFO):
                fields = {**update_summary(update), "outcome": outcome,
                          "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
                log.info("update %(kind)s %(chat_type)s %(command)s %(outcome)s %(latency_ms)sms",
                         fields, extra={"fields": fields})

    def _enter(self, key: int) -> asyncio.Lock:
        lock, users = self._chats.get(key) or (asyncio.Lock(), 0)
        self._chats[key] = (lock, users + 1)
        return lock

    def _leave(self, key: int) -> None:
        """Forget a chat's lock once no task holds or awaits it, so the map stays small."""
        lock, users = self._chats[key]
        if users == 1:
            del self._chats[key]
        else:
            self._chats[key] = (lock, users - 1)

    @property
    def chats_in_flight(self) -> int:
        return len(self._chats)
