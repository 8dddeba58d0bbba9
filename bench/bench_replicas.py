"""Replicas benchmark (issue #25, "Measured"): one `python -m bot` on SQLite (the reference)
against one and two on PostgreSQL, run as an operator runs them.

    .venv/bin/python bench/bench_replicas.py                     # everything, two to three minutes
    .venv/bin/python bench/bench_replicas.py --only burst --bursts 5
    .venv/bin/python bench/bench_replicas.py --subscribers 2000 --only paid --only failover

Every setup is real processes on 127.0.0.1: the Bot API emulator (bench/emulator_process.py),
`python -m bot` in webhook mode (`MODE=webhook`, each replica its own `PORT`, settings as
environment variables only, see bench/harness.py) behind a small round-robin balancer run by
this driver, and PostgreSQL (`--admin-url`, default the local server as user postgres). The
three setups: `sqlite ×1` (DATABASE_PATH), `postgres ×1` and `postgres ×2` (DATABASE_URL). All
three go through the same balancer, so the difference is the database and the replica count.
Two replicas get 2 heartbeats (5 s) after they answer before anything is measured: a replica
that starts beside a live one sends nothing until the others have heard of it.

1. **Burst.** The emulator's flood limits off, the bot with MAX_SEND_RATE=100000 (as behind a
   local Bot API server; bench_core's burst): 2,000 users (--chats) each send /energy at once,
   posted to the balancer up to 40 at a time as Telegram posts webhooks; replies per second
   until every user has had an answer. A warm-up burst, then --bursts timed ones; the median.
2. **Paid broadcast.** The emulator enforces Telegram's own limits (30/s free, 1/s per private
   chat, 1,000 paid messages/s); N private chats (--subscribers) subscribed before the bots
   start; PAID_BROADCAST=true; an owner's /reload publishes one new snippet (posted to the
   balancer); rate = N / (first → last delivery), as bench_delivery.py --paid measures it.
3. **Failover.** As 2 with two PostgreSQL replicas; once --kill-after of the chats have had the
   message, the first replica gets SIGKILL. Measured from that moment: the next delivery the
   emulator accepts (the other replica's), the first delivery into a chat the dead replica had
   claimed (it waits for the claim's lease), the end of the broadcast; chats that got it twice.

The script makes its own database (`bench_replicas_<pid>`), afresh for every PostgreSQL setup,
and drops it at the end; each wait is bounded, and the whole run stops after --timeout seconds.
Prints Markdown tables, then one JSON line with every figure. Ratios are to `sqlite ×1` measured
in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import psycopg
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_delivery import FIRST_SUBSCRIBER, OWNER, peak_per_second  # noqa: E402
from bench.harness import (  # noqa: E402
    LIFTED, TOKEN, WEBHOOK_SECRET, Emulator, bot_env, burst, control, emulator_process, free_port, peak_rss_mb,
)
from bot.app import open_services  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.storage.database import transaction  # noqa: E402
from bot.storage.postgres.coordination import HEARTBEAT, LEASE, LIVE_FOR  # noqa: E402
from tests.publishing import add_snippet  # noqa: E402

PAID_RATE = 1000.0  # the emulator's paid limit: Telegram's


@dataclass(frozen=True)
class Setup:
    name: str
    postgres: bool
    replicas: int


SETUPS = (Setup("sqlite ×1", False, 1), Setup("postgres ×1", True, 1), Setup("postgres ×2", True, 2))


class Database:
    """The benchmark's own PostgreSQL database: made afresh for each setup, dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.name = f"bench_replicas_{os.getpid()}"
        self.url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{self.name}"))

    def fresh(self) -> str:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Balancer:
    """Round robin over the replicas' webhook ports (as tests/test_replicas.py's), with one
    pooled HTTP session; a replica that does not answer is passed over for the next."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = 0
        self.port = free_port()
        self.http: aiohttp.ClientSession | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        headers["Content-Type"] = "application/json"
        for _ in range(len(self.ports)):
            port = self.ports[self.turn % len(self.ports)]
            self.turn += 1
            try:
                async with self.http.post(f"http://127.0.0.1:{port}{request.path}", data=body, headers=headers,
                                          timeout=aiohttp.ClientTimeout(total=30)) as answer:
                    return web.Response(status=answer.status, body=await answer.read())
            except (aiohttp.ClientError, TimeoutError):
                continue
        return web.Response(status=502)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Balancer]:
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        try:
            yield self
        finally:
            await runner.cleanup()
            await self.http.close()


async def listening(port: int, process: asyncio.subprocess.Process, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"replica exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"replica on port {port} did not come up in {timeout:.0f} s")


@asynccontextmanager
async def replicas(emulator: Emulator, workdir: Path, count: int, database_url: str | None,
                   settings: dict[str, str]) -> AsyncIterator[tuple[dict, list[asyncio.subprocess.Process], dict]]:
    """`count` × `python -m bot` in webhook mode, same settings but PORT, behind a balancer;
    yields (the webhook the emulator posts to, the processes, their stats once stopped)."""
    if not (workdir / "seeds").exists():
        shutil.copytree(ROOT / "seeds", workdir / "seeds")
    ports = [free_port() for _ in range(count)]
    balancer = Balancer(ports)
    stats: dict = {"peak_rss_mb": []}
    async with balancer.running():
        processes: list[asyncio.subprocess.Process] = []
        logs = []
        try:
            for index, port in enumerate(ports):
                env = bot_env(emulator, workdir, settings)
                env.update(MODE="webhook", PORT=str(port), WEBHOOK_LISTEN="127.0.0.1",
                           WEBHOOK_URL="https://bench.example.org/hook", WEBHOOK_SECRET=WEBHOOK_SECRET)
                if database_url:
                    env["DATABASE_URL"] = database_url
                log = workdir / f"replica-{index}.log"
                logs.append(log)
                with open(log, "wb") as out:
                    processes.append(await asyncio.create_subprocess_exec(
                        sys.executable, "-m", "bot", env=env, cwd=workdir, stdout=out, stderr=asyncio.subprocess.STDOUT))
            for port, process, log in zip(ports, processes, logs):
                await listening(port, process, log)
            await control(emulator, "ready", {})
            if count > 1:
                # a replica that started beside a live one delivers only once the others have
                # heard of it (its second heartbeat): measure replicas that have settled, as a
                # deployment's have, not their first seconds
                await asyncio.sleep(2 * HEARTBEAT + 1)
            yield {"url": f"http://127.0.0.1:{balancer.port}/hook", "secret": WEBHOOK_SECRET}, processes, stats
        finally:
            for process in processes:
                stats["peak_rss_mb"].append(peak_rss_mb(process.pid) if process.returncode is None else None)
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def subscribe(workdir: Path, subscribers: int, topic: str, database_url: str | None) -> None:
    """seeds/ and the database (the SQLite file in `workdir`, or `database_url`) with N private
    chats subscribed to `topic`, made before the bots start (as bench_delivery.prepare)."""
    shutil.copytree(ROOT / "seeds", workdir / "seeds")
    settings = Settings(_env_file=None, bot_token=TOKEN, telegram_base_url="http://127.0.0.1:9/bot",
                        database_path=workdir / "bench.db", database_url=database_url, seeds_dir=workdir / "seeds",
                        topics_file=ROOT / "config" / "topics.yaml")
    services = await open_services(settings)
    try:
        now = "2025-01-01T00:00:00+00:00"
        ids = range(FIRST_SUBSCRIBER, FIRST_SUBSCRIBER + subscribers)
        async with transaction(services.db) as db:
            await db.executemany(
                "INSERT INTO chats (id, type, title, language, timezone, created_at, updated_at) "
                "VALUES (?, 'private', 'S', 'ru', ?, ?, ?)",
                [(chat_id, settings.default_timezone, now, now) for chat_id in ids])
            await db.executemany("INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, ?)",
                                 [(chat_id, topic, now) for chat_id in ids])
    finally:
        await services.close()


async def until_delivered(emulator: Emulator, chats: int, timeout: float, stall: float = 30.0) -> dict:
    """Polls the emulator until `chats` watched chats have had a message, or nothing new came
    for `stall` s, or `timeout` s passed; returns the last count."""
    deadline, progress_at, last = time.monotonic() + timeout, time.monotonic(), -1
    while True:
        seen = await control(emulator, "delivered", {})
        if seen["chats"] >= chats or time.monotonic() > deadline or time.monotonic() - progress_at > stall:
            return seen
        if seen["accepted"] != last:
            last, progress_at = seen["accepted"], time.monotonic()
        await asyncio.sleep(0.05)


async def outbox_drained(url: str, timeout: float) -> bool:
    """Waits (bounded) until no delivery is pending in the database."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
            (pending,), = await (await connection.execute(
                "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'")).fetchall()
        if not pending:
            return True
        await asyncio.sleep(0.2)
    return False


