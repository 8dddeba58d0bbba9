"""The counters in `meta`, owned here and nowhere else.

* `content_version` goes up with every committed change readers could see (what caches and the
  delivery renderer key on);
* `publish_seq` numbers publications, so a digest can ask for "everything since N";
* `paid_messages` counts the messages sent as paid broadcasts (what they cost is shown to owners).
All are changed only inside the caller's transaction.
"""

from __future__ import annotations

import aiosqlite


async def content_version(db: aiosqlite.Connection) -> int:
    (value,), = await db.execute_fetchall("SELECT value FROM meta WHERE key = 'content_version'")
    return int(value)


async def bump_content_version(db: aiosqlite.Connection) -> None:
    await db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'content_version'")


async def publish_seq(db: aiosqlite.Connection) -> int:
    (value,), = await db.execute_fetchall("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'publish_seq'")
    return int(value)


async def number_publication(db: aiosqlite.Connection, snippet_id: int) -> None:
    """Give the snippet the next publication number (digests collect by it)."""
    await db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'publish_seq'")
    await db.execute(
        """UPDATE snippets SET published_seq =
               (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'publish_seq')
           WHERE id = ?""",
        (snippet_id,),
    )


PUBLISH_SEQ_SQL = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'publish_seq')"  # inside a statement


async def paid_messages(db: aiosqlite.Connection) -> int:
    (value,), = await db.execute_fetchall("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'paid_messages'")
    return int(value)


async def count_paid_messages(db: aiosqlite.Connection, count: int) -> None:
    await db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'paid_messages'", (count,))
