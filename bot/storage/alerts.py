"""Alerts: the words each chat follows (`alerts`, with their roots in `alert_terms`), and what
each publication matched (`alert_matches`).

Matching happens once, inside the transaction that puts snippets on the air
(`ContentRepository`, given this repository): the snippet's searchable text is reduced to its
roots as the search index reduces it (`searchable_text`, `index_terms`), and an alert matches
when every one of its roots is among them. What matched is written down per chat and snippet,
so the outbox can queue the instant copies in the same transaction and a digest later knows
which of its items came by which alert. The SQL is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.domain.alerts import Alert, AlertWords, alert_terms
from bot.domain.clock import utc_now_iso
from bot.domain.search_text import index_terms
from bot.storage.database import transaction
from bot.storage.search import searchable_text

TERMS_PER_QUERY = 500  # roots of one snippet asked about at a time (well under SQLite's limit)


@dataclass(frozen=True)
class AlertsAdded:
    added: tuple[AlertWords, ...]
    already: tuple[Alert, ...]  # the chat's existing alerts these words are
    over_limit: tuple[AlertWords, ...]  # refused: the chat would have more than the limit


@dataclass(frozen=True)
class AlertMatch:
    """A published snippet that one of a chat's alerts matched."""

    chat_id: int
    snippet_id: int
    words: str
    thread_id: int | None


