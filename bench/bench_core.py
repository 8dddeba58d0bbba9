"""Benchmark of the briefing core. Rerun with:

    .venv/bin/python bench/bench_core.py            # full run
    .venv/bin/python bench/bench_core.py --quick    # smaller sizes, for a smoke test

Measures, in one run on this machine:
  * start-up: validating and loading the seeds into a new database, and into an existing one;
  * reloading unchanged seeds (target < 100 ms);
  * end-to-end throughput of topic commands by `python -m bot` (MAX_SEND_RATE=100000: the
    emulator's flood limits are off) through the Bot API emulator, as a ratio to a minimal
    python-telegram-bot bot answering a constant text,
    measured the same way in the same run (target >= 0.8);
  * search latency p50/p99 over 100,000 synthetic snippets (target p99 < 5 ms).
Prints a Markdown table (the README's table comes from here).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.domain.stemming import words  # noqa: E402
from bot.app import open_services  # noqa: E402
from bot.storage.database import transaction  # noqa: E402
from bench.harness import measure  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


def settings_in(folder: Path, base_url: str = "http://127.0.0.1:9/bot") -> Settings:
    seeds = folder / "seeds"
    if not seeds.exists():
        shutil.copytree(ROOT / "seeds", seeds)
    return Settings(_env_file=None, bot_token=TOKEN, telegram_base_url=base_url,
                    database_path=folder / "bench.db", seeds_dir=seeds,
                    topics_file=ROOT / "config" / "topics.yaml")


async def bench_startup(folder: Path, repeats: int) -> dict[str, float]:
    cold, warm, reload = [], [], []
    for i in range(repeats):
        run = folder / f"startup-{i}"
        run.mkdir()
        settings = settings_in(run)
        started = time.perf_counter()
        services = await open_services(settings)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        await services.intake.reload_seeds()
        reload.append(time.perf_counter() - started)
        await services.close()
        started = time.perf_counter()
        services = await open_services(settings)
        warm.append(time.perf_counter() - started)
        await services.close()
    return {"cold": statistics.median(cold), "warm": statistics.median(warm),
            "reload": statistics.median(reload)}


async def bench_throughput(chats: int, rounds: int) -> dict[str, float]:
    full, reference = [], []
    for _ in range(rounds):  # interleaved, so drift in the machine's speed hits both alike
        reference.append(await measure("ptb-constant", chats))
        full.append(await measure("full", chats))
    return {
        "full": statistics.median(b.rate for b in full),
        "reference": statistics.median(b.rate for b in reference),
        "refused": sum(b.refused for b in full + reference),
        "p50": statistics.median(b.percentile(0.5) for b in full),
        "p99": statistics.median(b.percentile(0.99) for b in full),
    }


async def bench_search(folder: Path, snippets: int, queries: int) -> dict[str, float]:
    run = folder / "search"
    run.mkdir()
    services = await open_services(settings_in(run))
    vocabulary = sorted({w for w in words((ROOT / "seeds/sources/borisov-2025-11-12.txt").read_text()) if len(w) > 3})
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf-like, as in real text
    rng.shuffle(vocabulary)
    db = services.db
    async with transaction(db):
        await db.execute(
            "INSERT INTO sources (id, title, date, kind, language, author_name, author_role, url, "
            "origin, fingerprint, status, created_at, updated_at) VALUES ('synthetic', 'Synthetic', "
            "'2020-01-01', 'article', 'ru', 'Bench', NULL, NULL, 'bench', 'x', 'live', '2020-01-01', "
            "'2020-01-01')"
        )
        for i in range(snippets):
            title = " ".join(rng.choices(vocabulary, weights, k=6))
            body = " ".join(rng.choices(vocabulary, weights, k=60))
            cursor = await db.execute(
                "INSERT INTO snippets (source_id, key, topic, title, summary, position, fingerprint, "
                "status, created_at, updated_at) VALUES ('synthetic', ?, 'energy', ?, ?, ?, 'x', "
                "'published', '2020-01-01', '2020-01-01')",
                (f"s{i}", title, body, i),
            )
            await services.content.search_index.put(cursor.lastrowid, title, body)
    await db.execute("INSERT INTO snippet_search(snippet_search) VALUES ('optimize')")
    samples = []
    for _ in range(queries):
        query = " ".join(rng.sample(vocabulary, rng.choice((1, 1, 2))))
        started = time.perf_counter()
        await services.content.search(query)
        samples.append((time.perf_counter() - started) * 1000)
    await services.close()
    samples.sort()
    return {"p50": samples[len(samples) // 2], "p99": samples[int(len(samples) * 0.99) - 1],
            "snippets": snippets, "queries": queries}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    chats, rounds, snippets, queries = (200, 1, 5_000, 200) if args.quick else (2_000, 3, 100_000, 2_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        startup = await bench_startup(folder, 3 if args.quick else 7)
        throughput = await bench_throughput(chats, rounds)
        search = await bench_search(folder, snippets, queries)
    ratio = throughput["full"] / throughput["reference"]
    print("| measure | result | target |")
    print("|---|---|---|")
    print(f"| start-up, new database (validate + load seeds) | {startup['cold'] * 1000:.0f} ms | — |")
    print(f"| start-up, existing database | {startup['warm'] * 1000:.0f} ms | — |")
    print(f"| reload of unchanged seeds | {startup['reload'] * 1000:.1f} ms | < 100 ms |")
    print(f"| topic commands, `python -m bot` with MAX_SEND_RATE=100000 ({chats} chats at once) | {throughput['full']:.0f} replies/s | — |")
    print(f"| constant-reply python-telegram-bot bot, same load | {throughput['reference']:.0f} replies/s | — |")
    print(f"| throughput ratio, full bot / reference | {ratio:.2f} | ≥ 0.8 |")
    print(f"| reply latency p50 / p99 under that load, full bot | {throughput['p50']:.0f} / {throughput['p99']:.0f} ms | — |")
    print(f"| calls the emulator refused | {throughput['refused']} | 0 |")
    print(f"| search p50 / p99, {search['snippets']:,} snippets | {search['p50']:.2f} / {search['p99']:.2f} ms | p99 < 5 ms |")


if __name__ == "__main__":
    asyncio.run(main())
