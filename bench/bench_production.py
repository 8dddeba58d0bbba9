"""Production-path benchmark (webhook vs polling; a normal user's latency while another floods).

The bot is `python -m bot` with MAX_SEND_RATE=100000 (the emulator's flood limits are off) and
otherwise its defaults (RATE_LIMIT_REQUESTS=20 per 10 s); webhook mode with MODE=webhook.

    .venv/bin/python bench/bench_production.py

1. Webhook vs polling: the same burst (N users × /energy, all at once) delivered by long
   polling and by webhook (the emulator POSTs each update, up to 40 at a time, as Telegram's
   default max_connections), as replies/s and their ratio.
2. Flood: while one user floods (at 30 and at 2,000 commands/s), other users ask one thing
   each, one after another; their reply latency against the same probes when nobody floods
   (target ≤ 1.5×). Telegram's own clients cannot send much faster than the first rate; the
   second is a scripted attack.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bot_process, burst, control, emulator_process, measure  # noqa: E402

PROBE_INTERVAL = 0.05


async def probe_latencies(flood: int, probes: int, kind: str = "full") -> list[float]:
    async with emulator_process() as emulator:
        async with bot_process(kind, emulator) as (webhook, _stats):
            await burst(emulator, 50, webhook=webhook)  # warm up
            data = await control(emulator, "flood", {"flood": flood, "probes": probes,
                                                     "interval": PROBE_INTERVAL, "webhook": webhook})
    return data["latencies_ms"]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flood-rates", default="30,2000", help="commands/s from the flooding user")
    parser.add_argument("--probes", type=int, default=60)
    args = parser.parse_args()
    polling, webhook = [], []
    for _ in range(args.rounds):
        polling.append(await measure("full", args.chats))
        webhook.append(await measure("full-webhook", args.chats))
    poll_rate = statistics.median(b.rate for b in polling)
    hook_rate = statistics.median(b.rate for b in webhook)
    floods = {}
    for mode in ("full", "full-webhook"):
        idle = await probe_latencies(0, args.probes, mode)
        rows = [(0, statistics.median(idle), idle[int(len(idle) * 0.95) - 1])]
        for rate in (int(r) for r in args.flood_rates.split(",")):
            flooded = await probe_latencies(int(rate * args.probes * PROBE_INTERVAL), args.probes, mode)
            rows.append((rate, statistics.median(flooded), flooded[int(len(flooded) * 0.95) - 1]))
        floods[mode] = rows
    print("| measure | result | target |")
    print("|---|---|---|")
    print(f"| polling, {args.chats} chats at once | {poll_rate:.0f} replies/s | — |")
    print(f"| webhook, same load | {hook_rate:.0f} replies/s | — |")
    print(f"| webhook / polling | {hook_rate / poll_rate:.2f} | — |")
    for mode, rows in floods.items():
        name = "polling" if mode == "full" else "webhook"
        (_zero, idle_p50, idle_p95), *flooded = rows
        print(f"| {name}: normal user's reply latency, idle (p50 / p95) | {idle_p50:.1f} / {idle_p95:.1f} ms | — |")
        for rate, flood_p50, flood_p95 in flooded:
            print(f"| {name}: … while one user sends {rate} commands/s (p50 / p95) | {flood_p50:.1f} / {flood_p95:.1f} ms | — |")
            print(f"| {name}: latency ratio at {rate}/s, flood / idle (p50) | {flood_p50 / idle_p50:.2f} | ≤ 1.5 |")
    print(f"| calls the emulator refused | {sum(b.refused for b in polling + webhook)} | 0 |")


if __name__ == "__main__":
    asyncio.run(main())
