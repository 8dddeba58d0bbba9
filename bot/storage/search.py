"""Full-text search: SQLite FTS5 over Russian search roots.

The index stores the root of every word (see `domain/stemming.py`), and a query asks for the
roots of its words as whole terms: энергетике, энергетика and энергетический all meet at
`энергет`, and Росатом, Росатома, Росатомом at `росат`. Whole terms, not prefixes or
alternatives: an FTS5 prefix or OR query merges the lists of every term it covers.

Ranking is FTS5's BM25, with one exception. bm25() learns each term's document frequency by
reading the term's whole list, on every query: for a word found in most snippets of a large
index that alone costs milliseconds, and it then scores every match. So `search_terms` keeps
each root's document frequency, and a query with a word found in more than `COMMON_DOCS`
snippets is ranked here instead: its newest `CANDIDATES` matches, scored BM25-style (title words weigh more, repeats
count with diminishing returns, long texts are discounted). Such a word says little about
relevance anyway; the price is that only the newest matches of it compete.
"""

from __future__ import annotations


import aiosqlite

from bot.domain.search_text import index_terms, query_roots
from bot.domain.views import SearchHit
from bot.storage.database import transaction

# Bump when `index_terms` would store different terms: the index is then rebuilt at start-up.
INDEX_VERSION = 5  # 4: English fields indexed too; 5: aliases (АЭС, NPP) indexed too
COMMON_DOCS = 1000  # bm25() costs about a microsecond per matching snippet, plus the list reads
CANDIDATES = 100
TF_SATURATION, LENGTH_WEIGHT = 1.2, 0.75  # BM25's usual k1 and b
TITLE_WEIGHT = 3.0


def match_expression(roots: list[str], operator: str = "AND") -> str:
    """Roots are letters and digits only; quoting keeps FTS5 from reading any as syntax."""
    return f" {operator} ".join(f'"{r}"' for r in roots)


async def searchable_text(db: aiosqlite.Connection, snippet_id: int) -> tuple[str, str]:
    """The words a snippet is found by, in both languages: its titles, and its summaries,
    quotes (and their translations) and figure labels."""
    (title, summary, title_en, summary_en), = await db.execute_fetchall(
        "SELECT title, summary, title_en, summary_en FROM snippets WHERE id = ?", (snippet_id,)
    )
    quotes = await db.execute_fetchall("SELECT text, text_en FROM quotes WHERE snippet_id = ?", (snippet_id,))
    labels = await db.execute_fetchall("SELECT label, label_en FROM figures WHERE snippet_id = ?", (snippet_id,))
    body = [summary, summary_en, *(text for row in quotes for text in row), *(text for row in labels for text in row)]
    return " ".join(filter(None, (title, title_en))), " ".join(filter(None, body))


