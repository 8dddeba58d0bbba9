"""The outbox at scale: editing a snippet that was delivered to many chats. Rerun with:

    .venv/bin/python bench/bench_outbox.py               # 1,000,000 chats
    .venv/bin/python bench/bench_outbox.py --chats 100000

Builds a database the way `python -m bot` opens it (its migrations, its seeds), records one
published snippet as delivered to N chats, then measures, in the same run:
  * the edit as editors make it (`EditorialRepository.update_text`), and how much of it is
    counting the copies (done after the commit): the rest is the time the write lock is held;
  * the reference: the same edit writing one correction row per delivered copy inside the
    transaction, as the previous release did;
  * the longest of the short transactions in which the corrector then expands the order;
  * pruning the finished deliveries (retention), per batch.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import open_services  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.domain.actors import Actor  # noqa: E402
from bot.storage.database import transaction  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


async def deliver_to(db, snippet_id: int, chats: int, sent_at: float) -> None:
    async with transaction(db):
        await db.execute(
            """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
               INSERT INTO chats (id, type, timezone, created_at, updated_at)
               SELECT 1000000000 + i, 'private', 'UTC', '', '' FROM n""", (chats,))
        await db.execute(
            """INSERT INTO deliveries (chat_id, kind, snippet_id, status, message_ids, created_at, sent_at)
               SELECT id, 'snippet', ?, 'sent', '[7]', ?, ? FROM chats WHERE id >= 1000000000""",
            (snippet_id, sent_at, sent_at))


async def main(chats: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    try:
        shutil.copytree(ROOT / "seeds", folder / "seeds")
        settings = Settings(_env_file=None, bot_token=TOKEN, database_path=folder / "bot.db",
                            seeds_dir=folder / "seeds", topics_file=ROOT / "config" / "topics.yaml")
        services = await open_services(settings)
        db = services.db
        (snippet_id,), = await db.execute_fetchall(
            "SELECT id FROM snippets WHERE status = 'published' ORDER BY id LIMIT 1")
        started = time.perf_counter()
        await deliver_to(db, snippet_id, chats, time.time() - 3_600)
        print(f"prepared {chats:,} delivered copies in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        repository = services.editorial.repository
        editor = Actor(1001, "bench", "telegram")
        record = await repository.snippet(snippet_id)

        started = time.perf_counter()
        told = await repository.update_text(editor, snippet_id, record.title + " (уточнено)", record.summary)
        edit_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        await services.delivery.corrections.copies_of(snippet_id)  # the part that runs after the commit
        count_ms = (time.perf_counter() - started) * 1000
        lock_ms = edit_ms - count_ms

        (last_id,), = await db.execute_fetchall("SELECT COALESCE(MAX(id), 0) FROM corrections")
        reference_started = time.perf_counter()
        async with transaction(db):  # the previous release: every correction row inside the edit
            await db.execute(
                """INSERT INTO corrections (chat_id, message_id, snippet_id, action, created_at)
                   SELECT chat_id, json_extract(message_ids, '$[0]'), snippet_id, 'edit', ?
                   FROM deliveries WHERE kind = 'snippet' AND snippet_id = ? AND status = 'sent'
                     AND json_array_length(message_ids) > 0""", (time.time(), snippet_id))
        reference_ms = (time.perf_counter() - reference_started) * 1000
        async with transaction(db):  # the reference's rows go; the order made by the edit stays
            await db.execute("DELETE FROM corrections WHERE id > ?", (last_id,))

        corrections = services.delivery.corrections
        durations, written = [], 0
        while True:
            started = time.perf_counter()
            count = await corrections.expand_orders()
            if not count:
                break
            durations.append(time.perf_counter() - started)
            written += count
        durations.sort()
        batches, longest = len(durations), durations[-1]
        median, p99 = durations[batches // 2], durations[min(batches - 1, int(batches * 0.99))]

        outbox = services.delivery.outbox
        started = time.perf_counter()
        pruned = await outbox.prune_finished(time.time())
        prune_s = time.perf_counter() - started
        await services.close()

        print(f"| measure ({chats:,} chats hold a copy) | value |")
        print("|---|---|")
        print(f"| the edit, as `/edit` makes it (copies told to the editor: {told:,}) | {edit_ms:.1f} ms |")
        print(f"| of which counting the copies, after the commit | {count_ms:.1f} ms |")
        print(f"| so the write lock is held about | {lock_ms:.1f} ms |")
        print(f"| reference: writing every correction row inside the edit (previous release) | {reference_ms:.0f} ms |")
        print(f"| ratio reference / lock held | {reference_ms / lock_ms:.0f}× |")
        print(f"| corrector: expansion transactions ({batches:,} batches, {written:,} rows), median / p99 / longest | {median * 1000:.1f} / {p99 * 1000:.1f} / {longest * 1000:.1f} ms |")
        print(f"| retention: {pruned:,} finished deliveries pruned | {prune_s:.1f} s in batches of 5,000 |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().chats))
