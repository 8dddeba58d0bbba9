"""The outbox at scale: per-snippet questions answered by index, finished deliveries pruned
after the retention with their counts kept, pending ones never touched."""

from __future__ import annotations

import time

import pytest

from bot.storage.database import transaction


async def fill(db, snippet_id: int, rows: list[tuple[int, str, float]]) -> None:
    async with transaction(db):
        await db.executemany(
            """INSERT INTO chats (id, type, timezone, created_at, updated_at) VALUES (?, 'private', 'UTC', '', '')
               ON CONFLICT DO NOTHING""",
            [(chat_id,) for chat_id, _status, _at in rows],
        )
        await db.executemany(
            """INSERT INTO deliveries (chat_id, kind, snippet_id, status, error, message_ids, created_at, sent_at)
               VALUES (?, 'snippet', ?, ?, CASE WHEN ? = 'failed' THEN 'blocked' END, '[7]', ?, ?)""",
            [(chat_id, snippet_id, status, status, at, at if status == "sent" else None)
             for chat_id, status, at in rows],
        )


async def test_pruning_keeps_counts_and_pending_deliveries(services) -> None:
    outbox, db = services.delivery.outbox, services.delivery.outbox._db
    (snippet_id,), = await db.execute_fetchall("SELECT id FROM snippets ORDER BY id LIMIT 1")
    old, now = time.time() - 40 * 86_400, time.time()
    await fill(db, snippet_id, [(9000 + i, "sent", old) for i in range(7)]
               + [(9100, "failed", old), (9101, "pending", old), (9102, "sent", now)])
    before = await outbox.stats()
    delivered = await outbox.delivered_count(snippet_id)

    pruned = await services.delivery.prune()  # the default retention: 30 days

    assert pruned == 8  # seven sent and one failed, older than 30 days; the pending one stays
    (left,), = await db.execute_fetchall("SELECT COUNT(*) FROM deliveries")
    assert left == 2
    after = await outbox.stats()
    assert (after.sent, after.pending, after.failed) == (before.sent, before.pending, before.failed)
    assert await outbox.delivered_count(snippet_id) == delivered == 8
    assert await services.delivery.prune() == 0  # nothing more to do


@pytest.mark.sqlite_only(reason="SQLite's EXPLAIN QUERY PLAN")
async def test_per_snippet_questions_use_an_index(services) -> None:
    db = services.delivery.outbox._db
    for query in (
        "SELECT COUNT(*) FROM deliveries WHERE kind = 'snippet' AND snippet_id = 1 AND status = 'sent'",
        "SELECT chat_id FROM deliveries WHERE kind = 'snippet' AND snippet_id = 1 AND status = 'sent'",
    ):
        plan = " ".join(row[-1] for row in await db.execute_fetchall("EXPLAIN QUERY PLAN " + query))
        assert "deliveries_by_snippet" in plan, plan


async def test_an_edit_orders_corrections_that_are_written_in_short_batches(services) -> None:
    db = services.delivery.outbox._db
    corrections = services.delivery.corrections
    (snippet_id,), = await db.execute_fetchall("SELECT id FROM snippets ORDER BY id LIMIT 1")
    now = time.time()
    await fill(db, snippet_id, [(20_000 + i, "sent", now - 10) for i in range(5_000)])

    async with transaction(db):
        await corrections.queue_for_snippet(snippet_id, "edit")
    assert await corrections.copies_of(snippet_id) == 5_000  # what the editor is told
    (written,), = await db.execute_fetchall("SELECT COUNT(*) FROM corrections")
    assert written == 0  # the edit's transaction wrote one order, not 5,000 rows

    await fill(db, snippet_id, [(30_000, "sent", time.time() + 5)])  # sent after the edit: already new
    batches = []
    while (count := await corrections.expand_orders(batch=2_000)):
        batches.append(count)
    assert batches == [2_000, 2_000, 1_000]
    rows = await db.execute_fetchall("SELECT chat_id, message_id, action FROM corrections ORDER BY chat_id")
    assert len(rows) == 5_000 and {r[2] for r in rows} == {"edit"} and all(r[1] == 7 for r in rows)
    assert 30_000 not in {r[0] for r in rows}

    async with transaction(db):  # a second edit replaces what is still waiting
        await corrections.queue_for_snippet(snippet_id, "retire")
    assert len(await corrections.due(limit=10)) == 10
    (pending,), = await db.execute_fetchall("SELECT COUNT(*) FROM corrections WHERE status = 'pending'")
    assert pending == 2_000  # the first batch of the new order; the old rows are superseded
