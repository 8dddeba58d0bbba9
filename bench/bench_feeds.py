"""Feed-poll impact on readers: does a poll of 50 new items slow readers' answers?

    .venv/bin/python bench/bench_feeds.py              # ~2-3 min
    .venv/bin/python bench/bench_feeds.py --items 20   # smaller

Runs the bot as users run it (`python -m bot`, configured by environment, against the Bot API
emulator in its own process) with FETCH_ALLOW_PRIVATE=true and a feed served by this driver on
127.0.0.1: 50 items, each an HTML page of about 6,000 characters (bench/generated_articles.py).
In the same run it measures readers' answers (`/energy` from one fresh user at a time, and a
burst of 50 users at once):
  * reference: the same bot, no feed;
  * during the poll: the owner has just sent `/feed add`, the bot fetches and reads the 50 items.
Prints the latencies and their ratios (during / reference), and how long the poll took.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generated_articles import html_page  # noqa: E402
from bench.harness import LIFTED, burst, control, emulator_process, python_m_bot  # noqa: E402

OWNER = 777


class FeedSite:
    def __init__(self, items: int, chars: int) -> None:
        self.pages = {f"/item/{i}": html_page(1000 + i, chars) for i in range(items)}
        self.served: set[str] = set()
        self.port = 0

    def rss(self) -> str:
        entries = "".join(f"<item><title>{headline}</title><link>http://127.0.0.1:{self.port}{path}</link>"
                          f"<guid>{path}</guid></item>" for path, (headline, _page) in self.pages.items())
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Бенч</title>{entries}</channel></rss>'

    async def handle(self, request: web.Request) -> web.Response:
        if request.path == "/rss":
            return web.Response(text=self.rss(), content_type="application/rss+xml")
        found = self.pages.get(request.path)
        if found is None:
            raise web.HTTPNotFound()
        self.served.add(request.path)
        return web.Response(text=found[1], content_type="text/html")

    async def start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return runner


def summary(latencies: list[float]) -> dict[str, float]:
    values = sorted(latencies)
    return {"p50": statistics.median(values), "p90": values[int(len(values) * 0.9)], "max": values[-1]}


async def probes(emulator, count: int, interval: float = 0.2) -> list[float]:
    data = await control(emulator, "probe", {"text": "/energy", "interval": interval, "count": count})
    return [latency for _sent, latency in data["probes"]]


async def run(items: int, chars: int, count: int) -> None:
    site = FeedSite(items, chars)
    runner = await site.start()
    try:
        async with emulator_process() as emulator:
            with tempfile.TemporaryDirectory() as tmp:
                env = {**LIFTED, "ADMIN_IDS": str(OWNER), "FETCH_ALLOW_PRIVATE": "true", "FEED_POLL_SECONDS": "86400"}
                async with python_m_bot(emulator, Path(tmp), env):
                    await burst(emulator, 50)  # warm-up
                    reference = await probes(emulator, count)
                    reference_burst = await burst(emulator, 50)
                    started = time.perf_counter()
                    await control(emulator, "say", {"user_id": OWNER, "text": f"/feed add http://127.0.0.1:{site.port}/rss"})
                    during: list[float] = []
                    bursts = []
                    while len(site.served) < items and time.perf_counter() - started < 900:
                        during += await probes(emulator, 10, interval=0.2)  # readers as they come,
                        bursts.append(await burst(emulator, 50))          # and a crowd every ~2 s
                    # the last items are still being read when the last one is served
                    during += await probes(emulator, 10)
                    poll_seconds = time.perf_counter() - started
    finally:
        await runner.cleanup()
    ref, dur = summary(reference), summary(during)
    burst_ref = reference_burst.percentile(0.5), reference_burst.percentile(0.99)
    burst_dur = (statistics.median(b.percentile(0.5) for b in bursts), max(b.percentile(0.99) for b in bursts)) if bursts else (float("nan"),) * 2
    print(f"feed poll: {items} items of ~{chars:,} characters, all fetched within {poll_seconds:.1f} s "
          f"({len(during)} single-reader probes and {len(bursts)} bursts of 50 meanwhile)\n")
    print("| readers' /energy, ms | reference (no poll) | during the poll | ratio |")
    print("|---|---|---|---|")
    for key in ("p50", "p90", "max"):
        print(f"| one reader, {key} | {ref[key]:.1f} | {dur[key]:.1f} | {dur[key] / ref[key]:.2f} |")
    print(f"| burst of 50, p50 | {burst_ref[0]:.1f} | {burst_dur[0]:.1f} | {burst_dur[0] / burst_ref[0]:.2f} |")
    print(f"| burst of 50, p99 (worst burst) | {burst_ref[1]:.1f} | {burst_dur[1]:.1f} | {burst_dur[1] / burst_ref[1]:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--chars", type=int, default=6_000)
    parser.add_argument("--probes", type=int, default=60)
    args = parser.parse_args()
    asyncio.run(run(args.items, args.chars, args.probes))


if __name__ == "__main__":
    main()
