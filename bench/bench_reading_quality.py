"""Reading quality on real pages: runs the shared scorer (`../shared/tools/score_reading.py`) on
the shared corpus (`../shared/corpus/articles`) with this checkout's Python, when both are
present beside the project, and prints its per-article lines and totals. The corpus is other
people's writing, kept there only to measure; nothing of it is in this project.

    .venv/bin/python bench/bench_reading_quality.py            # ~1-2 minutes
    .venv/bin/python bench/bench_reading_quality.py -k tass    # one article, with its drafts (-v)

Exits 0 with a note when the corpus or the scorer is not on this machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_reading.py"
CORPUS = SHARED / "corpus" / "articles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", help="only articles whose name contains this")
    parser.add_argument("-v", action="store_true", help="print each article's drafts")
    args = parser.parse_args()
    if not SCORER.is_file() or not CORPUS.is_dir():
        print(f"reading quality: skipped (no scorer at {SCORER} or no corpus at {CORPUS})")
        return 0
    command = [sys.executable, str(SCORER), str(CORPUS)] + (["-k", args.k] if args.k else []) + (["-v"] if args.v else [])
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
