"""Opening the SQLite database: one long-lived connection, WAL, foreign keys, explicit transactions."""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite


async def open_database(path: Path | str) -> aiosqlite.Connection:
    """Connect in autocommit mode: every write goes through `transaction()`, nothing implicit."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA busy_timeout = 5000")
        await db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        await db.close()
        raise
    return db


# What SQLite says when a write cannot be made, and what it comes to for the people asking: the
# disk is full, another process holds the write lock past the busy timeout (an import beside the
# bot), or the file cannot be written at all. The change was rolled back whole in each case.
_FAULTS = (
    ("disk is full", "full"),
    ("database is locked", "busy"),
    ("database is busy", "busy"),
    ("readonly database", "readonly"),
    ("disk i/o error", "io"),
)


def storage_fault(exc: BaseException | None) -> str | None:
    """"full", "busy", "readonly" or "io" for a write the database refused, None for anything
    else (a bug is not a storage fault)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    message = str(exc).lower()
    return next((fault for text, fault in _FAULTS if text in message), None)


_locks: weakref.WeakKeyDictionary[aiosqlite.Connection, asyncio.Lock] = weakref.WeakKeyDictionary()


def _lock_of(db: aiosqlite.Connection) -> asyncio.Lock:
    lock = _locks.get(db)
    if lock is None:
        lock = _locks[db] = asyncio.Lock()
    return lock


@asynccontextmanager
async def single_statement(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """For one write statement, atomic by itself: it waits for any open transaction on this
    connection to end (or it would become part of it), without BEGIN/COMMIT round trips."""
    async with _lock_of(db):
        yield db


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (cancellation included).

    Tasks share a connection, so transactions on one connection take turns: without the lock
    a second task's BEGIN would fail, and its writes would land in the first task's
    transaction. (Other connections are kept apart by SQLite itself.)
    """
    async with _lock_of(db):
        await db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        await db.execute("COMMIT")
