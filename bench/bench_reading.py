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

Every read is cold: natasha's documents (`nlp.doc`, an LRU of 512 paragraphs) are dropped in the
reading process before it, and each repeat reads another article of the same length. (A repeat
of the same text used to find every paragraph already parsed: articles up to 40,000 characters
fit in that cache and were timed warm, 3× faster, longer ones did not — the "step" between
40,000 and 80,000 characters that the reader never had.) Printed for each: the wall clock as the
bot waits for it, and the reading process's own CPU seconds — the reading process runs niced
(worker.NICENESS), so on a machine busy with other work its wall clock grows and its CPU time
does not.
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
from bot.domain.validation import ContentError  # noqa: E402
from bot.services.ingest import read_drafts  # noqa: E402
from bot.services.ingest.reading import nlp  # noqa: E402
from bot.services.ingest.worker import in_worker  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
LENGTHS = (5_000, 10_000, 20_000, 40_000, 80_000, 160_000)
REPEATS = 3  # articles of each length (the least time counts: the one least disturbed by other work)


def read_cold(text: str, name: str, catalogue) -> float:
    """In the reading process: `read_drafts` with natasha's document cache emptied first; its
    CPU seconds."""
    nlp.doc.cache_clear()
    nlp.forget_prefetched()
    started = time.process_time()
    try:
        read_drafts(text, name, catalogue)
    except ContentError:  # a text without drafts still took its time
        pass
    return time.process_time() - started


def timed(texts: list[str], name: str, catalogue) -> tuple[float, float]:
    """(wall seconds, CPU seconds in the reading process): the least of each over `texts`, each
    read once, cold."""
    wall, cpu = float("inf"), float("inf")
    for text in texts:
        started = time.perf_counter()
        cpu = min(cpu, asyncio.run(in_worker(read_cold, text, name, catalogue)))
        wall = min(wall, time.perf_counter() - started)
    return wall, cpu


def speed() -> None:
    catalogue = load_catalogue(ROOT / "config" / "topics.yaml")
    started = time.perf_counter()
    timed([article(0, 3_000)], "warm.txt", catalogue)
    print(f"models loaded and first article read in {time.perf_counter() - started:.1f} s\n")
    if CORPUS.is_dir():
        rows = []
        for path in sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            rows.append((*timed([text], path.name, catalogue), len(text), path.stem))
        seconds = [row[0] for row in rows]
        slowest = max(rows)
        print(f"corpus: {len(rows)} texts, {min(r[2] for r in rows):,}–{max(r[2] for r in rows):,} characters; "
              f"median {statistics.median(seconds):.2f} s (CPU {statistics.median(r[1] for r in rows):.2f} s), "
              f"slowest {slowest[0]:.2f} s ({slowest[2]:,} characters), over 3 s: {sum(s > 3 for s in seconds)}; "
              f"{statistics.median(s / n * 10_000 for s, _, n, _ in rows):.2f} s per 10,000 characters (median)\n")
    else:
        print(f"corpus: not present ({CORPUS})\n")
    print("| generated article, characters | seconds | CPU seconds | CPU seconds per 10,000 characters |")
    print("|---|---|---|---|")
    per = []
    for length in LENGTHS:
        texts = [article(length + seed, length) for seed in range(REPEATS)]
        wall, cpu = timed(texts, f"gen-{length}.txt", catalogue)
        per.append(cpu / len(texts[0]) * 10_000)
        print(f"| {len(texts[0]):,} | {wall:.2f} | {cpu:.2f} | {per[-1]:.3f} |")
    print(f"\nlinearity: CPU time per character at {LENGTHS[-1]:,} / at {LENGTHS[0]:,} = {per[-1] / per[0]:.2f} "
          "(1.0 is linear)")


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    speed()


if __name__ == "__main__":
    main()
