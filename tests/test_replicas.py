"""Several replicas on one PostgreSQL database, as an operator runs them: real `python -m bot`
processes in webhook mode, each on its own port, behind a round-robin balancer, against the
Bot API emulator (its flood limits on). One is killed with SIGKILL mid-broadcast.

The PostgreSQL pass only (`TEST_DATABASE_URL`)."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import sys
import time
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web

from bot.app import open_services
from tests.conftest import ROOT, TEST_TOKEN
from tests.helpers import database_of, free_port
from tests.publishing import add_snippet

SUBSCRIBERS = 300
CONCURRENCY = 8
FIRST_USER = 70_000
SECRET = "replica-secret_1"


@pytest.fixture
async def emulator():
    """The emulator as a local Bot API server: it posts webhooks to plain http:// on 127.0.0.1."""
    from tests.emulator import BotApiEmulator

    async with BotApiEmulator(token=TEST_TOKEN, bot_username="briefing_test_bot", local_server=True) as emu:
        yield emu


@pytest.fixture
def pg_settings(settings, pg_url):
    return settings.model_copy(update={"database_url": pg_url})


class Balancer:
    """Round robin over the replicas' webhook ports; a replica that does not answer is passed
    over for the next, as a load balancer's health check would."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = 0
        self.port = free_port()
        self.answered: collections.Counter[int] = collections.Counter()

    async def handle(self, request: web.Request) -> web.Response:
        body, headers = await request.read(), {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        async with aiohttp.ClientSession() as http:
            for _ in range(len(self.ports)):
                port = self.ports[self.turn % len(self.ports)]
                self.turn += 1
                try:
                    async with http.post(f"http://127.0.0.1:{port}{request.path}", data=body, headers={
                        **headers, "Content-Type": "application/json"}, timeout=aiohttp.ClientTimeout(total=10)) as answer:
                        self.answered[port] += 1
                        return web.Response(status=answer.status, body=await answer.read())
                except aiohttp.ClientError:
                    continue
        return web.Response(status=502)

    @asynccontextmanager
    async def running(self):
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        try:
            yield self
        finally:
            await runner.cleanup()


async def start_replica(settings, emulator, port: int, balancer: Balancer) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "DATABASE_URL": settings.postgres_url,
        "DATABASE_PATH": str(settings.database_path),  # unused: DATABASE_URL wins
        "SEEDS_DIR": str(settings.seeds_dir),
        "TOPICS_FILE": str(ROOT / "config" / "topics.yaml"),
        "MODE": "webhook", "PORT": str(port), "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_URL": f"http://127.0.0.1:{balancer.port}/hook", "WEBHOOK_SECRET": SECRET,
        "DELIVERY_CONCURRENCY": str(CONCURRENCY),
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )


async def listening(port: int, process: asyncio.subprocess.Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise AssertionError(f"replica exited: {(await process.stderr.read()).decode()[-2000:]}")
        try:
            async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                if answer.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"replica on port {port} did not come up")


@asynccontextmanager
async def two_replicas(settings, emulator):
    ports = [free_port(), free_port()]
    balancer = Balancer(ports)
    async with balancer.running():
        processes = []
        try:
            for port in ports:
                processes.append(await start_replica(settings, emulator, port, balancer))
            for port, process in zip(ports, processes):
                await listening(port, process)
            yield balancer, processes
        finally:
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def subscribe_readers(settings, emulator, count: int) -> list[int]:
    users = [FIRST_USER + i for i in range(count)]
    for user_id in users:
        emulator.world.private_chat(emulator.make_user(user_id, f"Reader {user_id}"))
    services = await open_services(settings)
    try:
        for user_id in users:
            await services.chats.ensure(user_id, "private", f"Reader {user_id}", "ru")
            await services.chats.subscribe(user_id, ["energy"])
    finally:
        await services.close()
    return users


def received(emulator, users: list[int]) -> collections.Counter:
    return collections.Counter({user: len(emulator.messages_in(user)) for user in users})


def too_many_requests(emulator) -> list:
    return [call for call in emulator.errors if call.error_code == 429]


async def test_a_replica_killed_mid_broadcast_loses_nothing_and_doubles_at_most_its_sends_in_flight(
    pg_settings, emulator, seeds_dir
) -> None:
    users = await subscribe_readers(pg_settings, emulator, SUBSCRIBERS)
    async with two_replicas(pg_settings, emulator) as (balancer, (first, second)):
        # an editor publishes through the seeds, as a reload on any replica would
        services = await open_services(pg_settings)
        try:
            add_snippet(seeds_dir, "energy", "Рассылка двух реплик")
            await services.intake.reload_seeds()
            assert (await services.outbox.stats()).pending == SUBSCRIBERS
        finally:
            await services.close()
        await emulator.wait_for(lambda: sum(received(emulator, users).values()) >= 60, timeout=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        before = sum(received(emulator, users).values())
        assert before < SUBSCRIBERS  # really cut off mid-broadcast

        # a reader is answered while one replica is dead: the balancer passes the dead one over
        reader = emulator.make_user(99_001, "Reader", language_code="ru")
        update = emulator.send_text(reader, "/energy")
        assert await emulator.post_to_webhook(update) == 200
        (answer,) = await emulator.wait_for_messages(reader["id"], count=1, timeout=30)
        assert answer["text"].startswith("⚡ Энергетика")

        await emulator.wait_for(lambda: all(received(emulator, users).values()), timeout=120)
        await asyncio.sleep(1)  # sends in flight at the end land before counting
    counts = received(emulator, users)
    assert all(counts[user] >= 1 for user in users)
    doubled = [user for user in users if counts[user] > 1]
    assert len(doubled) <= CONCURRENCY, doubled
    assert max(counts.values()) <= 2
    assert too_many_requests(emulator) == []


async def test_a_digest_due_is_sent_once_by_two_replicas(pg_settings, emulator, seeds_dir) -> None:
    [user] = await subscribe_readers(pg_settings, emulator, 1)
    services = await open_services(pg_settings)
    try:
        await services.chats.set_digest(user, "07:15")
        await services.chats.set_instant(user, False)  # the digest only
        add_snippet(seeds_dir, "energy", "Для дайджеста двух реплик")
        await services.intake.reload_seeds()
    finally:
        await services.close()
    async with database_of(pg_settings) as db:
        await db.execute("UPDATE chats SET next_digest_at = ? WHERE id = ?", (time.time() - 60, user))
    async with two_replicas(pg_settings, emulator):
        def digests() -> list:
            return [m for m in emulator.messages_in(user) if "Дайджест" in m["text"]]

        await emulator.wait_for(lambda: digests(), timeout=60)
        async with database_of(pg_settings) as db:
            (pending,), = await db.execute_fetchall(
                "SELECT COUNT(*) FROM deliveries WHERE chat_id = ? AND status = 'pending'", (user,))
            (queued,), = await db.execute_fetchall(
                "SELECT COUNT(*) FROM deliveries WHERE chat_id = ? AND kind = 'digest'", (user,))
        assert (pending, queued) == (0, 1)
    assert len(digests()) == 1
    assert too_many_requests(emulator) == []
