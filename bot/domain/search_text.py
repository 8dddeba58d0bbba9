"""How text is matched: the roots a snippet is indexed by and a query looks for, and the
excerpt a search result shows. Pure functions of text; the index itself is in storage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.stemming import root, words

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def index_terms(text: str) -> str:
    """What the FTS index stores for a text: the root of each word."""
    return " ".join(root(word) for word in words(text))


def query_roots(query: str) -> list[str]:
    """Distinct roots of the start of a query, in order, bounded in number."""
    return list(dict.fromkeys(root(word) for word in words(query[:MAX_QUERY_CHARS])))[:MAX_QUERY_WORDS]


@dataclass(frozen=True)
class Excerpt:
    """A short passage as (text, highlighted) pieces; the renderer escapes and marks them."""

    pieces: tuple[tuple[str, bool], ...]
    truncated_start: bool
    truncated_end: bool


def excerpt(text: str, query: str, max_chars: int = 220) -> Excerpt:
    """The sentence with the most query words, trimmed to `max_chars`, matches marked."""
    roots = set(query_roots(query))

    def matches(word: str) -> bool:
        lowered = word.lower().replace("ё", "е")
        return root(lowered) in roots

    sentences = [s.group().strip() for s in SENTENCE.finditer(text) if s.group().strip()] or [text]
    best = max(sentences, key=lambda s: sum(matches(w) for w in re.findall(r"\w+", s)))
    truncated_start = truncated_end = False  # cut inside the sentence, not at its edges
    if len(best) > max_chars:
        first = next((m.start() for m in re.finditer(r"\w+", best) if matches(m.group())), 0)
        begin = max(0, min(first - max_chars // 3, len(best) - max_chars))
        begin = best.rfind(" ", 0, begin) + 1 if begin else 0
        end = best.rfind(" ", begin, begin + max_chars)
        end = end if end > begin else begin + max_chars
        truncated_start = begin > 0
        truncated_end = end < len(best)
        best = best[begin:end]
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for match in re.finditer(r"\w+", best):
        if matches(match.group()):
            if match.start() > cursor:
                pieces.append((best[cursor : match.start()], False))
            pieces.append((match.group(), True))
            cursor = match.end()
    if cursor < len(best):
        pieces.append((best[cursor:], False))
    return Excerpt(tuple(pieces), truncated_start, truncated_end)
