"""Fast-path benchmark (issue: answer topic commands ≥ 2.5× a default python-telegram-bot bot).

    .venv/bin/pip install -e '.[bench]'          # aiogram, for the reference bot only
    .venv/bin/python bench/bench_fast_path.py    # ~2 minutes; --chats/--rounds to change

The load: N users each send /energy once, all queued at once, into a Bot API emulator running
in its own process (flood limits off). Each bot runs in its own process too. Measured for
  * this project's bot as `python -m bot` with MAX_SEND_RATE=100000 (the overall cap lifted, as
    behind a local Bot API server; per-chat pacing stays, and the N users are N chats),
  * a python-telegram-bot 22 bot with defaults answering a constant text (the reference),
  * an aiogram 3 bot with defaults answering a constant text,
interleaved round by round, so drift in the machine's speed hits all of them alike. Reports
replies/s, reply latency p50/p99 (update queued → reply received by the emulator), each bot's
peak memory and, for the reference bots, how late a 10 ms event-loop timer fired.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Burst, measure  # noqa: E402

KINDS = {
    "full": "this bot, `python -m bot`, MAX_SEND_RATE=100000 (/energy briefing)",
    "ptb-constant": "python-telegram-bot 22, defaults, constant text",
    "aiogram": "aiogram 3, defaults, constant text",
}


def summary(bursts: list[Burst]) -> dict[str, float]:
    return {
        "rate": statistics.median(b.rate for b in bursts),
        "p50": statistics.median(b.percentile(0.5) for b in bursts),
        "p99": statistics.median(b.percentile(0.99) for b in bursts),
        "rss": max(b.peak_rss_mb for b in bursts),
        "lag99": statistics.median(b.loop_lag_p99_ms for b in bursts),
        "lagmax": max(b.loop_lag_max_ms for b in bursts),
        "refused": sum(b.refused for b in bursts),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[Burst]] = {kind: [] for kind in KINDS}
    for _ in range(args.rounds):
        for kind in KINDS:
            results[kind].append(await measure(kind, args.chats))
    stats = {kind: summary(bursts) for kind, bursts in results.items()}
    reference = stats["ptb-constant"]["rate"]
    print(f"{args.chats} chats × 1 command, queued at once; median of {args.rounds} rounds\n")
    print("| bot | replies/s | ratio to PTB default | p50 / p99 latency | peak memory |")
    print("|---|---|---|---|---|")
    for kind, label in KINDS.items():
        s = stats[kind]
        print(f"| {label} | {s['rate']:.0f} | {s['rate'] / reference:.2f} | "
              f"{s['p50']:.0f} / {s['p99']:.0f} ms | {s['rss']:.0f} MB |")
    full = stats["full"]
    print(f"\nthis bot vs aiogram: {full['rate'] / stats['aiogram']['rate']:.2f}× "
          f"(target ≥ 1.5); vs PTB default: {full['rate'] / reference:.2f}× (target ≥ 2.5)")
    print(f"calls the emulator refused: {sum(s['refused'] for s in stats.values())}")


if __name__ == "__main__":
    asyncio.run(main())
