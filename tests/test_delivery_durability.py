"""Durability: a broadcast survives a crash, a stop, and a second process on the same database.

These run `python -m bot` as a real process against the emulator, and kill it with SIGKILL
mid-broadcast: no cleanup code gets to run, exactly as in a crash.
"""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import sys

import pytest

from bot.app import open_services
from bot.storage.instance_lock import AlreadyRunning
from tests.conftest import ROOT, TEST_TOKEN, running_bot, unexpected_refusals
from tests.publishing import add_snippet

SUBSCRIBERS = 120
CONCURRENCY = 8
FIRST_USER = 50_000


async def prepare_broadcast(settings, emulator, seeds_dir, count: int = SUBSCRIBERS) -> list[int]:
    """`count` private chats subscribed to energy, and a new energy snippet already queued."""
    users = [FIRST_USER + i for i in range(count)]
    for user_id in users:
        emulator.world.private_chat(emulator.make_user(user_id, f"Reader {user_id}"))
    services = await open_services(settings)
    try:
        for user_id in users:
            await services.chats.ensure(user_id, "private", f"Reader {user_id}", "ru")
            await services.chats.subscribe(user_id, ["energy"])
        add_snippet(seeds_dir, "energy", "Рассылка, которую прервали")
        report = await services.intake.reload_seeds()
        assert (await services.outbox.stats()).pending == count, report
    finally:
        await services.close()
    return users


def received(emulator, users: list[int]) -> collections.Counter:
    return collections.Counter({user: len(emulator.messages_in(user)) for user in users})


async def start_bot_process(settings, emulator) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "DATABASE_PATH": str(settings.database_path),
        "DATABASE_URL": settings.postgres_url or "",  # the PostgreSQL pass: the test's schema
        "SEEDS_DIR": str(settings.seeds_dir),
        "TOPICS_FILE": str(ROOT / "config" / "topics.yaml"),
        "DELIVERY_CONCURRENCY": str(CONCURRENCY),
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def test_killed_mid_broadcast_the_rest_is_delivered_after_restart(settings, emulator, seeds_dir):
    """On PostgreSQL the restarted process is a new replica: what the killed one had claimed
    comes back to it when the claims' lease (15 s) runs out."""
    users = await prepare_broadcast(settings, emulator, seeds_dir)
    first = await start_bot_process(settings, emulator)
    await emulator.wait_for(lambda: sum(received(emulator, users).values()) >= 40, timeout=20)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    before_restart = received(emulator, users)
    assert 40 <= sum(before_restart.values()) < SUBSCRIBERS  # really cut off mid-broadcast

    second = await start_bot_process(settings, emulator)
    try:
        await emulator.wait_for(lambda: all(received(emulator, users).values()), timeout=60)
    finally:
        second.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(second.communicate(), timeout=20)
    assert second.returncode == 0, err.decode()

    counts = received(emulator, users)
    assert all(counts[user] >= 1 for user in users)  # nothing lost
    doubled = [user for user in users if counts[user] > 1]
    assert len(doubled) <= CONCURRENCY  # only what was in flight at the kill, at most
    assert max(counts.values()) <= 2
    assert not unexpected_refusals(emulator)
    assert not [call for call in emulator.errors if call.error_code == 429]


@pytest.mark.sqlite_only(reason="one process per SQLite file (PostgreSQL's replicas: test_replicas.py)")
async def test_a_second_process_on_the_same_database_is_refused_naming_the_first(settings, emulator):
    first = await start_bot_process(settings, emulator)
    try:
        await emulator.wait_for(lambda: emulator.world.active_poll is not None or first.returncode is not None,
                                timeout=30)
        second = await start_bot_process(settings, emulator)
        _out, err = await asyncio.wait_for(second.communicate(), timeout=20)
        assert second.returncode == 2
        assert b"another bot process" in err and str(first.pid).encode() in err
    finally:
        first.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(first.communicate(), timeout=20)
    assert first.returncode == 0, err.decode()


async def test_a_stop_during_a_broadcast_finishes_sends_in_flight_and_loses_nothing(settings, emulator, seeds_dir):
    users = await prepare_broadcast(settings, emulator, seeds_dir, count=60)
    async with running_bot(settings, emulator) as application:
        await emulator.wait_for(lambda: sum(received(emulator, users).values()) >= 20, timeout=20)
    # The bot stopped (SIGTERM path: updater, then delivery with a bounded wait, then the rest).
    interrupted = received(emulator, users)
    assert sum(interrupted.values()) < len(users)
    services = await open_services(settings)
    try:
        stats = await services.outbox.stats()
        assert stats.sent == sum(interrupted.values())  # every accepted message was recorded
        assert stats.pending == len(users) - stats.sent
    finally:
        await services.close()
    async with running_bot(settings, emulator):
        await emulator.wait_for(lambda: all(received(emulator, users).values()), timeout=20)
    assert set(received(emulator, users).values()) == {1}  # exactly once, stop or no stop
    assert application is not None
    assert not emulator.errors


@pytest.mark.sqlite_only(reason="one process per SQLite file (PostgreSQL's replicas: test_replicas.py)")
async def test_a_second_instance_on_the_same_database_is_refused(settings, emulator):
    async with running_bot(settings, emulator):
        with pytest.raises(AlreadyRunning, match="another bot process"):
            await open_services(settings)


async def test_another_poller_on_the_same_token_stops_this_instance(settings, emulator, caplog):
    import aiohttp

    async with running_bot(settings, emulator) as application:
        await emulator.wait_for(lambda: emulator.world.active_poll is not None)
        async with aiohttp.ClientSession() as session:  # a second process starts polling
            async with session.post(f"{emulator.base_url}{TEST_TOKEN}/getUpdates", json={"timeout": 0}) as answer:
                assert answer.status == 200
        await emulator.wait_for(lambda: "another process is receiving updates" in caplog.text, timeout=10)
        await emulator.wait_for(lambda: not application.running, timeout=10)
