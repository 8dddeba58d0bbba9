"""Sent means recorded: when the database refuses the record of a message Telegram accepted
(writes refused, a lock held past the busy timeout), the sender holds it, sends nothing new
until writes work, records it then — and no chat ever gets a second copy."""

from __future__ import annotations

import asyncio
import collections
import errno
import os
import shutil
import sqlite3
import subprocess
import time

import pytest

from bot.storage.outbox import Outbox
from tests.conftest import couriers_of, running_bot, services_of
from tests.helpers import ask
from tests.publishing import publish

READERS = 30
FIRST = 70_000


async def subscribe_readers(emulator, services) -> list[int]:
    users = [FIRST + i for i in range(READERS)]
    for user_id in users:
        emulator.world.private_chat(emulator.make_user(user_id, f"Reader {user_id}"))
        await services.chats.ensure(user_id, "private", f"Reader {user_id}", "ru")
        await services.chats.subscribe(user_id, ["energy"])
    return users


def copies(emulator, users) -> collections.Counter:
    return collections.Counter(len(emulator.messages_in(user)) for user in users)


async def test_refused_writes_hold_sends_and_nothing_is_sent_twice(settings, emulator, seeds_dir, monkeypatch):
    refuse_until = {"at": 0.0}
    real = Outbox.parts_sent

    async def flaky(self, parts):
        if time.monotonic() < refuse_until["at"]:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return await real(self, parts)

    monkeypatch.setattr(Outbox, "parts_sent", flaky)
    async with running_bot(settings, emulator) as bot:
        services = services_of(bot)
        users = await subscribe_readers(emulator, services)
        refuse_until["at"] = time.monotonic() + 2.5
        await publish(services, seeds_dir, "energy", "Рассылка при отказе записи")
        await emulator.wait_for(lambda: services.delivery.health.failing, timeout=5)
        report = (await services.delivery.report("ru")).parts[0]
        assert "Рассылка приостановлена" in report and "Повторные отправки исключены" in report
        await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)  # those already on their way
        sent_while_failing = sum(len(emulator.messages_in(u)) for u in users)
        await asyncio.sleep(0.8)
        if services.delivery.health.failing:  # nothing new went out while records failed
            assert sum(len(emulator.messages_in(u)) for u in users) == sent_while_failing
        await emulator.wait_for(lambda: copies(emulator, users) == {1: READERS}, timeout=20)
        await emulator.wait_for(lambda: not services.delivery.health.failing, timeout=5)
        await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
        stats = await services.outbox.stats()
        assert stats.pending == 0 and stats.sent >= READERS
    assert copies(emulator, users) == {1: READERS}  # exactly one copy each, none lost


@pytest.mark.sqlite_only(reason="SQLite's write lock and a full disk under its file")
async def test_a_write_lock_held_past_the_busy_timeout_sends_nothing_twice(settings, emulator, seeds_dir, caplog):
    async with running_bot(settings, emulator) as bot:
        services = services_of(bot)
        users = await subscribe_readers(emulator, services)
        blocker = sqlite3.connect(settings.database_path, isolation_level=None, timeout=0.1)
        await publish(services, seeds_dir, "energy", "Рассылка под чужой блокировкой")
        await emulator.wait_for(lambda: sum(len(emulator.messages_in(u)) for u in users) >= 1, timeout=5)
        blocker.execute("BEGIN IMMEDIATE")  # e.g. `python -m bot import` running beside the bot
        try:
            reader = emulator.make_user(FIRST + READERS, "Reader")
            emulator.world.private_chat(reader)
            started = time.monotonic()
            [refusal] = await ask(emulator, reader, "/subscribe logistics")  # waits out the busy timeout
            assert "занята другой операцией" in refusal["text"] and "Ничего не изменилось" in refusal["text"]
            await asyncio.sleep(max(0.0, 6.5 - (time.monotonic() - started)))  # past the busy timeout (5 s)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await emulator.wait_for(lambda: copies(emulator, users) == {1: READERS}, timeout=30)
        await emulator.wait_for(lambda: not services.delivery.health.failing, timeout=10)
        await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
        assert (await services.outbox.stats()).pending == 0
    assert copies(emulator, users) == {1: READERS}
    assert any("cannot record sent deliveries" in r.getMessage() for r in caplog.records)  # the fault did happen
    assert sum("cannot record sent deliveries" in r.getMessage() for r in caplog.records) == 1  # logged once


