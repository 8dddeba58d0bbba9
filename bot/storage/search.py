"""Full-text search: SQLite FTS5 over Russian search roots, ranked with BM25.

The index stores, for every word, both the word itself and its root (see `content.stemming`),
and a query asks for each root as a prefix. So энергетике, энергетика and энергетический all
meet at `энергет*`, and "Росатома" (root `росатом`) still finds the word "Росатом", whose own
Snowball stem is the shorter `росат`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import aiosqlite

from bot.content.stemming import root, words

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0
SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def index_terms(text: str) -> str:
    """What the FTS index stores for a text: each word followed by its root when they differ."""
    terms: list[str] = []
    for word in words(text):
        terms.append(word)
        word_root = root(word)
        if word_root != word:
            terms.append(word_root)
    return " ".join(terms)


def query_roots(query: str) -> list[str]:
    """Distinct roots of the first words of a query, in order; bounded in size."""
    seen: dict[str, None] = {}
    for word in words(query[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]:
        seen.setdefault(root(word), None)
    return list(seen)


def match_expression(roots: list[str], operator: str = "AND") -> str:
    """Roots of three letters or more match as prefixes; shorter ones (ИИ) only as whole words."""
    return f" {operator} ".join(f'"{r}"*' if len(r) >= 3 else f'"{r}"' for r in roots)


@dataclass(frozen=True)
class SearchHit:
    snippet_id: int
    score: float


class SearchIndex:
    """The `snippet_search` table: only published snippets are in it."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def put(self, snippet_id: int, title: str, body: str) -> None:
        await self.remove(snippet_id)
        await self._db.execute(
            "INSERT INTO snippet_search (rowid, title, body) VALUES (?, ?, ?)",
            (snippet_id, index_terms(title), index_terms(body)),
        )

    async def remove(self, snippet_id: int) -> None:
        await self._db.execute("DELETE FROM snippet_search WHERE rowid = ?", (snippet_id,))

    async def search(self, query: str, limit: int = 5) -> list[SearchHit]:
        """Best matches for all words; if none has them all, the best for any word."""
        roots = query_roots(query)
        if not roots:
            return []
        hits = await self._run(match_expression(roots, "AND"), limit)
        if not hits and len(roots) > 1:
            hits = await self._run(match_expression(roots, "OR"), limit)
        return hits

    async def _run(self, expression: str, limit: int) -> list[SearchHit]:
        rows = await self._db.execute_fetchall(
            f"SELECT rowid, bm25(snippet_search, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
            "FROM snippet_search WHERE snippet_search MATCH ? ORDER BY score LIMIT ?",
            (expression, limit),
        )
        return [SearchHit(snippet_id=row[0], score=row[1]) for row in rows]


@dataclass(frozen=True)
class Excerpt:
    """A short passage as (text, highlighted) pieces; the renderer escapes and marks them."""

    pieces: tuple[tuple[str, bool], ...]
    truncated_start: bool
    truncated_end: bool


def excerpt(text: str, query: str, max_chars: int = 220) -> Excerpt:
    """The sentence with the most query words, trimmed to `max_chars`, matches marked."""
    roots = query_roots(query)

    def matches(word: str) -> bool:
        lowered = word.lower().replace("ё", "е")
        return any(lowered.startswith(r) or root(lowered) == r for r in roots)

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
