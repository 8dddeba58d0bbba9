"""Shuffled and random texts: the reader never crashes and keeps its promises."""

from __future__ import annotations

import random

import pytest

from bot.services.ingest.reading import Topic, draft_passage, read_article
from tests.reading.conftest import SAMPLES

CATALOGUE = (Topic("economy", ("экономика", "товарооборот")), Topic("logistics", ("маршрут",)))
ALPHABET = "абв АБВ—–-*_[]()<>«»\"'?!.,:;0123456789 $%№#\n👁"


def texts():
    lines = [line for f in sorted(SAMPLES.iterdir()) for line in f.read_text(encoding="utf-8").split("\n")]
    rng = random.Random(7)
    for i in range(90):
        if i % 3 == 0:
            yield "\n".join(rng.choice(lines) for _ in range(rng.randint(1, 40)))
        elif i % 3 == 1:
            yield "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 400)))
        else:
            yield "\n\n".join(rng.choice(lines)[: rng.randint(0, 200)] for _ in range(rng.randint(1, 20)))


@pytest.mark.parametrize("text", list(texts()))
def test_no_crash_and_invariants(text):
    try:
        article = read_article(text)
    except ValueError as error:
        assert "no paragraphs" in str(error)
        return
    for p in article.passages:
        for q in p.quotes:
            assert q.text in p.text
        for s in p.sentences:
            assert s in p.text
        d = draft_passage(p, CATALOGUE)
        assert 0 < len(d.title) <= 120 and not d.title.endswith("?")
        assert len(d.summary) <= 1200
        for f in d.figures:
            assert f.evidence in (p.text + "\n" + (p.question or "")) or f.evidence in (p.question or "")