@pytest.fixture
def small_disk(tmp_path):
    """A real file system of 16 MB (tmpfs), mounted for the test: the database lives on it, and
    the test fills it to the last byte. Needs the right to mount (CI runs as root)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a disk-full test needs root to mount a small tmpfs")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(directory) -> object:
    """Write a file until the file system says it is full (ENOSPC); returns its path."""
    filler = directory / "filler"
    block = b"\0" * 65536
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        try:  # the last bytes, smaller than a block
            while True:
                handle.write(b"\0" * 512)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler


@pytest.mark.sqlite_only(reason="SQLite's write lock and a full disk under its file")
async def test_a_full_disk_holds_sends_and_nothing_is_sent_twice(settings, emulator, seeds_dir, small_disk, caplog):
    """The database's disk fills up mid-broadcast (SQLite: "database or disk is full"): what
    Telegram accepted is held, nothing new goes out, and once space is freed every subscriber
    holds exactly one copy."""
    settings = settings.model_copy(update={"database_path": small_disk / "bot.db"})
    async with running_bot(settings, emulator) as bot:
        services = services_of(bot)
        users = await subscribe_readers(emulator, services)
        await publish(services, seeds_dir, "energy", "Рассылка на полный диск")
        await emulator.wait_for(lambda: sum(len(emulator.messages_in(u)) for u in users) >= 1, timeout=5)
        # the write-ahead log is emptied first, so the next writes need new space on the disk
        with sqlite3.connect(settings.database_path, timeout=5) as checkpoint:
            checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        filler = fill(small_disk)
        try:
            await emulator.wait_for(lambda: services.delivery.health.failing, timeout=10)
            assert "full" in services.delivery.health.last_error
            report = (await services.delivery.report("ru")).parts[0]
            assert "Рассылка приостановлена" in report
            await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
            sent_while_full = sum(len(emulator.messages_in(u)) for u in users)
            await asyncio.sleep(1.5)
            assert services.delivery.health.failing  # still full: nothing new went out
            assert sum(len(emulator.messages_in(u)) for u in users) == sent_while_full
            reader = emulator.make_user(FIRST + READERS, "Reader")
            emulator.world.private_chat(reader)
            [briefing] = await ask(emulator, reader, "/energy")  # readers are answered meanwhile
            assert briefing["text"].startswith("⚡ Энергетика")
            [refusal] = await ask(emulator, reader, "/subscribe logistics")  # a write: refused by name
            assert "закончилось место на диске" in refusal["text"] and "Ничего не изменилось" in refusal["text"]
            assert "Traceback" not in caplog.text
        finally:
            filler.unlink()
        await emulator.wait_for(lambda: copies(emulator, users) == {1: READERS}, timeout=30)
        await emulator.wait_for(lambda: not services.delivery.health.failing, timeout=10)
        await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
        stats = await services.outbox.stats()
        assert stats.pending == 0 and stats.sent >= READERS
        [subscribed] = await ask(emulator, reader, "/subscribe logistics")  # space again: it works
        assert "закончилось" not in subscribed["text"]
        assert list((await services.chats.get(reader["id"])).topics) == ["logistics"]
    assert copies(emulator, users) == {1: READERS}


async def test_records_of_sends_accepted_meanwhile_are_written_together_and_fail_together():
    """While one write runs, the sends accepted meanwhile wait and go into the next write, all
    of them; each send returns only once its own record is written, and a failed write fails
    every send in it (each is then held, as above)."""
    from bot.storage.outbox import Delivery, SentPart
    from bot.telegram.sending.sender import GroupRecords

    class Outbox:
        def __init__(self):
            self.writes, self.gate, self.refuse = [], asyncio.Event(), False

        async def parts_sent(self, parts):
            await self.gate.wait()
            if self.refuse:
                raise sqlite3.OperationalError("database or disk is full")
            self.writes.append([part.delivery.id for part in parts])

    def part(number):
        return SentPart(Delivery(number, number, "private", "ru", "snippet", 1, (), None, 0, 0), 100 + number, True, True)

    outbox = Outbox()
    records = GroupRecords(outbox)
    first = asyncio.create_task(records.record(part(1)))
    await asyncio.sleep(0)  # its write has begun and waits on the disk
    rest = [asyncio.create_task(records.record(part(n))) for n in range(2, 7)]
    await asyncio.sleep(0)
    assert not any(task.done() for task in [first, *rest])  # nobody returns before its record
    outbox.gate.set()
    await asyncio.gather(first, *rest)
    assert outbox.writes == [[1], [2, 3, 4, 5, 6]]

    outbox.gate.clear()
    outbox.refuse = True
    failing = [asyncio.create_task(records.record(part(n))) for n in range(7, 10)]
    await asyncio.sleep(0)
    outbox.gate.set()
    outcomes = await asyncio.gather(*failing, return_exceptions=True)
    assert all(isinstance(outcome, sqlite3.OperationalError) for outcome in outcomes)
    await records.drain()
