"""The audit trail: who changed which snippet, when, how, and what it looked like before and after.

Rows are only ever added. A snapshot is the snippet as readers would see it (title, summary,
topic, status, figures, quotes), so `/history` can show exactly what changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.domain.actors import Actor
from bot.domain.clock import utc_now_iso


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    via: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


async def snapshot(db: aiosqlite.Connection, snippet_id: int) -> dict[str, Any] | None:
    rows = await db.execute_fetchall(
        "SELECT topic, title, summary, status FROM snippets WHERE id = ?", (snippet_id,)
    )
    if not rows:
        return None
    topic, title, summary, status = rows[0]
    figures = await db.execute_fetchall(
        "SELECT value, unit, label, year, value_to FROM figures WHERE snippet_id = ? ORDER BY position", (snippet_id,)
    )
    quotes = await db.execute_fetchall(
        "SELECT text, author_name FROM quotes WHERE snippet_id = ? ORDER BY position", (snippet_id,)
    )
    return {
        "topic": topic, "title": title, "summary": summary, "status": status,
        "figures": [{"value": v, **({"value_to": to} if to is not None else {}), "unit": u, "label": label, "year": y}
                    for v, u, label, y, to in figures],
        "quotes": [{"text": text, "author": author} for text, author in quotes],
    }  # fmt: skip


async def record(
    db: aiosqlite.Connection,
    actor: Actor,
    action: str,
    *,
    snippet_id: int | None = None,
    source_id: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one entry (inside the caller's transaction)."""
    await db.execute(
        """INSERT INTO audit (at, actor_id, actor, via, action, snippet_id, source_id, before, after)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            utc_now_iso(), actor.id, actor.name[:100], actor.via,
            action, snippet_id, source_id,
            json.dumps(before, ensure_ascii=False) if before is not None else None,
            json.dumps(after, ensure_ascii=False) if after is not None else None,
        ),
    )


async def history(db: aiosqlite.Connection, snippet_id: int, limit: int = 20) -> list[AuditEntry]:
    rows = await db.execute_fetchall(
        """SELECT at, actor, via, action, before, after FROM audit WHERE snippet_id = ?
           ORDER BY id DESC LIMIT ?""",
        (snippet_id, limit),
    )
    return [
        AuditEntry(at, actor, via, action, json.loads(before) if before else None, json.loads(after) if after else None)
        for at, actor, via, action, before, after in reversed(rows)
    ]
