"""Full-text search on PostgreSQL: the same roots as on SQLite, the same ranking.

Each published snippet's row keeps its title's and body's roots (`domain/search_text.py`
`index_terms`, Russian and English alike) and, for matching, the set of them as a `text[]`
under a GIN index: all of a query's roots is `terms @> roots`, any of them `terms && roots`.
PostgreSQL's own `russian`/`english` text search configurations would stem differently from
the roots the bot shows highlighted in excerpts and files topics by; these are the same roots,
so a search answers the same on both databases.

Ranking is computed here as SQLite's FTS5 `bm25()` computes it (k1 = 1.2, b = 0.75, a title
hit weighing `TITLE_WEIGHT`, the row's length in tokens over the average, IDF from the number
of rows holding each root), ties broken by the lower id, as FTS5's index order gives them.
"""

from __future__ import annotations

import math

from bot.domain.search_text import index_terms
from bot.domain.views import SearchHit
from bot.storage.search import CANDIDATES, LENGTH_WEIGHT, TF_SATURATION, TITLE_WEIGHT, SearchIndex, score_candidates

MATCH = {"AND": "terms @> ?::text[]", "OR": "terms && ?::text[]"}


class PgSearchIndex(SearchIndex):
    async def put(self, snippet_id: int, title: str, body: str) -> None:
        await self.remove(snippet_id)
        title_terms, body_terms = index_terms(title), index_terms(body)
        terms = sorted(set(f"{title_terms} {body_terms}".split()))
        await self._db.execute(
            "INSERT INTO snippet_search (rowid, title, body, terms, length) VALUES (?, ?, ?, ?, ?)",
            (snippet_id, title_terms, body_terms, terms, len(title_terms.split()) + len(body_terms.split())),
        )
        await self._db.executemany(
            "INSERT INTO search_terms (term, docs) VALUES (?, 1) "
            "ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + 1",
            [(term,) for term in terms],
        )

    async def _rank_bm25(self, operator: str, roots: list[str], limit: int) -> list[SearchHit]:
        rows = await self._db.execute_fetchall(
            f"SELECT rowid, title, body FROM snippet_search WHERE {MATCH[operator]}", (roots,)
        )
        if not rows:
            return []
        (count, tokens), = await self._db.execute_fetchall("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM snippet_search")
        marks = ",".join("?" * len(roots))
        docs = dict(await self._db.execute_fetchall(f"SELECT term, docs FROM search_terms WHERE term IN ({marks})", roots))
        average = tokens / count
        idf = {}
        for term in roots:
            hits = docs.get(term, 0)
            idf[term] = max(math.log((count - hits + 0.5) / (hits + 0.5)), 1e-6)
        scored = []
        for snippet_id, title, body in rows:
            title_words, body_words = title.split(), body.split()
            length = len(title_words) + len(body_words)
            norm = TF_SATURATION * (1 - LENGTH_WEIGHT + LENGTH_WEIGHT * length / average)
            score = 0.0
            for term in roots:
                frequency = TITLE_WEIGHT * title_words.count(term) + body_words.count(term)
                score += idf[term] * frequency * (TF_SATURATION + 1) / (frequency + norm)
            scored.append((-score, snippet_id))
        scored.sort()
        return [SearchHit(snippet_id, -negative) for negative, snippet_id in scored[:limit]]

    async def _rank_newest(self, operator: str, roots: list[str], limit: int) -> list[SearchHit]:
        rows = await self._db.execute_fetchall(
            f"SELECT rowid, title, body FROM snippet_search WHERE {MATCH[operator]} "
            f"ORDER BY rowid DESC LIMIT {CANDIDATES}",
            (roots,),
        )
        return [SearchHit(snippet_id, score) for score, snippet_id in score_candidates(rows, roots)[:limit]]