async def measure_burst(setup: Setup, database: Database, chats: int, warmup: int, bursts: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = database.fresh() if setup.postgres else None
        async with emulator_process() as emulator:
            async with replicas(emulator, Path(tmp), setup.replicas, url, dict(LIFTED)) as (webhook, _, stats):
                await burst(emulator, warmup, webhook=webhook)
                runs = [await burst(emulator, chats, webhook=webhook) for _ in range(bursts)]
    rates = [run.rate for run in runs]
    latencies = sorted(latency for run in runs for latency in run.latencies_ms)
    return {
        "setup": setup.name, "chats": chats, "bursts": bursts,
        "replies_per_s": round(statistics.median(rates), 1), "each_burst": [round(rate, 1) for rate in rates],
        "latency_p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else None,
        "latency_p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1) if latencies else None,
        "answered": [len(run.latencies_ms) for run in runs], "refused": runs[-1].refused,
        "peak_rss_mb": stats["peak_rss_mb"],
    }


@asynccontextmanager
async def paid_broadcast(setup: Setup, database: Database, subscribers: int, topic: str,
                         ) -> AsyncIterator[tuple[Emulator, dict, list[asyncio.subprocess.Process], Path]]:
    """Subscribers made, the emulator with Telegram's limits on, the replicas up with
    PAID_BROADCAST=true; yields before anything is published."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = database.fresh() if setup.postgres else None
        await subscribe(workdir, subscribers, topic, url)
        async with emulator_process(flood_scale=1.0, paid_rate=PAID_RATE) as emulator:
            await control(emulator, "users", {"first_id": FIRST_SUBSCRIBER, "count": subscribers})
            settings = {"ADMIN_IDS": str(OWNER), "PAID_BROADCAST": "true"}
            async with replicas(emulator, workdir, setup.replicas, url, settings) as (webhook, processes, _):
                await burst(emulator, 10, webhook=webhook)  # warm up: first replies
                yield emulator, webhook, processes, workdir


async def publish(emulator: Emulator, webhook: dict, workdir: Path, topic: str) -> dict:
    """An owner's /reload (posted to the balancer) after a new snippet joined the seeds."""
    add_snippet(workdir / "seeds", topic)
    return await control(emulator, "say", {"user_id": OWNER, "text": "/reload", "webhook": webhook})


def broadcast_figures(report: dict, subscribers: int) -> dict:
    times = report["times"]
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    by_messages = {int(k): v for k, v in report["chats_by_messages"].items()}
    return {
        "subscribers": subscribers, "broadcast_seconds": round(span, 2),
        "rate": round(subscribers / span, 1) if span > 0 else None,
        "rate_to_limit": round(subscribers / span / PAID_RATE, 3) if span > 0 else None,
        "peak_per_second": peak_per_second(report["all_message_times"]),
        "too_many_requests": report["too_many_requests"], "lost": by_messages.get(0, 0),
        "twice": sum(v for k, v in by_messages.items() if k > 1), "paid_flagged": report["paid_flagged"],
        "refused_other": report["refused_other"],
    }


async def measure_paid(setup: Setup, database: Database, subscribers: int, topic: str) -> dict:
    async with paid_broadcast(setup, database, subscribers, topic) as (emulator, webhook, _, workdir):
        await publish(emulator, webhook, workdir, topic)
        await until_delivered(emulator, subscribers, timeout=subscribers / 100 + 60)
        await asyncio.sleep(1)  # sends in flight at the end land before counting
        report = await control(emulator, "deliveries", {})
    return {"setup": setup.name, **broadcast_figures(report, subscribers)}


async def measure_failover(database: Database, subscribers: int, topic: str, kill_after: float) -> dict:
    setup = SETUPS[2]
    async with paid_broadcast(setup, database, subscribers, topic) as (emulator, webhook, processes, workdir):
        await publish(emulator, webhook, workdir, topic)
        before = await until_delivered(emulator, int(subscribers * kill_after), timeout=60)
        killed_at = time.time()
        processes[0].send_signal(signal.SIGKILL)
        await processes[0].wait()
        with psycopg.connect(database.url, autocommit=True) as connection:
            held = connection.execute(
                "SELECT claimed_by, chat_id FROM deliveries WHERE status = 'pending' AND claimed_until > %s",
                (killed_at,)).fetchall()
        await until_delivered(emulator, subscribers, timeout=LEASE + subscribers / 100 + 60)
        # every chat has had it; what the dead replica held is sent again once its lease ends
        drained = await outbox_drained(database.url, timeout=LEASE + 30)
        await asyncio.sleep(1)
        report = await control(emulator, "deliveries", {"per_chat": True})
        with psycopg.connect(database.url, autocommit=True) as connection:
            seen = dict(connection.execute("SELECT id, seen_at FROM replicas").fetchall())
    # the dead replica: the one whose heartbeat stopped (the other's went on to the end)
    dead = min(seen, key=seen.get) if seen else None
    dead_chats = {chat for replica, chat in held if replica == dead}
    arrivals = {int(chat): times for chat, times in report["arrivals"].items()}
    after = sorted(t for times in arrivals.values() for t in times if t > killed_at)
    # the other replica's: into chats the dead one did not hold (a send of the dead one that
    # reached the emulator between `killed_at` and the signal was not recorded: its chat is held)
    others = sorted(t for chat, times in arrivals.items() if chat not in dead_chats for t in times if t > killed_at)
    # sent again once the lease ran out (not the dead replica's own sends landing at the kill)
    taken_over = sorted(t for chat in dead_chats for t in arrivals.get(chat, []) if t > killed_at + 1.0)
    twice = [chat for chat, times in arrivals.items() if len(times) > 1]

    def rate(lo: float, hi: float) -> float | None:
        all_times = report["times"]
        return round(sum(lo <= t < hi for t in all_times) / (hi - lo), 1) if hi > lo else None

    first = report["times"][0] if report["times"] else killed_at
    own_end = max((t for chat, times in arrivals.items() if chat not in dead_chats for t in times), default=killed_at)
    # deliveries per half second, from 2 s before the kill
    start = killed_at - 2.0
    timeline = [0] * (int(((after[-1] if after else killed_at) - start) / 0.5) + 1)
    for t in report["times"]:
        if t >= start:
            timeline[int((t - start) / 0.5)] += 1
    return {
        **broadcast_figures(report, subscribers),
        "delivered_at_kill": before["chats"],
        "kill_to_next_delivery_ms": round((others[0] - killed_at) * 1000, 1) if others else None,
        "dead_replica_claims": len(dead_chats),
        "kill_to_first_of_dead_claims_s": round(taken_over[0] - killed_at, 2) if taken_over else None,
        "kill_to_last_delivery_s": round(after[-1] - killed_at, 2) if after else None,
        "twice_of_dead_claims": sum(chat in dead_chats for chat in twice),
        "rate_before_kill": rate(first, killed_at),
        "rate_first_live_for_s_after": rate(killed_at, killed_at + LIVE_FOR),
        # the survivor once it counts itself alone (its share of the rate is then all of it),
        # up to its last delivery that was not one the dead replica held
        "rate_alone": rate(killed_at + LIVE_FOR, own_end) if own_end - killed_at > LIVE_FOR + 1 else None,
        "lease_s": LEASE, "live_for_s": LIVE_FOR, "outbox_drained": drained,
        "per_half_second_from_2s_before_kill": timeline,
    }


def ratio(value: float | None, reference: float | None) -> str:
    return f"{value / reference:.2f}" if value and reference else "—"


def tables(result: dict) -> str:
    out = []
    if result.get("burst"):
        reference = result["burst"][0]["replies_per_s"]
        out += [f"Burst: {result['burst'][0]['chats']:,} users each send /energy at once "
                f"(median of {result['burst'][0]['bursts']} bursts)", "",
                "| setup | replies/s | ratio to sqlite ×1 | each burst | p50 / p99 latency | refused | peak memory |",
                "|---|---|---|---|---|---|---|"]
        for row in result["burst"]:
            out.append(f"| {row['setup']} | {row['replies_per_s']:.0f} | {ratio(row['replies_per_s'], reference)} | "
                       f"{', '.join(f'{r:.0f}' for r in row['each_burst'])} | {row['latency_p50_ms']} / "
                       f"{row['latency_p99_ms']} ms | {row['refused']} | "
                       f"{' + '.join(f'{m}' for m in row['peak_rss_mb'])} MB |")
        out.append("")
    if result.get("paid"):
        reference = result["paid"][0]["rate"]
        out += [f"Paid broadcast: {result['paid'][0]['subscribers']:,} subscribers, the emulator's paid limit "
                f"{PAID_RATE:.0f}/s", "",
                "| setup | msg/s | ratio to sqlite ×1 | to the limit | most in 1 s | 429 | lost | twice |",
                "|---|---|---|---|---|---|---|---|"]
        for row in result["paid"]:
            out.append(f"| {row['setup']} | {row['rate']} | {ratio(row['rate'], reference)} | {row['rate_to_limit']} | "
                       f"{row['peak_per_second']} | {row['too_many_requests']} | {row['lost']} | {row['twice']} |")
        out.append("")
    if result.get("failover"):
        f = result["failover"]
        out += [f"Failover: postgres ×2, paid broadcast to {f['subscribers']:,}, one replica SIGKILLed after "
                f"{f['delivered_at_kill']:,} chats had it", "", "| measure | result |", "|---|---|",
                f"| kill → next delivery (the other replica) | {f['kill_to_next_delivery_ms']} ms |",
                f"| deliveries the dead replica had claimed | {f['dead_replica_claims']} |",
                f"| kill → first of those delivered (lease {f['lease_s']:.0f} s) | {f['kill_to_first_of_dead_claims_s']} s |",
                f"| kill → last delivery | {f['kill_to_last_delivery_s']} s |",
                f"| msg/s: both replicas before the kill / the survivor's first {f['live_for_s']:.0f} s (half the rate "
                f"its share) / after, alone | {f['rate_before_kill']} / {f['rate_first_live_for_s_after']} / "
                f"{f['rate_alone']} |",
                f"| chats that got it twice (of them the dead replica's) / lost / 429 | {f['twice']} "
                f"({f['twice_of_dead_claims']}) / {f['lost']} / {f['too_many_requests']} |", ""]
    return "\n".join(out)


def loopback_only(url: str) -> str:
    host = urlsplit(url).hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local:
        raise SystemExit(f"--admin-url must point at this machine (127.0.0.1), not {host!r}")
    return url


async def run(args: argparse.Namespace) -> dict:
    database = Database(args.admin_url)
    parts = set(args.only or ("burst", "paid", "failover"))
    result: dict = {"date": time.strftime("%Y-%m-%d"), "args": {k: v for k, v in vars(args).items() if k != "admin_url"}}
    try:
        if "burst" in parts:
            result["burst"] = [await measure_burst(s, database, args.chats, args.warmup, args.bursts) for s in SETUPS]
        if "paid" in parts:
            result["paid"] = [await measure_paid(s, database, args.subscribers, args.topic) for s in SETUPS]
        if "failover" in parts:
            result["failover"] = await measure_failover(database, args.subscribers, args.topic, args.kill_after)
    finally:
        database.drop()
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin-url", type=loopback_only, default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL database to connect to while creating and dropping the benchmark's own")
    parser.add_argument("--only", action="append", choices=("burst", "paid", "failover"))
    parser.add_argument("--chats", type=int, default=2000, help="users in a burst")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--bursts", type=int, default=3, help="timed bursts per setup (the median is reported)")
    parser.add_argument("--subscribers", type=int, default=5000, help="chats a paid broadcast reaches")
    parser.add_argument("--topic", default="energy")
    parser.add_argument("--kill-after", type=float, default=0.2, help="share of chats served before the SIGKILL")
    parser.add_argument("--timeout", type=float, default=900, help="seconds the whole run may take")
    args = parser.parse_args()
    result = await asyncio.wait_for(run(args), args.timeout)
    print(tables(result))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