class AlertRepository:
    def __init__(self, db: aiosqlite.Connection, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.clock = clock

    # --- a chat's alerts ------------------------------------------------------------------

    async def of_chat(self, chat_id: int) -> list[Alert]:
        rows = await self._db.execute_fetchall(
            "SELECT id, chat_id, words, roots, thread_id FROM alerts WHERE chat_id = ? ORDER BY id",
            (chat_id,),
        )
        return [Alert(row[0], row[1], row[2], alert_terms(row[3]), row[4]) for row in rows]

    async def add(
        self, chat_id: int, wanted: Sequence[AlertWords], thread_id: int | None, limit: int
    ) -> AlertsAdded:
        """Add the alerts the chat has not got, as far as `limit` allows, in one transaction
        (two admins adding at once never pass the limit together)."""
        now = utc_now_iso()
        added, already, over = [], [], []
        async with transaction(self._db):
            existing = {alert.roots: alert for alert in await self.of_chat(chat_id)}
            count = len(existing)
            for alert in wanted:
                if alert.roots in existing:
                    already.append(existing[alert.roots])
                    continue
                if count >= limit:
                    over.append(alert)
                    continue
                (alert_id,), = await self._db.execute_fetchall(
                    """INSERT INTO alerts (chat_id, words, roots, term_count, thread_id, created_at)
                       VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
                    (chat_id, alert.words, alert.key, len(alert.roots), thread_id, now),
                )
                await self._db.executemany(
                    "INSERT INTO alert_terms (term, alert_id) VALUES (?, ?)",
                    [(term, alert_id) for term in alert.roots],
                )
                existing[alert.roots] = Alert(alert_id, chat_id, alert.words, alert.roots, thread_id)
                count += 1
                added.append(alert)
        return AlertsAdded(tuple(added), tuple(already), tuple(over))

    async def remove(self, chat_id: int, unwanted: Sequence[AlertWords]) -> list[Alert]:
        """Remove the chat's alerts with these roots; returns the ones that were there."""
        async with transaction(self._db):
            existing = {alert.roots: alert for alert in await self.of_chat(chat_id)}
            gone = [existing[alert.roots] for alert in unwanted if alert.roots in existing]
            await self._delete([alert.id for alert in gone])
        return gone

    async def remove_by_id(self, chat_id: int, alert_id: int) -> Alert | None:
        """Remove one of the chat's alerts (a button names it by id); None if it is not the
        chat's (any more)."""
        async with transaction(self._db):
            found = [alert for alert in await self.of_chat(chat_id) if alert.id == alert_id]
            await self._delete([alert.id for alert in found])
        return found[0] if found else None

    async def _delete(self, ids: list[int]) -> None:
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        await self._db.execute(f"DELETE FROM alert_terms WHERE alert_id IN ({marks})", ids)
        await self._db.execute(f"DELETE FROM alerts WHERE id IN ({marks})", ids)

    async def move(self, old_chat_id: int, new_chat_id: int) -> None:
        """Inside the caller's transaction: a group became a supergroup, its alerts follow it
        (one the new chat already has stays as it is there)."""
        await self._db.execute(
            """DELETE FROM alert_terms WHERE alert_id IN (
                   SELECT a.id FROM alerts a WHERE a.chat_id = ? AND EXISTS (
                       SELECT 1 FROM alerts b WHERE b.chat_id = ? AND b.roots = a.roots))""",
            (old_chat_id, new_chat_id),
        )
        await self._db.execute(
            """DELETE FROM alerts WHERE chat_id = ? AND roots IN (
                   SELECT roots FROM alerts WHERE chat_id = ?)""",
            (old_chat_id, new_chat_id),
        )
        await self._db.execute("UPDATE alerts SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))

    # --- publications ---------------------------------------------------------------------

    async def match_published(self, snippet_ids: Sequence[int]) -> list[AlertMatch]:
        """Inside the publishing transaction: the alerts of active chats that these snippets
        match, recorded in `alert_matches` (once per chat, snippet and alert words)."""
        matches: list[AlertMatch] = []
        for snippet_id in snippet_ids:
            title, body = await searchable_text(self._db, snippet_id)
            found = await self._terms_found(set(index_terms(f"{title} {body}").split()))
            if not found:
                continue
            marks = ",".join("?" * len(found))
            rows = await self._db.execute_fetchall(
                f"""SELECT a.id, a.chat_id, a.words, a.term_count, a.thread_id FROM alerts a
                    JOIN chats c ON c.id = a.chat_id
                    WHERE a.id IN ({marks}) AND c.state = 'active' ORDER BY a.chat_id, a.id""",
                list(found),
            )
            matches += [
                AlertMatch(chat_id, snippet_id, words, thread_id)
                for alert_id, chat_id, words, term_count, thread_id in rows
                if found[alert_id] == term_count
            ]
        if matches:
            now = self.clock()
            await self._db.executemany(
                """INSERT INTO alert_matches (chat_id, snippet_id, words, created_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (chat_id, snippet_id, words) DO NOTHING""",
                [(m.chat_id, m.snippet_id, m.words, now) for m in matches],
            )
        return matches

    async def _terms_found(self, terms: set[str]) -> dict[int, int]:
        """Alert id → how many of its roots are among `terms` (alerts with none left out)."""
        found: dict[int, int] = {}
        ordered = sorted(terms)
        for start in range(0, len(ordered), TERMS_PER_QUERY):
            chunk = ordered[start:start + TERMS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            for (alert_id,) in await self._db.execute_fetchall(
                f"SELECT alert_id FROM alert_terms WHERE term IN ({marks})", chunk
            ):
                found[alert_id] = found.get(alert_id, 0) + 1
        return found

    async def matched_words(self, chat_id: int, snippet_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """Which alerts of the chat each of these snippets matched (those that matched any)."""
        if not snippet_ids:
            return {}
        marks = ",".join("?" * len(snippet_ids))
        rows = await self._db.execute_fetchall(
            f"""SELECT snippet_id, words FROM alert_matches WHERE chat_id = ? AND snippet_id IN ({marks})
                ORDER BY snippet_id, words""",
            (chat_id, *snippet_ids),
        )
        found: dict[int, tuple[str, ...]] = {}
        for snippet_id, words in rows:
            found[snippet_id] = (*found.get(snippet_id, ()), words)
        return found

    async def reach_beyond_topic(self, snippet_id: int, topic: str) -> int:
        """Active chats with instant delivery that the snippet, once published, would reach by
        an alert and not by a subscription to its topic (an editor's "will reach N chats")."""
        title, body = await searchable_text(self._db, snippet_id)
        found = await self._terms_found(set(index_terms(f"{title} {body}").split()))
        if not found:
            return 0
        marks = ",".join("?" * len(found))
        rows = await self._db.execute_fetchall(
            f"""SELECT a.id, a.chat_id, a.term_count FROM alerts a JOIN chats c ON c.id = a.chat_id
                WHERE a.id IN ({marks}) AND c.state = 'active' AND c.instant = 1
                  AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.chat_id = a.chat_id AND s.topic = ?)""",
            (*found, topic),
        )
        return len({chat_id for alert_id, chat_id, term_count in rows if found[alert_id] == term_count})

    async def prune_matches(self, older_than: float) -> int:
        """Forget what matched before `older_than` (a time.time()): digests only look at what
        was published since their last one."""
        async with transaction(self._db):
            cursor = await self._db.execute("DELETE FROM alert_matches WHERE created_at < ?", (older_than,))
        return cursor.rowcount

    async def count(self) -> int:
        (total,), = await self._db.execute_fetchall("SELECT COUNT(*) FROM alerts")
        return total
