"""Benchmark of the own-words rule and the model's answer parse. Rerun with:

    .venv/bin/python bench/bench_own_words.py

Measures, on synthetic text (words drawn from a small vocabulary, so many runs repeat: the
hard case for hashing), the time to hash a source's runs of eight words and to check a 1,200-
character summary against it, at 50,000, 100,000, 200,000 and 400,000 characters: the time
doubles with the source (linear), it does not quadruple. Then the model's answer parse
(`parse_answer`) on a 64 KB answer and on 30,000 nested brackets. Prints a Markdown table.
"""

from __future__ import annotations

import json
import random
import statistics
import time

from bot.domain.own_words import SourceRuns, copied_runs
from bot.services.ingest.model import ANSWER_LIMIT, Unusable, parse_answer


def best_of(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    rng = random.Random(22)
    vocabulary = [f"слово{i}" for i in range(2_000)] + ["и", "в", "на", "что", "с"] * 200
    print("| source | hash its runs | check a 1,200-character summary |")
    print("|---|---|---|")
    for size in (50_000, 100_000, 200_000, 400_000):
        words, length = [], 0
        while length < size:
            words.append(rng.choice(vocabulary))
            length += len(words[-1]) + 1
        source = " ".join(words)
        runs = SourceRuns(source)
        start = rng.randrange(len(words) - 200)
        summary = " ".join(words[start : start + 150])[:1200]
        build = best_of(lambda: SourceRuns(source))
        check = best_of(lambda: copied_runs(summary, runs))
        print(f"| {len(source):,} characters | {build:.1f} ms | {check:.2f} ms |")
    answer = json.dumps({"choices": [{"message": {"content": json.dumps(
        {"title": "t", "summary": "word " * ((ANSWER_LIMIT - 200) // 5), "labels": [], "quotes": []})}}]}).encode()
    assert len(answer) <= ANSWER_LIMIT and parse_answer(answer)
    nested = b"[" * 30_000 + b"]" * 30_000

    def refused(raw: bytes) -> None:
        try:
            parse_answer(raw)
        except Unusable:
            pass

    print(f"| parse a {len(answer) // 1024} KB answer | {best_of(lambda: refused(answer)):.2f} ms | |")
    print(f"| refuse 30,000 nested brackets | {best_of(lambda: refused(nested)):.2f} ms | |")


if __name__ == "__main__":
    main()
