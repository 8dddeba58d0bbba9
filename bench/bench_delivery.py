"""Delivery benchmark (issue #3, point 10; paid broadcasts, issue #14): one new snippet
broadcast to N subscribers, by `python -m bot` configured as a deployment would be.

    .venv/bin/python bench/bench_delivery.py                    # 10,000 subscribers, free limits ×10
    .venv/bin/python bench/bench_delivery.py --subscribers 2000 --scale 10   # a quicker run
    .venv/bin/python bench/bench_delivery.py --paid              # PAID_BROADCAST=true, 10,000 subscribers

Free (the default): Telegram's limits scaled up so the run is short: the emulator (its own
process) enforces them ×SCALE (30×SCALE messages/s overall, 1×SCALE per private chat), and the
bot runs with MAX_SEND_RATE=28×SCALE. Paid (--paid): the emulator enforces Telegram's own free
limits (30/s overall, 1/s per private chat) and 1000 paid messages/s (--paid-rate), the bot runs
with PAID_BROADCAST=true and MAX_SEND_RATE at its default 28; the limit the rate is compared to
is the emulator's paid limit. Steps:

1. A database with N private chats subscribed to one topic, made here before the bot starts;
   the emulator knows the N users, their chats open (as after /start).
2. `python -m bot` starts with nothing to deliver; a probe user (a fresh one each time, never a
   subscriber) sends /energy every ~100 ms and times the reply: the idle latency.
3. A new snippet on that topic is added to the bot's seeds and an owner (ADMIN_IDS) sends
   /reload, as an operator does; it queues the deliveries in the publishing transaction and
   wakes the sender. Probing goes on until every subscriber has had a message: the latency
   during the broadcast (probes sent between the first and the last delivery).
4. From what the emulator accepted: the achieved rate, N / (last − first delivery), as a ratio
   to the limit (target ≥ 0.95 free, ≥ 0.9 paid), 429s (target 0), subscribers who got nothing
   (lost, target 0) or the same text twice (duplicates), deliveries that carried
   allow_paid_broadcast; the bot's peak memory. The table adds the rate in the middle 80% of
   the broadcast (no opening burst), deliveries alone and all messages.
Prints a Markdown table, then one JSON line with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import burst, control, emulator_process, python_m_bot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.app import open_services  # noqa: E402
from bot.storage.database import transaction  # noqa: E402
from tests.publishing import add_snippet  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
FIRST_SUBSCRIBER = 10_000_000  # user ids apart from the emulator's burst and probe users
OWNER = 42  # ADMIN_IDS: sends /reload
EMULATOR_OVERALL_RATE, EMULATOR_OVERALL_BURST = 30.0, 30  # tests/emulator/limits.py, before scaling
EMULATOR_PAID_BURST = 100  # tests/emulator/limits.py


async def prepare(workdir: Path, subscribers: int, topic: str) -> float:
    """seeds/ and bench.db in `workdir` as bench/bot_process.py expects them, with N private
    chats subscribed to `topic`. Returns seconds taken. Closes the database (the bot takes it)."""
    started = time.perf_counter()
    seeds = workdir / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    settings = Settings(_env_file=None, bot_token=TOKEN, telegram_base_url="http://127.0.0.1:9/bot",
                        database_path=workdir / "bench.db", seeds_dir=seeds,
                        topics_file=ROOT / "config" / "topics.yaml")
    services = await open_services(settings)
    try:
        assert services.catalogue.by_slug(topic) is not None, f"no topic {topic!r}"
        now = "2025-01-01T00:00:00+00:00"
        ids = range(FIRST_SUBSCRIBER, FIRST_SUBSCRIBER + subscribers)
        async with transaction(services.db) as db:
            await db.executemany(
                "INSERT INTO chats (id, type, title, language, timezone, created_at, updated_at) "
                "VALUES (?, 'private', 'S', 'ru', ?, ?, ?)",
                [(chat_id, settings.default_timezone, now, now) for chat_id in ids],
            )
            await db.executemany(
                "INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, ?)",
                [(chat_id, topic, now) for chat_id in ids],
            )
    finally:
        await services.close()
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def peak_per_second(times: list[float]) -> int:
    """The most messages accepted in any one-second window."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def outbox_at_end(database: Path) -> dict:
    """The outbox once the bot has stopped, read from its database file."""
    with sqlite3.connect(database) as db:
        counts = dict(db.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status").fetchall())
        (paid,), = db.execute("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'paid_messages'").fetchall()
    return {"pending": counts.get("pending", 0), "sent": counts.get("sent", 0), "failed": counts.get("failed", 0),
            "paid_recorded": paid}


async def run(subscribers: int, scale: float, topic: str, idle_probes: int, interval: float,
              profile: str | None = None, paid: bool = False, paid_rate: float = 1000.0,
              settings: dict[str, str] | None = None) -> dict:
    env = {"ADMIN_IDS": str(OWNER), **(settings or {})}
    if paid:
        scale = 1.0  # Telegram's own free limits; the paid limit is not scaled
        env["PAID_BROADCAST"] = "true"
        limit = paid_rate
    else:
        env["MAX_SEND_RATE"] = f"{28.0 * scale:g}"
        limit = 28.0 * scale
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        prepare_seconds = await prepare(workdir, subscribers, topic)
        async with emulator_process(flood_scale=scale, paid_rate=paid_rate) as emulator:
            await control(emulator, "users", {"first_id": FIRST_SUBSCRIBER, "count": subscribers})
            async with python_m_bot(emulator, workdir, env, profile) as (_bot, stats):
                await burst(emulator, 20)  # warm up
                idle = await control(emulator, "probe", {"count": idle_probes, "interval": interval})
                add_snippet(workdir / "seeds", topic)
                probing = asyncio.create_task(control(emulator, "probe", {
                    "until_delivered": True, "interval": interval, "stall": 30, "timeout": 900}))
                reload = await control(emulator, "say", {"user_id": OWNER, "text": "/reload"})  # the broadcast begins
                during = await probing
                report = await control(emulator, "deliveries", {})
        outbox = outbox_at_end(workdir / "bench.db")
    times = report["times"]
    first, last = (times[0], times[-1]) if times else (float("nan"),) * 2
    span = last - first
    rate = len(times) / span if span > 0 else float("nan")
    # the same without the opening burst (the bucket's spare slots, all at once) and the tail:
    # messages in the middle 80% of the broadcast's time, per second
    lo, hi = first + 0.1 * span, last - 0.1 * span
    middle = sum(lo <= t <= hi for t in times) / (hi - lo) if span > 0 else float("nan")
    # every message the bot sent in that time, the probes' replies included
    total = sum(lo <= t <= hi for t in report["all_message_times"]) / (hi - lo) if span > 0 else float("nan")
    idle_ms = [latency for _, latency in idle["probes"]]
    during_ms = [latency for sent, latency in during["probes"] if first <= sent <= last]
    by_messages = {int(k): v for k, v in report["chats_by_messages"].items()}
    result = {
        "subscribers": subscribers,
        "mode": "paid" if paid else "free",
        "scale": scale,
        "settings": env,
        "configured_rate": limit,
        "emulator_rate": paid_rate if paid else EMULATOR_OVERALL_RATE * scale,
        "accepted": report["accepted"],
        "paid_flagged": report["paid_flagged"],
        "paid_counted_by_emulator": report["paid_messages"],
        "broadcast_seconds": round(span, 2),
        "rate": round(rate, 1),
        "rate_ratio": round(rate / limit, 3),
        "sustained_rate": round(middle, 1),
        "sustained_ratio": round(middle / limit, 3),
        "total_rate": round(total, 1),
        "total_ratio": round(total / limit, 3),
        "peak_per_second": peak_per_second(report["all_message_times"]),
        "emulator_burst": EMULATOR_PAID_BURST if paid else EMULATOR_OVERALL_BURST * scale,
        "publish_seconds": round(reload["replied_at"] - reload["sent_at"], 3),
        "publish_to_first_delivery_s": round(first - reload["sent_at"], 3) if times else None,
        "too_many_requests": report["too_many_requests"],
        "lost": by_messages.get(0, 0),
        "duplicates": report["doubled"],
        "chats_by_messages": by_messages,
        "refused_other": report["refused_other"],
        "refused_descriptions": report["refused_descriptions"],
        "latency_idle_ms": {"p50": round(statistics.median(idle_ms), 1), "p95": round(percentile(idle_ms, 0.95), 1),
                            "probes": len(idle_ms)},
        "latency_broadcast_ms": {"p50": round(statistics.median(during_ms), 1) if during_ms else None,
                                 "p95": round(percentile(during_ms, 0.95), 1), "probes": len(during_ms),
                                 "max": round(max(during_ms), 1) if during_ms else None},
        "peak_rss_mb": stats.get("peak_rss_mb"),
        "outbox": outbox,
        "prepare_seconds": round(prepare_seconds, 2),
    }
    idle_lat, busy_lat = result["latency_idle_ms"], result["latency_broadcast_ms"]
    result["latency_ratio_p50"] = round(busy_lat["p50"] / idle_lat["p50"], 2) if busy_lat["p50"] else None
    result["latency_ratio_p95"] = round(busy_lat["p95"] / idle_lat["p95"], 2) if during_ms else None
    return result


def table(r: dict) -> str:
    idle, busy = r["latency_idle_ms"], r["latency_broadcast_ms"]
    rows = [
        ("subscribers (one new snippet each)", f"{r['subscribers']:,}", "—"),
        ("`python -m bot` settings", " ".join(f"{k}={v}" for k, v in r["settings"].items()), "—"),
        ("limits: bot configured / emulator enforces" + (" (paid)" if r["mode"] == "paid" else ""),
         f"{r['configured_rate']:.0f} / {r['emulator_rate']:.0f} msg/s"
         + ("" if r["mode"] == "paid" else f" (×{r['scale']:g})"), "—"),
        ("broadcast: first → last delivery", f"{r['broadcast_seconds']:.1f} s", "—"),
        ("achieved rate, N / (last − first)", f"{r['rate']:.1f} msg/s = {r['rate_ratio']:.3f} of limit",
         "≥ 0.9" if r["mode"] == "paid" else "≥ 0.95"),
        ("… in the middle 80% of that time (no opening burst)",
         f"{r['sustained_rate']:.1f} msg/s = {r['sustained_ratio']:.3f} of limit", "—"),
        ("… all the bot's messages then (probe replies too)",
         f"{r['total_rate']:.1f} msg/s = {r['total_ratio']:.3f} of limit", "—"),
        ("most messages in any 1 s (opening burst included)", f"{r['peak_per_second']}",
         f"≤ {r['emulator_rate'] + r['emulator_burst']:.0f} (emulator's rate + burst)"),
        ("/reload (queue N) → its reply; → first delivery",
         f"{r['publish_seconds']} s; {r['publish_to_first_delivery_s']} s", "—"),
        ("429 Too Many Requests", f"{r['too_many_requests']}", "0"),
        ("deliveries with allow_paid_broadcast / paid counted: emulator, bot's /deliveries",
         f"{r['paid_flagged']:,} / {r['paid_counted_by_emulator']:,}, {r['outbox']['paid_recorded']:,}",
         "all N" if r["mode"] == "paid" else "0"),
        ("lost (subscribers with no message)", f"{r['lost']}", "0"),
        ("duplicates (subscribers who got the same text twice)", f"{r['duplicates']}", "0"),
        ("subscribers by messages received", json.dumps(r["chats_by_messages"]), "—"),
        ("other refused calls", f"{r['refused_other']}", "0"),
        ("reply latency idle, p50 / p95", f"{idle['p50']:.1f} / {idle['p95']:.1f} ms ({idle['probes']} probes)", "—"),
        ("reply latency during broadcast, p50 / p95",
         f"{busy['p50']} / {busy['p95']} ms ({busy['probes']} probes, max {busy['max']})", "—"),
        ("latency ratio broadcast / idle, p50 / p95", f"{r['latency_ratio_p50']} / {r['latency_ratio_p95']}", "—"),
        ("bot's peak memory (RSS)", f"{r['peak_rss_mb']} MB", "—"),
        ("outbox at the end", json.dumps(r["outbox"]), "pending 0"),
    ]
    lines = ["| measure | result | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=10.0, help="Telegram's limits × this, bot and emulator")
    parser.add_argument("--topic", default="energy")
    parser.add_argument("--idle-probes", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between probes")
    parser.add_argument("--paid", action="store_true", help="PAID_BROADCAST=true against the emulator's paid limit")
    parser.add_argument("--paid-rate", type=float, default=1000.0, help="the emulator's paid limit (Telegram's 1000/s)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="another setting for python -m bot, e.g. --set DELIVERY_CONCURRENCY=32")
    parser.add_argument("--profile", help="record the bot with py-spy into this SVG (to find hot spots)")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    result = await run(args.subscribers, args.scale, args.topic, args.idle_probes, args.interval,
                       str(Path(args.profile).resolve()) if args.profile else None, args.paid, args.paid_rate, settings)
    print(table(result))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