class SearchIndex:
    """The `snippet_search` table: only published snippets are in it."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def put(self, snippet_id: int, title: str, body: str) -> None:
        await self.remove(snippet_id)
        title_terms, body_terms = index_terms(title), index_terms(body)
        await self._db.execute(
            "INSERT INTO snippet_search (rowid, title, body) VALUES (?, ?, ?)",
            (snippet_id, title_terms, body_terms),
        )
        await self._db.executemany(
            "INSERT INTO search_terms (term, docs) VALUES (?, 1) "
            "ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + 1",
            [(term,) for term in set(f"{title_terms} {body_terms}".split())],
        )

    async def rebuild_if_stale(self) -> bool:
        """Re-index every published snippet if the index was built by other stemming rules."""
        (version,), = await self._db.execute_fetchall(
            "SELECT value FROM meta WHERE key = 'search_index_version'"
        )
        if int(version) == INDEX_VERSION:
            return False
        async with transaction(self._db):
            await self._db.execute("DELETE FROM snippet_search")
            await self._db.execute("DELETE FROM search_terms")
            rows = await self._db.execute_fetchall("SELECT id FROM snippets WHERE status = 'published'")
            for (snippet_id,) in rows:
                await self.put(snippet_id, *await searchable_text(self._db, snippet_id))
            await self._db.execute(
                "UPDATE meta SET value = ? WHERE key = 'search_index_version'", (str(INDEX_VERSION),)
            )
        return True

    async def remove(self, snippet_id: int) -> None:
        rows = await self._db.execute_fetchall(
            "SELECT title, body FROM snippet_search WHERE rowid = ?", (snippet_id,)
        )
        if not rows:
            return
        await self._db.execute("DELETE FROM snippet_search WHERE rowid = ?", (snippet_id,))
        await self._db.executemany(
            "UPDATE search_terms SET docs = docs - 1 WHERE term = ?",
            [(term,) for term in set(f"{rows[0][0]} {rows[0][1]}".split())],
        )

    async def search(self, query: str, limit: int = 5) -> list[SearchHit]:
        """Best matches for all words; if none has them all, the best for any word."""
        roots = query_roots(query)
        if not roots:
            return []
        rank = self._rank_newest if await self._has_common_term(roots) else self._rank_bm25
        hits = await rank("AND", roots, limit)
        if not hits and len(roots) > 1:
            hits = await rank("OR", roots, limit)
        return hits

    async def _has_common_term(self, roots: list[str]) -> bool:
        marks = ",".join("?" * len(roots))
        (most,), = await self._db.execute_fetchall(
            f"SELECT max(docs) FROM search_terms WHERE term IN ({marks})", roots
        )
        return (most or 0) > COMMON_DOCS

    async def _rank_bm25(self, operator: str, roots: list[str], limit: int) -> list[SearchHit]:
        rows = await self._db.execute_fetchall(
            f"SELECT rowid, bm25(snippet_search, {TITLE_WEIGHT}, 1.0) AS score FROM snippet_search "
            "WHERE snippet_search MATCH ? ORDER BY score LIMIT ?",
            (match_expression(roots, operator), limit),
        )
        return [SearchHit(snippet_id, -score) for snippet_id, score in rows]

    async def _rank_newest(self, operator: str, roots: list[str], limit: int) -> list[SearchHit]:
        rows = await self._db.execute_fetchall(
            "SELECT rowid, title, body FROM snippet_search WHERE snippet_search MATCH ? "
            f"ORDER BY rowid DESC LIMIT {CANDIDATES}",
            (match_expression(roots, operator),),
        )
        return [SearchHit(snippet_id, score) for score, snippet_id in score_candidates(rows, roots)[:limit]]


def search_index_for(db: aiosqlite.Connection) -> SearchIndex:
    """FTS5 on SQLite; on PostgreSQL the same roots and ranking over a GIN index."""
    if getattr(db, "dialect", None) == "postgres":
        from bot.storage.postgres.search import PgSearchIndex

        return PgSearchIndex(db)
    return SearchIndex(db)


def score_candidates(rows: list[tuple[int, str, str]], roots: list[str]) -> list[tuple[float, int]]:
    """(score, snippet id), best first; equal scores keep the newer snippet first."""
    if not rows:
        return []
    average = sum(body.count(" ") + 1 for _, _, body in rows) / len(rows)
    scored = []
    for snippet_id, title, body in rows:
        padded_title, padded_body = f" {title} ", f" {body} "
        length_factor = TF_SATURATION * (1 - LENGTH_WEIGHT + LENGTH_WEIGHT * (body.count(" ") + 1) / average)
        matched, score = 0, 0.0
        for term in roots:
            in_title = padded_title.count(f" {term} ")
            in_body = padded_body.count(f" {term} ")
            if in_title or in_body:
                matched += 1
            score += TITLE_WEIGHT * in_title / (in_title + 1) + in_body / (in_body + length_factor)
        scored.append((matched * 100 + score, snippet_id))
    scored.sort(key=lambda item: -item[0])  # stable: rows came newest first
    return scored


