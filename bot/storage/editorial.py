"""Editorial storage: editors, drafts, edits, publication, retirement, and what needs correcting.

Every change runs in one transaction together with its audit entry and its consequences (the
outbox for a publication, corrections of delivered messages for an edit or a retirement), so
readers never see half of a change.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid

import aiosqlite

from bot.domain.actors import Actor
from bot.domain.clock import utc_now_iso
from bot.domain.models import Figure
from bot.domain.views import QuoteView, SnippetRecord
from bot.storage import audit
from bot.storage.content_repository import (
    FIGURE_COLUMNS,
    QUOTE_ASSIGNMENTS,
    QUOTE_COLUMNS,
    QUOTE_MARKS,
    ContentRepository,
    figure_row,
    quote_row,
)
from bot.storage.corrections import CorrectionRepository
from bot.storage.database import transaction

PENDING_TTL = 24 * 3600  # seconds an unconfirmed change stays applicable
# An uploaded file waits for Apply with its whole content (up to the upload limit): an hour,
# and an editor's three latest tries, not a day of every try.
FILE_TTL = 3600
PENDING_KEPT = {"file": 3}  # per editor and kind; the older ones expire at once
PENDING_KEPT_DEFAULT = 50


def pending_ttl(kind: str) -> float:
    return FILE_TTL if kind == "file" else PENDING_TTL


class EditorialRepository:
    def __init__(
        self, db: aiosqlite.Connection, content: ContentRepository, corrections: CorrectionRepository
    ) -> None:
        self._db = db
        self.content = content
        self._corrections = corrections

    # --- roles ------------------------------------------------------------------------------

    async def is_editor(self, user_id: int) -> bool:
        rows = await self._db.execute_fetchall(
            "SELECT 1 FROM editors WHERE user_id = ? AND revoked_at IS NULL", (user_id,)
        )
        return bool(rows)

    async def grant(self, user_id: int, by: Actor) -> bool:
        """Make someone an editor; False if they already were."""
        async with transaction(self._db):
            if await self.is_editor(user_id):
                return False
            await self._db.execute(
                """INSERT INTO editors (user_id, granted_by, granted_at) VALUES (?, ?, ?)
                   ON CONFLICT (user_id) DO UPDATE SET granted_by = excluded.granted_by,
                       granted_at = excluded.granted_at, revoked_by = NULL, revoked_at = NULL""",
                (user_id, by.id or 0, utc_now_iso()),
            )
            await audit.record(self._db, by, f"granted editor to {user_id}")
        return True

    async def revoke(self, user_id: int, by: Actor) -> bool:
        async with transaction(self._db):
            cursor = await self._db.execute(
                "UPDATE editors SET revoked_by = ?, revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                (by.id or 0, utc_now_iso(), user_id),
            )
            if cursor.rowcount:
                # their Apply buttons die with the role: a later grant does not revive them
                await self._db.execute("DELETE FROM pending_changes WHERE actor_id = ?", (user_id,))
                await audit.record(self._db, by, f"revoked editor from {user_id}")
        return bool(cursor.rowcount)

    # --- reading ----------------------------------------------------------------------------

    async def snippet(self, snippet_id: int) -> SnippetRecord | None:
        rows = await self._db.execute_fetchall(
            "SELECT id, source_id, topic, title, summary, status, origin FROM snippets WHERE id = ?",
            (snippet_id,),
        )
        return SnippetRecord(*rows[0]) if rows else None

    async def drafts(self, limit: int = 20) -> list[SnippetRecord]:
        rows = await self._db.execute_fetchall(
            """SELECT id, source_id, topic, title, summary, status, origin FROM snippets
               WHERE status = 'draft' ORDER BY id DESC LIMIT ?""",
            (limit,),
        )
        return [SnippetRecord(*row) for row in rows]

    async def on_the_desk(self, limit: int) -> list[SnippetRecord]:
        """Drafts and live snippets, by topic, drafts first, newest first (the Mini App's list)."""
        rows = await self._db.execute_fetchall(
            """SELECT id, source_id, topic, title, summary, status, origin FROM snippets
               WHERE status IN ('draft', 'published')
               ORDER BY topic, status = 'published', id DESC LIMIT ?""",
            (limit,),
        )
        return [SnippetRecord(*row) for row in rows]

    async def source_text(self, source_id: str) -> str | None:
        return await self.content.source_text(source_id)

    async def newest_source(self) -> str | None:
        rows = await self._db.execute_fetchall(
            "SELECT id FROM sources WHERE status = 'live' ORDER BY date DESC, created_at DESC LIMIT 1"
        )
        return rows[0][0] if rows else None

    async def ensure_editors_source(self, source_id: str, title: str, date: str, author: str,
                                    url: str | None = None) -> None:
        """The source an editors' note is filed under (no text of its own; `url`: the page a
        note that states numbers links to, which it cites)."""
        now = utc_now_iso()
        async with transaction(self._db):
            await self._db.execute(
                """INSERT INTO sources (id, title, date, kind, language, author_name, author_role, url,
                                        origin, fingerprint, status, created_at, updated_at)
                   VALUES (?, ?, ?, 'note', 'ru', ?, NULL, ?, 'editor', '', 'live', ?, ?)
                   ON CONFLICT (id) DO UPDATE SET status = 'live'""",
                (source_id, title, date, author, url, now, now),
            )

    async def source_url(self, source_id: str) -> str | None:
        rows = await self._db.execute_fetchall("SELECT url FROM sources WHERE id = ?", (source_id,))
        return rows[0][0] if rows else None

    async def newest_source_text(self) -> str | None:
        """The text of the newest source that has one (what an editors' note's numbers are held to)."""
        rows = await self._db.execute_fetchall(
            """SELECT text FROM sources WHERE status = 'live' AND text IS NOT NULL
               ORDER BY date DESC, created_at DESC LIMIT 1"""
        )
        return rows[0][0] if rows else None

    async def history(self, snippet_id: int) -> list[audit.AuditEntry]:
        return await audit.history(self._db, snippet_id)

    # --- changes ----------------------------------------------------------------------------

    async def create_draft(self, actor: Actor, source_id: str, topic: str, title: str, summary: str) -> int:
        async with transaction(self._db):
            (position,), = await self._db.execute_fetchall(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM snippets WHERE source_id = ?", (source_id,)
            )
            now = utc_now_iso()
            (snippet_id,), = await self._db.execute_fetchall(
                """INSERT INTO snippets (source_id, key, topic, title, summary, position, fingerprint,
                                         status, origin, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', 'editor', ?, ?) RETURNING id""",
                (source_id, f"ed-{uuid.uuid4().hex[:10]}", topic, title, summary, position,
                 "", now, now),
            )
            await self.content.content_edited(snippet_id, published=False)
            await audit.record(self._db, actor, "drafted", snippet_id=snippet_id, source_id=source_id,
                               after=await audit.snapshot(self._db, snippet_id))
        return snippet_id

    async def update_text(self, actor: Actor, snippet_id: int, title: str, summary: str) -> int:
        """Change the words; returns how many delivered messages will be corrected."""
        async with transaction(self._db):
            before = await audit.snapshot(self._db, snippet_id)
            await self._db.execute(
                "UPDATE snippets SET title = ?, summary = ?, updated_at = ? WHERE id = ?",
                (title, summary, utc_now_iso(), snippet_id),
            )
            published = await self._after_edit(actor, snippet_id, before, "edited")
        return await self._corrections.copies_of(snippet_id) if published else 0

    async def set_topic(self, actor: Actor, snippet_id: int, topic: str) -> None:
        """A draft's topic, chosen by an editor (an article that fitted no topic comes without one)."""
        async with transaction(self._db):
            before = await audit.snapshot(self._db, snippet_id)
            await self._db.execute(
                "UPDATE snippets SET topic = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
                (topic, utc_now_iso(), snippet_id),
            )
            await self._after_edit(actor, snippet_id, before, "topic set")

    async def add_figure(self, actor: Actor, snippet_id: int, figure: Figure) -> int:
        async with transaction(self._db):
            before = await audit.snapshot(self._db, snippet_id)
            await self._db.execute(
                f"""INSERT INTO figures (snippet_id, position, {FIGURE_COLUMNS})
                    VALUES (?, (SELECT COUNT(*) FROM figures WHERE snippet_id = ?), {", ".join("?" * len(FIGURE_COLUMNS.split(",")))})""",
                (snippet_id, snippet_id, *figure_row(figure)),
            )
            published = await self._after_edit(actor, snippet_id, before, "figure added")
        return await self._corrections.copies_of(snippet_id) if published else 0

    async def remove_figure(self, actor: Actor, snippet_id: int, position: int) -> int:
        """Take out the figure at `position` (from 1, as listed); the rest close up."""
        return await self._remove(actor, snippet_id, "figures", position, "figure removed")

    async def put_quote(self, actor: Actor, snippet_id: int, quote: QuoteView, position: int = 0) -> int:
        """Replace the quote at `position` (from 1), or add one after the others (0)."""
        async with transaction(self._db):
            before = await audit.snapshot(self._db, snippet_id)
            ids = await self._ids(snippet_id, "quotes")
            if position > len(ids):
                return 0  # (checked before; gone meanwhile: nothing to replace)
            if position:
                await self._db.execute(
                    f"UPDATE quotes SET {QUOTE_ASSIGNMENTS} WHERE id = ?",
                    (*quote_row(quote), ids[position - 1]),
                )
                action = "quote replaced"
            else:
                await self._db.execute(
                    f"INSERT INTO quotes (snippet_id, position, {QUOTE_COLUMNS}) VALUES (?, ?, {QUOTE_MARKS})",
                    (snippet_id, len(ids), *quote_row(quote)),
                )
                action = "quote added"
            published = await self._after_edit(actor, snippet_id, before, action)
        return await self._corrections.copies_of(snippet_id) if published else 0

    async def remove_quote(self, actor: Actor, snippet_id: int, position: int) -> int:
        return await self._remove(actor, snippet_id, "quotes", position, "quote removed")

    async def _remove(self, actor: Actor, snippet_id: int, table: str, position: int, action: str) -> int:
        async with transaction(self._db):
            before = await audit.snapshot(self._db, snippet_id)
            ids = await self._ids(snippet_id, table)
            if not 0 < position <= len(ids):
                return 0  # (checked before; gone meanwhile: nothing to take out)
            await self._db.execute(f"DELETE FROM {table} WHERE id = ?", (ids[position - 1],))
            await self._db.executemany(
                f"UPDATE {table} SET position = ? WHERE id = ?",
                [(i, row_id) for i, row_id in enumerate(ids[:position - 1] + ids[position:])],
            )
            published = await self._after_edit(actor, snippet_id, before, action)
        return await self._corrections.copies_of(snippet_id) if published else 0

    async def _ids(self, snippet_id: int, table: str) -> list[int]:
        """A snippet's figures or quotes, in the order readers see them."""
        assert table in ("figures", "quotes")
        rows = await self._db.execute_fetchall(
            f"SELECT id FROM {table} WHERE snippet_id = ? ORDER BY position, id", (snippet_id,)
        )
        return [row_id for (row_id,) in rows]

    async def _after_edit(self, actor: Actor, snippet_id: int, before: dict | None, action: str) -> bool:
        """Inside the edit's transaction; True if the snippet is on the air (its delivered
        copies are then ordered corrected; counting them waits until the lock is released)."""
        published = bool(before and before["status"] == "published")
        await self.content.content_edited(snippet_id, published)
        await audit.record(self._db, actor, action, snippet_id=snippet_id, before=before,
                           after=await audit.snapshot(self._db, snippet_id))
        if published:
            await self._corrections.queue_for_snippet(snippet_id, "edit")
        return published

    async def publish(self, actor: Actor, snippet_id: int) -> None:
        async with transaction(self._db):
            before = await audit.snapshot(self._db, snippet_id)
            await self.content.put_on_air(snippet_id)
            await audit.record(self._db, actor, "published", snippet_id=snippet_id, before=before,
                               after=await audit.snapshot(self._db, snippet_id))

    async def retire(self, actor: Actor, snippet_id: int) -> int:
        """Off the air (kept for history); delivered copies are marked as withdrawn."""
        async with transaction(self._db):
            was_published = (await audit.snapshot(self._db, snippet_id) or {}).get("status") == "published"
            await self.content.take_off_air(snippet_id, actor)
            if was_published:
                await self._corrections.queue_for_snippet(snippet_id, "retire")
        return await self._corrections.copies_of(snippet_id) if was_published else 0

    # --- changes waiting for confirmation ------------------------------------------------------

    async def put_pending(self, actor_id: int, kind: str, payload: dict) -> str:
        token = secrets.token_urlsafe(9)
        async with transaction(self._db):
            now = time.time()
            await self._db.execute(
                "DELETE FROM pending_changes WHERE created_at < ? OR (kind = 'file' AND created_at < ?)",
                (now - PENDING_TTL, now - FILE_TTL),
            )
            await self._db.execute(
                "INSERT INTO pending_changes (token, actor_id, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                (token, actor_id, kind, json.dumps(payload, ensure_ascii=False), now),
            )
            await self._db.execute(
                "DELETE FROM pending_changes WHERE actor_id = ? AND kind = ? AND rowid NOT IN ("
                " SELECT rowid FROM pending_changes WHERE actor_id = ? AND kind = ?"
                " ORDER BY created_at DESC, rowid DESC LIMIT ?)",
                (actor_id, kind, actor_id, kind, PENDING_KEPT.get(kind, PENDING_KEPT_DEFAULT)),
            )
        return token

    async def take_pending(self, token: str, actor_id: int) -> tuple[str, dict] | None:
        """The change this token stands for, once, and only for the admin who asked for it."""
        async with transaction(self._db):
            rows = await self._db.execute_fetchall(
                "SELECT kind, payload, created_at FROM pending_changes WHERE token = ? AND actor_id = ?",
                (token, actor_id),
            )
            if not rows:
                return None
            await self._db.execute("DELETE FROM pending_changes WHERE token = ?", (token,))
        kind, payload, created_at = rows[0]
        if created_at < time.time() - pending_ttl(kind):
            return None
        return kind, json.loads(payload)
