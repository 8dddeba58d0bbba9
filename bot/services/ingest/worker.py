"""Reading runs in a worker process of its own, at a lower CPU priority.

Reading an article is seconds of pure-Python CPU work (and the first one loads natasha's
models). In a thread it holds the interpreter lock for most of that time, and readers' answers
in the event loop wait for it: a feed poll of 50 items measured readers' p90 latency 2.7×
and single answers up to 0.4 s slower (bench/bench_feeds.py). In a process of its own, niced,
it uses the other core and leaves this process's lock and the first core to readers.

One worker for the whole process, started on the first article and kept (its models stay
loaded); a worker that died is replaced and the read tried once more. `python -m bot ingest`
and the console use it too; nothing else changes for them.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
NICENESS = 10
# natasha's models multiply matrices with numpy; a multithreaded BLAS on a machine whose cores
# are busy (the bot's own loop on one of them) slows an 80,000-character article from 7 s to
# over a minute (bench/bench_reading.py). The reading process computes on one thread.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _lower_priority() -> None:
    try:
        os.nice(NICENESS)
    except OSError:
        pass


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            for name, value in ONE_THREAD.items():  # inherited by the process spawned below
                os.environ.setdefault(name, value)
            # spawn: a fresh interpreter, never a fork of a process with threads and an event loop
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_lower_priority)
        return _pool


def _replace(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


async def in_worker(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in the reading process (a module-level function; its arguments and
    result cross as pickles)."""
    loop = asyncio.get_running_loop()
    for attempt in (1, 2):
        pool = _executor()
        try:
            return await loop.run_in_executor(pool, function, *args)
        except BrokenProcessPool:
            _replace(pool)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@atexit.register
def _shutdown() -> None:
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
