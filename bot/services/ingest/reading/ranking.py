"""Sentence centrality (TextRank over lemma overlap) and the lemma sets it is built on."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.services.ingest.reading import nlp

CONTENT_POS = frozenset({"NOUN", "ADJF", "ADJS", "VERB", "INFN", "PRTF", "PRTS", "GRND"})
STOP_LEMMAS = frozenset(
    """быть стать мочь сказать год это весь такой который свой наш ваш самый очень также иметь
    являться становиться один два три другой каждый сегодня например вопрос ответ дело время раз
    случай то что как так""".split()
)


# a letter run and its inner hyphens; [^\W\d_] is a letter, or one of the few numeric
# characters that are not decimal digits (², ½, Ⅻ), which `words` then reads letter by letter
LETTER_RUN = re.compile(r"[^\W\d_]+(?:[-‐]+[^\W\d_]+)*")


def words(text: str) -> list[str]:
    """Letter runs (with inner hyphens), in order. Linear."""
    found = LETTER_RUN.findall(text)
    if all(w.isalpha() or w.replace("-", "").replace("‐", "").isalpha() for w in found):
        return found
    return _letter_runs(text)


def _letter_runs(text: str) -> list[str]:
    """`words`, character by character (str.isalpha decides)."""
    out: list[str] = []
    current: list[str] = []
    for ch in text + " ":
        if ch.isalpha() or (ch in "-‐" and current):
            current.append(ch)
        else:
            if current:
                out.append("".join(current).strip("-‐"))
                current = []
    return [w for w in out if w]


def content_lemmas(sentence: str) -> set[str]:
    lemmas: set[str] = set()
    for word in words(sentence):
        if len(word) < 3 and not word.isupper():
            continue
        found = nlp.parses(word)
        if not found:
            continue
        best = found[0]
        lemma = best.normal_form.replace("ё", "е")
        if (best.tag.POS in CONTENT_POS or best.tag.POS is None) and lemma not in STOP_LEMMAS:
            lemmas.add(lemma)
    return lemmas


# Each sentence is compared with the WINDOW sentences on either side of it, not with every
# other one: a passage of up to WINDOW + 1 sentences is ranked exactly as by full TextRank, and
# a long one (a section of 2,000 short sentences) in time and memory linear in its length.
WINDOW = 30


def textrank(sentences: Sequence[str], *, damping: float = 0.85, iterations: int = 40) -> list[float]:
    """PageRank over the sentence graph, edges weighted by shared content lemmas normalised by
    sentence length (Mihalcea & Tarau 2004), between sentences at most WINDOW apart. Scores sum
    to about 1."""
    n = len(sentences)
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    sets = [content_lemmas(s) for s in sentences]
    edges: list[list[tuple[int, float]]] = [[] for _ in range(n)]  # (neighbour, weight), both ways
    for i in range(n):
        if len(sets[i]) <= 1:
            continue
        for j in range(i + 1, min(n, i + WINDOW + 1)):
            shared = len(sets[i] & sets[j])
            if shared and len(sets[j]) > 1:
                w = shared / (math.log(len(sets[i])) + math.log(len(sets[j])))
                edges[i].append((j, w))
                edges[j].append((i, w))
    out_sum = [sum(w for _, w in row) for row in edges]
    # each edge's share of its source's weight, divided once (not once per iteration)
    shares = [[(j, w / out_sum[j]) for j, w in row] for row in edges]
    base = (1 - damping) / n
    scores = [1.0 / n] * n
    for _ in range(iterations):
        scores = [base + damping * sum(share * scores[j] for j, share in row) for row in shares]
    total = sum(scores) or 1.0
    return [s / total for s in scores]
