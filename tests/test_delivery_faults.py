"""Sent means recorded: when the database refuses the record of a message Telegram accepted
(writes refused, a lock held past the busy timeout), the sender holds it, sends nothing new
until writes work, records it then — and no chat ever gets a second copy."""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time

from bot.storage.outbox import Outbox
from tests.conftest import couriers_of, running_bot, services_of
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


async def test_a_write_lock_held_past_the_busy_timeout_sends_nothing_twice(settings, emulator, seeds_dir, caplog):
    async with running_bot(settings, emulator) as bot:
        services = services_of(bot)
        users = await subscribe_readers(emulator, services)
        blocker = sqlite3.connect(settings.database_path, isolation_level=None, timeout=0.1)
        await publish(services, seeds_dir, "energy", "Рассылка под чужой блокировкой")
        await emulator.wait_for(lambda: sum(len(emulator.messages_in(u)) for u in users) >= 1, timeout=5)
        blocker.execute("BEGIN IMMEDIATE")  # e.g. `python -m bot import` running beside the bot
        try:
            await asyncio.sleep(6.5)  # longer than the bot's busy_timeout (5 s)
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
