"""Ingest benchmark (issue: articles into drafts): time and peak memory to read a 10,000-character
article into drafts, the first time (the language models load) and once they are loaded; and
the bot's start-up, which must not pay for the models.

    .venv/bin/python bench/bench_ingest.py                       # ~30 s
    .venv/bin/python bench/bench_ingest.py --reference ../other  # start-up also for another checkout

Each measure runs in a fresh process, as `python -m bot ingest` and `python -m bot` do:
  * cold: import the bot, read the article (natasha's models load here), in one process;
  * warm: the same process, a second, different article of the same length;
  * start-up: `open_services` on a new database and on an existing one (what `python -m bot`
    does before it talks to Telegram), and whether any NLP module was imported by then.
Reported as medians of --runs runs; the start-up ratio is against the reference checkout (or,
without one, against the same measure made with the reader's modules imported beforehand).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests/fixtures/articles"

INGEST = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from bot.domain.catalogue import load_catalogue
    from bot.services.ingest import read_drafts
    def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    catalogue = load_catalogue(Path({root!r}) / "config/topics.yaml")
    texts = json.loads(sys.stdin.read())
    before = rss()
    t0 = time.perf_counter(); first = read_drafts(texts[0], "a.txt", catalogue); cold = time.perf_counter() - t0
    after_cold = rss()
    t0 = time.perf_counter(); second = read_drafts(texts[1], "b.txt", catalogue); warm = time.perf_counter() - t0
    print(json.dumps({{"cold_s": cold, "warm_s": warm, "rss_before_mb": before, "rss_after_mb": after_cold,
                      "rss_peak_mb": rss(), "drafts": [len(first.document["snippets"]), len(second.document["snippets"])]}}))
""")

STARTUP = textwrap.dedent("""
    import asyncio, json, os, resource, sys, tempfile, time, shutil
    t_start = time.perf_counter()
    sys.path.insert(0, {root!r})
    from pathlib import Path
    if {preload!r}:
        import bot.services.ingest.reading.nlp as nlp; nlp.models()
    try:
        from bot.app import open_services
    except ImportError:  # a checkout from before the composition root
        from bot.services import open_services
    from bot.config import Settings
    async def once(path):
        settings = Settings(_env_file=None, database_path=path, seeds_dir=Path({root!r}) / "seeds",
                            topics_file=Path({root!r}) / "config/topics.yaml")
        t0 = time.perf_counter(); services = await open_services(settings); took = time.perf_counter() - t0
        await services.close(); return took
    folder = tempfile.mkdtemp()
    db = Path(folder) / "bot.db"
    new = asyncio.run(once(db)); existing = asyncio.run(once(db))
    shutil.rmtree(folder)
    loaded = sorted(m for m in ("natasha", "slovnet", "navec", "pymorphy2", "razdel") if m in sys.modules)
    print(json.dumps({{"import_and_new_s": time.perf_counter() - t_start, "new_s": new, "existing_s": existing,
                      "nlp_modules_imported": loaded, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""")


def article_of(length: int, names: list[str]) -> str:
    """About `length` characters of the corpus, whole paragraphs, in the given files' order."""
    paragraphs = [p for name in names for p in (CORPUS / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]
    out, size = [], 0
    for paragraph in paragraphs:
        if size >= length:
            break
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out)


def run(code: str, stdin: str = "") -> dict:
    done = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--reference", type=Path, help="another checkout to compare start-up with")
    args = parser.parse_args()
    texts = [
        article_of(args.chars, ["03-interview-emdash-npp.txt", "04-interview-endash-corridors.txt", "06-interview-qa-digital.txt"]),
        article_of(args.chars, ["07-interview-markdown-bold-economy.md", "08-interview-initials-kornilov.txt", "05-interview-hyphen-zarechnov.txt"]),
    ]
    ingest = [run(INGEST.format(root=str(ROOT)), json.dumps(texts)) for _ in range(args.runs)]
    median = lambda rows, key: statistics.median(row[key] for row in rows)  # noqa: E731
    print(f"article: {len(texts[0]):,} and {len(texts[1]):,} characters; median of {args.runs} fresh processes\n")
    print("| measure | value |\n|---|---|")
    print(f"| first article (models load) | {median(ingest, 'cold_s'):.2f} s |")
    print(f"| next article (models loaded) | {median(ingest, 'warm_s'):.2f} s |")
    print(f"| peak memory before / after the first article | {median(ingest, 'rss_before_mb'):.0f} / {median(ingest, 'rss_after_mb'):.0f} MB |")
    print(f"| drafts made | {ingest[0]['drafts'][0]} and {ingest[0]['drafts'][1]} |")
    this = [run(STARTUP.format(root=str(ROOT), preload=False)) for _ in range(args.runs)]
    if args.reference:
        label = f"reference {args.reference}"
        reference = [run(STARTUP.format(root=str(args.reference.resolve()), preload=False)) for _ in range(args.runs)]
    else:
        label = "the same with the models loaded first"
        reference = [run(STARTUP.format(root=str(ROOT), preload=True)) for _ in range(args.runs)]
    print(f"| start-up, new / existing database | {median(this, 'new_s') * 1000:.0f} / {median(this, 'existing_s') * 1000:.0f} ms |")
    print(f"| start-up, new / existing database, {label} | {median(reference, 'new_s') * 1000:.0f} / {median(reference, 'existing_s') * 1000:.0f} ms |")
    print(f"| process start to services ready, this / {label} | {median(this, 'import_and_new_s'):.2f} / {median(reference, 'import_and_new_s'):.2f} s |")
    print(f"| memory at start-up, this / {label} | {median(this, 'rss_mb'):.0f} / {median(reference, 'rss_mb'):.0f} MB |")
    print(f"| NLP modules imported at start-up | {', '.join(this[0]['nlp_modules_imported']) or 'none'} |")
    print(json.dumps({"ingest": ingest, "startup": this, "reference": reference}))


if __name__ == "__main__":
    main()
