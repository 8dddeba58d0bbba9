"""Wake coroutines waiting for emulator state to change, from the loop or from other threads.

A held ``getUpdates`` and the test helpers ``wait_for*`` sleep on this signal; ``notify`` may be
called by test code on any thread (``send_text`` is a plain sync method), so off-loop calls are
marshalled with ``call_soon_threadsafe``. A waiter registers before it sleeps and state is
mutated before ``notify``, so a wake-up cannot be lost.
"""

from __future__ import annotations

import asyncio
import contextlib


class ChangeSignal:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: set[asyncio.Future[None]] = set()

    def bind(self, loop: asyncio.AbstractEventLoop | None) -> None:
        self._loop = loop

    def notify(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake()
        else:
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, timeout: float) -> None:
        """Sleep until the next ``notify`` or ``timeout`` seconds, whichever comes first."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(waiter, max(timeout, 0.0))
        finally:
            self._waiters.discard(waiter)
