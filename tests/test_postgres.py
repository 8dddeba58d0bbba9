"""PostgreSQL as a backend: the schema covers SQLite's, search answers as on SQLite, start-up
refuses what it cannot run on, and the SQL translation refuses what it does not know.

The PostgreSQL pass runs these (`TEST_DATABASE_URL` set, as `.ci/run` sets it when a server is
reachable); the rest of the suite runs on PostgreSQL in that pass too, through `settings`."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from bot.app import open_services
from bot.config import ConfigError, load_settings
from bot.domain.validation import ContentError
from bot.storage.backends import PostgresBackend, schema_version
from bot.storage.database import open_database
from bot.storage.migrations import migrate as sqlite_migrate
from bot.storage.postgres.dialect import UntranslatedSql, to_postgres


# --- the translation (no server needed) ---------------------------------------------------

def test_placeholders_and_percent_signs_are_turned_for_psycopg() -> None:
    assert to_postgres("SELECT * FROM t WHERE a = ? AND b LIKE '%x?'") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE '%%x?'"
    )


def test_insert_or_ignore_skips_conflicting_rows() -> None:
    assert to_postgres("INSERT OR IGNORE INTO r (a) VALUES (?)") == "INSERT INTO r (a) VALUES (%s) ON CONFLICT DO NOTHING"


@pytest.mark.parametrize("sql", [
    "PRAGMA user_version", "SELECT json_object('a', 1)", "UPDATE OR IGNORE t SET a = 1",
    "INSERT OR REPLACE INTO t VALUES (1)", "SELECT * FROM s WHERE s MATCH ?",
])
def test_a_sqlite_only_statement_fails_loudly_instead_of_meaning_something_else(sql: str) -> None:
    with pytest.raises(UntranslatedSql):
        to_postgres(sql)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab?%' ", max_size=30))
def test_every_question_mark_outside_quotes_becomes_a_placeholder(sql: str) -> None:
    if sql.count("'") % 2:
        sql += "'"
    turned = to_postgres(f"SELECT {sql}")
    outside = re.sub(r"'[^']*'", "", sql)
    assert turned.count("%s") == outside.count("?")
    assert "%" not in turned.replace("%s", "").replace("%%", "")


def test_database_url_must_be_postgresql() -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL: must be a postgresql://"):
        load_settings(_env_file=None, database_url="mysql://root@localhost/bot")
    assert load_settings(_env_file=None, database_url="  ").database_url is None


def test_the_password_is_never_in_what_the_bot_logs() -> None:
    backend = PostgresBackend("postgresql://bot:s3cret@db.internal:6543/briefings")
    assert backend.describe() == "PostgreSQL db.internal:6543/briefings"
    assert "s3cret" not in repr(load_settings(_env_file=None, database_url=backend.url))


# --- against the server --------------------------------------------------------------------

async def test_every_sqlite_table_and_column_exists_on_postgresql(tmp_path, settings, pg_url) -> None:
    """A SQLite migration without its PostgreSQL twin fails here (see postgres/migrations.py)."""
    lite = await open_database(tmp_path / "schema.db")
    await sqlite_migrate(lite)
    expected = {}
    for (table,) in await lite.execute_fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'snippet_search_%' "
        "AND name NOT LIKE 'sqlite_%'"
    ):
        expected[table] = {row[1] for row in await lite.execute_fetchall(f"PRAGMA table_info({table})")}
    await lite.close()
    backend = PostgresBackend(pg_url)
    db = await backend.connect()
    try:
        await backend.migrate(db)
        rows = await db.execute_fetchall(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        )
    finally:
        await db.close()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    for table, columns in expected.items():
        assert table in found, f"table {table} has no PostgreSQL migration"
        assert columns <= found[table], f"{table}: {columns - found[table]} missing on PostgreSQL"


def _queries(snippets) -> list[str]:
    """Every word of every published title and summary (both languages), and neighbouring
    pairs: single roots, AND matches and, where a pair shares no snippet, the OR fallback."""
    queries: list[str] = ["Росатом", "energy", "нефть газ", "wheat exports", "Казахстан Россия", "зерно"]
    for view in snippets:
        for text in (view.title, view.summary, view.title_en or "", view.summary_en or ""):
            words = re.findall(r"\w{4,}", text)
            queries += words[:12]
            queries += [f"{a} {b}" for a, b in zip(words[:8:2], words[1:9:2])]
    return list(dict.fromkeys(queries))


async def test_search_answers_as_on_sqlite_in_russian_and_english(tmp_path, settings, pg_url) -> None:
    lite = await open_services(settings.model_copy(update={"database_url": None}))
    pg = await open_services(settings.model_copy(update={"database_url": pg_url}))
    try:
        queries = _queries(await lite.content.published_snippets())
        assert len(queries) > 100
        answered = 0
        for query in queries:
            on_sqlite = [(view.key, round(hit.score, 6)) for view, hit in await lite.content.search(query)]
            on_pg = [(view.key, round(hit.score, 6)) for view, hit in await pg.content.search(query)]
            assert on_pg == on_sqlite, query
            answered += bool(on_sqlite)
        assert answered > len(queries) // 2
    finally:
        await lite.close()
        await pg.close()


async def test_a_schema_newer_than_the_code_is_refused(settings, pg_url) -> None:
    from bot.storage.migrations import SchemaTooNew

    services = await open_services(settings.model_copy(update={"database_url": pg_url}))
    version, latest = await schema_version(services.db)
    assert version == latest
    await services.db.execute("UPDATE schema_version SET version = ?", (latest + 1,))
    await services.close()
    with pytest.raises(SchemaTooNew, match=f"version {latest + 1} is newer"):
        await open_services(settings.model_copy(update={"database_url": pg_url}))


async def _digest(db) -> list:
    rows = []
    for (table,) in await db.execute_fetchall(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name != 'replicas' ORDER BY 1"  # heartbeats are no content
    ):
        rows.append((table, await db.execute_fetchall(f"SELECT * FROM {table} ORDER BY 1")))
    return rows


async def test_a_bad_seed_leaves_the_database_as_it_was(settings, seeds_dir, pg_url) -> None:
    settings = settings.model_copy(update={"database_url": pg_url})
    services = await open_services(settings)
    before = await _digest(services.db)
    await services.close()
    seed = seeds_dir / "borisov-2025-11-12.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("topic: energy", "topic: astrology", 1), encoding="utf-8")
    with pytest.raises(ContentError, match="astrology"):
        await open_services(settings)
    db = await PostgresBackend(pg_url).connect()
    try:
        assert await _digest(db) == before
    finally:
        await db.close()


async def test_two_processes_may_share_one_postgresql_database(settings, pg_url) -> None:
    """No instance lock on PostgreSQL: replicas coordinate through the database instead."""
    settings = settings.model_copy(update={"database_url": pg_url})
    first = await open_services(settings)
    second = await open_services(settings)
    try:
        assert first.lock is None and second.lock is None
        assert len(await second.content.published_snippets()) == len(await first.content.published_snippets())
    finally:
        await first.close()
        await second.close()


async def _queued(settings, seeds_dir, chats: int, snippets: int = 1) -> list[int]:
    """`chats` private chats subscribed to energy and `snippets` new energy snippets published:
    each chat owed that many deliveries. Returns the chats."""
    from bot.storage.database import transaction
    from tests.publishing import add_snippet

    ids = [5_000 + i for i in range(chats)]
    services = await open_services(settings)
    try:
        async with transaction(services.db) as db:
            await db.executemany(
                "INSERT INTO chats (id, type, title, language, timezone, created_at, updated_at) "
                "VALUES (?, 'private', 'R', 'ru', 'UTC', '2025-01-01', '2025-01-01')", [(i,) for i in ids])
            await db.executemany(
                "INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, 'energy', '2025-01-01')",
                [(i,) for i in ids])
        for word in ("Первая", "Вторая", "Третья")[:snippets]:
            add_snippet(seeds_dir, "energy", f"{word} рассылка на троих")
        await services.intake.reload_seeds()
        assert (await services.outbox.stats()).pending == chats * snippets
    finally:
        await services.close()
    return ids


async def _outboxes(settings, replicas: list[tuple[str, object]], claim_batch: int = 16) -> list:
    """A PgOutbox for each (replica, clock), each on a connection of its own."""
    from bot.app import storage_backend
    from bot.storage.postgres.coordination import PgOutbox

    backend = storage_backend(settings)
    return [PgOutbox(await backend.connect(), replica, clock=clock, claim_batch=claim_batch)
            for replica, clock in replicas]


async def _close(outboxes) -> None:
    for outbox in outboxes:
        await outbox._db.close()


async def _claim_all(outbox, busy=()) -> list:
    """Every delivery the replica can claim in one pass, batch by batch, as its sender does."""
    claimed, cursor = [], 0
    while batch := await outbox.claim_due(cursor, 500, busy):
        claimed += batch
        cursor = batch[-1].id
    return claimed


async def test_replicas_claiming_the_same_deliveries_at_once_never_both_win_one(settings, pg_url, seeds_dir) -> None:
    """Three replicas walk the same due deliveries at once, each claiming them 16 at a time in
    one statement (as their senders do in a broadcast): every delivery is claimed by exactly
    one, so none is sent twice and none is left. (Found by bench/bench_replicas.py with one
    claim per delivery: a claim whose statement began before another replica's claim
    committed saw the delivery unclaimed.)"""
    import asyncio
    import time

    chats = 600
    await _queued(settings, seeds_dir, chats)
    outboxes = await _outboxes(settings, [(name, time.time) for name in ("r1", "r2", "r3")])
    try:
        won = await asyncio.gather(*(_claim_all(outbox) for outbox in outboxes))
    finally:
        await _close(outboxes)
    ids = [{d.id for d in claimed} for claimed in won]
    twice = (ids[0] & ids[1]) | (ids[0] & ids[2]) | (ids[1] & ids[2])
    assert not twice, f"{len(twice)} deliveries claimed by two replicas"
    assert len(ids[0] | ids[1] | ids[2]) == chats  # and every one by somebody
    assert all(len(claimed) < chats for claimed in won)  # shared, not one replica taking all


async def test_a_chats_deliveries_are_claimed_in_order_by_one_replica(settings, pg_url, seeds_dir) -> None:
    """Two messages owed to each chat: a replica claims only a chat's first, the other none of
    that chat's while the first holds it (its claim outlives the send: the chat's per-chat
    limit stays with the replica that sent); the second goes next, to the holder."""
    import time

    from bot.storage.outbox import SentPart

    chats = await _queued(settings, seeds_dir, 5, snippets=2)
    outboxes = r1, r2 = await _outboxes(settings, [("r1", time.time), ("r2", time.time)])
    try:
        first = await _claim_all(r1, busy={chats[0]})
        assert sorted(d.chat_id for d in first) == chats[1:]  # one each, none in a chat with a send in flight
        [only] = await _claim_all(r2)
        assert only.chat_id == chats[0]  # the chat r1 left alone; the others are r1's
        await r1.parts_sent([SentPart(d, 900 + i, last=True) for i, d in enumerate(first)])
        assert {d.chat_id for d in await _claim_all(r2)} == {chats[0]}  # its own again, none of r1's
        second = await _claim_all(r1)
        assert sorted(d.chat_id for d in second) == chats[1:]
        assert all(b.id > a.id for a, b in zip(sorted(first, key=lambda d: d.chat_id),
                                               sorted(second, key=lambda d: d.chat_id)))
    finally:
        await _close(outboxes)


async def test_a_dead_replicas_claims_come_back_after_the_lease_and_nothing_sooner(settings, pg_url, seeds_dir) -> None:
    """r1 claims and dies. Until its lease ends r2 finds nothing to take, and is told to look
    again when the lease ends (not at once, again and again); then r2 takes every one."""
    import time

    from bot.storage.postgres.coordination import LEASE

    chats = await _queued(settings, seeds_dir, 20)
    start = time.time()
    later = start + LEASE + 1
    outboxes = dead, survivor, after = await _outboxes(
        settings, [("r1", lambda: start), ("r2", lambda: start + 1), ("r2", lambda: later)])
    try:
        held = await _claim_all(dead)
        assert len(held) == len(chats)
        assert await _claim_all(survivor) == []
        assert await survivor.next_due_at() == start + LEASE
        assert sorted(d.id for d in await _claim_all(after)) == sorted(d.id for d in held)
    finally:
        await _close(outboxes)


async def test_a_chat_telegram_asked_to_wait_is_left_alone_by_every_replica_until_then(settings, pg_url, seeds_dir) -> None:
    """A 429 with retry after 60 s for one chat on r1: its claim holds that chat past the lease,
    through a clean stop of r1, so r2 sends there neither the retried message nor a later one
    before the 60 s are over."""
    import time

    from bot.storage.outbox import SentPart
    from bot.storage.postgres.coordination import LEASE

    chats = await _queued(settings, seeds_dir, 2, snippets=2)
    start = time.time()
    outboxes = r1, r2, r2_after = await _outboxes(
        settings, [("r1", lambda: start), ("r2", lambda: start + LEASE + 1), ("r2", lambda: start + 61)])
    try:
        first = await _claim_all(r1)
        told = next(d for d in first if d.chat_id == chats[0])
        await r1.retry_later(told.id, 60, "retry after 60 s", count_attempt=False, hold_chat=True)
        await r1.release_claims()  # r1 stops cleanly: the other chat is free at once
        for _ in range(2):  # the other chat's two messages, one after the other, all r2's
            now = await _claim_all(r2)
            assert [d.chat_id for d in now] == [chats[1]]
            await r2.parts_sent([SentPart(now[0], 901, last=True)])
        assert await _claim_all(r2) == []
        assert await r2.next_due_at() == start + 60  # told when to look again: not before
        then = await _claim_all(r2_after)
        assert [d.id for d in then if d.chat_id == chats[0]] == [told.id]  # the retried one first
    finally:
        await _close(outboxes)


async def test_a_leader_asked_from_everywhere_at_once_holds_one_lock_and_frees_it_at_close(pg_url) -> None:
    """The corrector, the feed poller and the digest clock ask `leading()` at once when a
    replica starts: it answers them alike, and at close the lock is free for the next replica
    (before, each question opened a session of its own, one of them kept the lock unseen, and
    the replica led no more; found as a feed test waiting out the poller's minute)."""
    import asyncio

    from bot.storage.postgres.coordination import PgCoordination

    first = PgCoordination(pg_url, "r1", lambda: None)
    second = PgCoordination(pg_url, "r2", lambda: None)
    try:
        assert await asyncio.gather(*(first.leading() for _ in range(6))) == [True] * 6
        assert not await second.leading()
        await first.close()
        assert not await first.leading()  # closed: leads nothing
        for _ in range(100):  # the server frees the lock once the closed session has ended
            if await second.leading():
                break
            await asyncio.sleep(0.05)
        assert await second.leading()
    finally:
        await first.close()
        await second.close()


async def test_the_console_with_database_url_set_keeps_to_its_sqlite_sandbox(pg_url, tmp_path) -> None:
    """`python -m bot console` where the replicas' DATABASE_URL is set (an operator's shell):
    its sandbox is still its own SQLite file, and the PostgreSQL database is left as it was."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = await PostgresBackend(pg_url).connect()
    try:
        before = await _digest(db)
        env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
               "SEEDS_DIR": str(ROOT / "seeds"), "TOPICS_FILE": str(ROOT / "config/topics.yaml"),
               "DATABASE_URL": pg_url}
        result = subprocess.run([sys.executable, "-m", "bot", "console"], input="/subscribe energy\n/quit\n",
                                env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "Sandbox: database data/console.db" in result.stdout
        assert (tmp_path / "data" / "console.db").is_file()
        assert await _digest(db) == before
    finally:
        await db.close()


async def test_a_schema_lent_again_is_what_a_fresh_migration_leaves(settings, schema_pool, postgres_database) -> None:
    """The PostgreSQL pass lends each test a schema used before (tests/pg.py): wiped, it holds
    what a fresh migration holds, rows and sequences alike, so no test sees another's data."""
    from tests.pg import fresh_schema, migrate

    async def state(url: str) -> list:
        db = await PostgresBackend(url).connect()
        try:
            sequences = await db.execute_fetchall(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1")
            return [await _digest(db), sequences]
        finally:
            await db.close()

    url = schema_pool.lend()
    services = await open_services(settings.model_copy(update={"database_url": url}))
    try:
        await services.chats.ensure(5_001, "private", "Reader", "ru")
        await services.chats.subscribe(5_001, ["energy"])
    finally:
        await services.close()
    used = await state(url)
    schema_pool.give_back(url)
    again = schema_pool.lend()
    try:
        assert again == url  # the same schema, lent again
        fresh = fresh_schema(postgres_database, "fresh_for_comparison")
        migrate(fresh)
        assert await state(again) == await state(fresh) != used
    finally:
        schema_pool.give_back(again)


def test_an_unreachable_server_is_one_clear_line(settings, capsys) -> None:
    from bot.__main__ import main

    import os
    os.environ["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    try:
        status = main(["import", str(settings.seeds_dir / "borisov-2025-11-12.yaml"), "--dry-run"])
    finally:
        del os.environ["DATABASE_URL"]
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: cannot reach the database at DATABASE_URL (127.0.0.1:1/none)")


async def test_backup_is_a_pg_dump_that_restores(settings, pg_url, tmp_path, monkeypatch, capsys) -> None:
    import shutil
    import subprocess

    from bot.__main__ import main

    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed")
    services = await open_services(settings.model_copy(update={"database_url": pg_url}))
    titles = sorted(view.title for view in await services.content.published_snippets())
    await services.close()
    monkeypatch.setenv("DATABASE_URL", pg_url)
    target = tmp_path / "bot.dump"
    assert main(["backup", str(target)]) == 0
    assert "backed up PostgreSQL 127.0.0.1:5432/" in capsys.readouterr().out
    assert main(["backup", str(target)]) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA" in listing and "deliveries" in listing
    # restored into a fresh database, the bot finds the same content there
    from tests.pg import create_run_database, drop_run_database
    admin = os.environ["TEST_DATABASE_URL"]
    restored_url, name = create_run_database(admin.replace("/postgres", "/postgres"), suffix="restore")
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored_url}", str(target)], check=True,
                       capture_output=True)
        schema = pg_url.rsplit("%3D", 1)[1]
        from bot.storage.postgres.connection import with_schema
        restored = await open_services(settings.model_copy(update={"database_url": with_schema(restored_url, schema)}))
        try:
            assert sorted(view.title for view in await restored.content.published_snippets()) == titles
        finally:
            await restored.close()
    finally:
        drop_run_database(admin, name)
