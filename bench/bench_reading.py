"""Reading speed (reading quality on the real-pages corpus: bench/bench_reading_quality.py).

    .venv/bin/python bench/bench_reading.py            # speed: corpus texts and generated ones

Speed (issue: "an article takes ≤ 3 s once the models are loaded, and grows linearly with its
length"), in the reading process exactly as the bot runs it (`ingest/worker.py`: `read_drafts`,
the whole reader and the drafts, pickled there and back):
  * every corpus text in ../shared/corpus/articles (read, never copied), once the models are
    loaded: the slowest, the median, seconds per 10,000 characters;
  * generated articles (bench/generated_articles.py) of 5,000 to 160,000 characters: the time
    for each length and the time per 10,000 characters, which stays flat when growth is linear
    (the ratio of the longest's per-character time to the shortest's is printed).
Quality: runs the scorer from the project root with this Python and prints its TOTAL lines.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generated_articles import article  # noqa: E402
from bot.domain.catalogue import load_catalogue  # noqa: E402
from bot.services.ingest import read_drafts  # noqa: E402
from bot.services.ingest.worker import in_worker  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
LENGTHS = (5_000, 10_000, 20_000, 40_000, 80_000, 160_000)


def timed(text: str, name: str, catalogue, repeats: int = 1) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        try:
            asyncio.run(in_worker(read_drafts, text, name, catalogue))
        except Exception:  # noqa: BLE001 — a text without drafts still took its time
            pass
        best = min(best, time.perf_counter() - started)
    return best


def speed() -> None:
    catalogue = load_catalogue(ROOT / "config" / "topics.yaml")
    started = time.perf_counter()
    timed(article(0, 3_000), "warm.txt", catalogue)
    print(f"models loaded and first article read in {time.perf_counter() - started:.1f} s\n")
    if CORPUS.is_dir():
        rows = []
        for path in sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            rows.append((timed(text, path.name, catalogue), len(text), path.stem))
        seconds = [row[0] for row in rows]
        slowest = max(rows)
        print(f"corpus: {len(rows)} texts, {min(r[1] for r in rows):,}–{max(r[1] for r in rows):,} characters; "
              f"median {statistics.median(seconds):.2f} s, slowest {slowest[0]:.2f} s ({slowest[1]:,} characters), "
              f"over 3 s: {sum(s > 3 for s in seconds)}; "
              f"{statistics.median(s / n * 10_000 for s, n, _ in rows):.2f} s per 10,000 characters (median)\n")
    else:
        print(f"corpus: not present ({CORPUS})\n")
    print("| generated article, characters | seconds | seconds per 10,000 characters |")
    print("|---|---|---|")
    per = []
    for length in LENGTHS:
        text = article(length, length)
        seconds = timed(text, f"gen-{length}.txt", catalogue, repeats=2 if length <= 40_000 else 1)
        per.append(seconds / len(text) * 10_000)
        print(f"| {len(text):,} | {seconds:.2f} | {per[-1]:.3f} |")
    print(f"\nlinearity: time per character at {LENGTHS[-1]:,} / at {LENGTHS[0]:,} = {per[-1] / per[0]:.2f} "
          "(1.0 is linear)")


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    speed()


if __name__ == "__main__":
    main()
