"""Reading in bounded memory and linear work, whatever the shape of a legal text: one sentence
of 24,000 words (natasha's syntax parser scores every pair of a sentence's tokens), a section
of thousands of short sentences (TextRank compares sentences pairwise), a sentence of thousands
of figures. Counted, not timed: what each stage is asked to do is recorded and bounded; the
whole article is read in a process of its own and its peak memory read back."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import textwrap

from hypothesis import given, settings, strategies as st

from bot.services.ingest.reading import figures, nlp, ranking
from tests.reading.conftest import ROOT

WORDS = ("поставки газа выросли на 28 млрд долларов а товарооборот между странами составил 12 процентов "
         "при этом экспорт зерна увеличился на 5 млн тонн и инвестиции в инфраструктуру маршрута "
         "достигли 3 млрд").split()


def one_sentence(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


class CountingSet(set):
    """A lemma set that counts how often TextRank compares it with another."""

    compared = 0

    def __and__(self, other):
        CountingSet.compared += 1
        return set.__and__(self, other)


def full_textrank(sets: list[set[str]], damping: float = 0.85, iterations: int = 40) -> list[float]:
    """TextRank over every pair (Mihalcea & Tarau 2004), written plainly: the reference."""
    n = len(sets)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            shared = len(sets[i] & sets[j])
            if i != j and shared and len(sets[i]) > 1 and len(sets[j]) > 1:
                weights[i][j] = shared / (math.log(len(sets[i])) + math.log(len(sets[j])))
    out = [sum(row) for row in weights]
    scores = [1.0 / n] * n
    for _ in range(iterations):
        scores = [(1 - damping) / n + damping * sum(weights[j][i] / out[j] * scores[j] for j in range(n) if weights[j][i])
                  for i in range(n)]
    total = sum(scores)
    return [s / total for s in scores]


def test_textrank_compares_each_sentence_with_a_window_of_neighbours_only(monkeypatch):
    sentences = [f"s{i}" for i in range(2_000)]
    rng = random.Random(5)
    lemmas = {s: CountingSet(rng.sample(WORDS, 4)) for s in sentences}
    monkeypatch.setattr(ranking, "content_lemmas", lemmas.__getitem__)
    CountingSet.compared = 0
    scores = ranking.textrank(sentences)
    assert len(scores) == 2_000 and abs(sum(scores) - 1) < 1e-6
    # all pairs would be 1,999,000 comparisons; the window keeps it linear
    assert CountingSet.compared <= 2_000 * ranking.WINDOW, CountingSet.compared


@given(st.lists(st.sets(st.sampled_from(WORDS[:12]), max_size=6), min_size=2, max_size=ranking.WINDOW + 1))
@settings(max_examples=40, deadline=None)
def test_textrank_within_the_window_is_full_textrank(sets):
    sentences = [f"s{i}" for i in range(len(sets))]
    by_sentence = dict(zip(sentences, sets))
    original = ranking.content_lemmas
    ranking.content_lemmas = by_sentence.__getitem__
    try:
        scores = ranking.textrank(sentences)
    finally:
        ranking.content_lemmas = original
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(scores, full_textrank(sets)))


def test_the_syntax_parser_never_gets_a_whole_long_sentence(monkeypatch):
    parsed: list[int] = []
    real = nlp.doc

    def recording(text, syntax=False, ner=True):
        if syntax:
            parsed.append(len(figures.tokenize(text)))
        return real(text, syntax, ner)

    monkeypatch.setattr(nlp, "doc", recording)
    found = figures.extract_figures(one_sentence(3_000))
    assert found and parsed, "the figures of a long sentence are still read, their labels parsed"
    assert max(parsed) <= figures.SYNTAX_TOKENS, max(parsed)
    # a sentence of ordinary length is still parsed whole
    parsed.clear()
    figures.extract_figures("Товарооборот между странами в 2024 году составил 28 млрд долларов.")
    assert parsed and max(parsed) < 20


READ_IN_A_PROCESS = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a runaway fails here, not the machine
    from bot.domain.catalogue import load_catalogue
    from bot.services.ingest import read_drafts
    text = sys.stdin.read()
    started = time.process_time()
    try:
        drafts = read_drafts(text, "one-sentence.txt", load_catalogue(Path("config/topics.yaml")))
        outcome = {"snippets": len(drafts.document["snippets"]),
                   "figures": sum(len(s.get("figures", [])) for s in drafts.document["snippets"])}
    except BaseException as exc:
        outcome = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    outcome["cpu"] = time.process_time() - started
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))
""")


def test_a_250_kb_one_sentence_article_is_read_in_bounded_memory():
    text = "Поставки и цены\n\n" + one_sentence(22_500)
    assert 250_000 < len(text.encode()) < 270_000 and len(text) < 200_000  # within both upload limits
    done = subprocess.run([sys.executable, "-c", READ_IN_A_PROCESS], input=text, capture_output=True, text=True,
                          cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\none sentence of 22,500 words: {outcome}")
    assert "error" not in outcome, outcome
    assert outcome["snippets"] >= 1 and outcome["figures"] >= 1
    assert outcome["peak_mb"] < 800, outcome
    assert outcome["cpu"] < 60, outcome  # CPU seconds of the process: generous, and no wall clock
