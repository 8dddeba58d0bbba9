"""Versioned schema. The version lives in `PRAGMA user_version`; each step runs in its own
transaction, so a database from any older version upgrades in place, one step at a time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosqlite

from bot.storage.database import transaction

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]


async def _run_statements(db: aiosqlite.Connection, script: str) -> None:
    """Like executescript, without its implicit COMMIT (each migration is one transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            await db.execute(statement)


async def _v1_content(db: aiosqlite.Connection) -> None:
    await _run_statements(
        db,
        """
        CREATE TABLE sources (
            id          TEXT PRIMARY KEY,
            title       TEXT NOT NULL,
            date        TEXT NOT NULL,
            kind        TEXT NOT NULL,
            language    TEXT NOT NULL,
            author_name TEXT NOT NULL,
            author_role TEXT,
            url         TEXT,
            origin      TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status      TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'retired')),
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE snippets (
            id          INTEGER PRIMARY KEY,
            source_id   TEXT NOT NULL REFERENCES sources(id),
            key         TEXT NOT NULL,
            topic       TEXT NOT NULL,
            title       TEXT NOT NULL,
            summary     TEXT NOT NULL,
            position    INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            status      TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            UNIQUE (source_id, key)
        );
        CREATE INDEX snippets_by_topic ON snippets (topic, status);
        CREATE TABLE figures (
            id         INTEGER PRIMARY KEY,
            snippet_id INTEGER NOT NULL REFERENCES snippets(id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            value      TEXT NOT NULL,
            unit       TEXT NOT NULL,
            label      TEXT NOT NULL,
            year       INTEGER,
            evidence   TEXT NOT NULL
        );
        CREATE INDEX figures_by_snippet ON figures (snippet_id);
        CREATE TABLE quotes (
            id          INTEGER PRIMARY KEY,
            snippet_id  INTEGER NOT NULL REFERENCES snippets(id) ON DELETE CASCADE,
            position    INTEGER NOT NULL,
            text        TEXT NOT NULL,
            author_name TEXT NOT NULL,
            author_role TEXT
        );
        CREATE INDEX quotes_by_snippet ON quotes (snippet_id);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('content_version', '0');
        """
    )


async def _v2_search(db: aiosqlite.Connection) -> None:
    """Full-text search over stemmed roots. It starts empty: at start-up
    `SearchIndex.rebuild_if_stale` indexes every published snippet (see v3)."""
    await db.execute(
        "CREATE VIRTUAL TABLE snippet_search USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 0')"
    )


async def _v3_search_index_version(db: aiosqlite.Connection) -> None:
    """Remember which stemming rules built the search index, so a change rebuilds it."""
    await db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('search_index_version', '0')")


async def _v4_search_terms(db: aiosqlite.Connection) -> None:
    """Document frequency of each search root (filled when the index is next rebuilt)."""
    await db.execute("CREATE TABLE search_terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID")


async def _v5_subscriptions(db: aiosqlite.Connection) -> None:
    """Chats, their subscriptions and the delivery outbox.

    `snippets.published_seq` orders publications exactly (digests take what was published
    after the last one they sent); a delivery is unique per chat and snippet (or digest slot),
    so no code path can queue the same snippet into a chat twice.
    """
    await _run_statements(
        db,
        """
        ALTER TABLE snippets ADD COLUMN published_seq INTEGER;
        UPDATE snippets SET published_seq = id WHERE status = 'published';
        INSERT INTO meta (key, value)
            VALUES ('publish_seq', (SELECT COALESCE(MAX(id), 0) FROM snippets));
        CREATE TABLE chats (
            id              INTEGER PRIMARY KEY,
            type            TEXT NOT NULL CHECK (type IN ('private', 'group', 'supergroup', 'channel')),
            title           TEXT NOT NULL DEFAULT '',
            language        TEXT NOT NULL DEFAULT 'ru',
            state           TEXT NOT NULL DEFAULT 'active'
                            CHECK (state IN ('active', 'stopped', 'paused', 'migrated')),
            state_reason    TEXT,
            instant         INTEGER NOT NULL DEFAULT 1,
            timezone        TEXT NOT NULL,
            digest_time     TEXT,
            next_digest_at  REAL,
            digest_after    INTEGER NOT NULL DEFAULT 0,
            migrated_to     INTEGER,
            registered_by   INTEGER,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );
        CREATE INDEX chats_digest_due ON chats (next_digest_at) WHERE next_digest_at IS NOT NULL;
        CREATE TABLE subscriptions (
            chat_id    INTEGER NOT NULL REFERENCES chats(id),
            topic      TEXT NOT NULL,
            thread_id  INTEGER,
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, topic)
        ) WITHOUT ROWID;
        CREATE INDEX subscriptions_by_topic ON subscriptions (topic);
        CREATE TABLE deliveries (
            id          INTEGER PRIMARY KEY,
            chat_id     INTEGER NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('snippet', 'digest')),
            snippet_id  INTEGER REFERENCES snippets(id),
            digest_slot INTEGER,
            items       TEXT,
            thread_id   INTEGER,
            status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts    INTEGER NOT NULL DEFAULT 0,
            not_before  REAL NOT NULL DEFAULT 0,
            parts_sent  INTEGER NOT NULL DEFAULT 0,
            message_ids TEXT NOT NULL DEFAULT '[]',
            error       TEXT,
            created_at  REAL NOT NULL,
            sent_at     REAL
        );
        CREATE UNIQUE INDEX deliveries_once_per_snippet ON deliveries (chat_id, snippet_id)
            WHERE kind = 'snippet';
        CREATE UNIQUE INDEX deliveries_once_per_digest ON deliveries (chat_id, digest_slot)
            WHERE kind = 'digest';
        CREATE INDEX deliveries_pending ON deliveries (id) WHERE status = 'pending';
        CREATE INDEX deliveries_by_chat ON deliveries (chat_id, status);
        CREATE INDEX deliveries_sent_at ON deliveries (sent_at) WHERE status = 'sent'
        """
    )


async def _v6_editorial(db: aiosqlite.Connection) -> None:
    """Editors, the audit trail, changes waiting for an admin's confirmation, and corrections
    of delivered messages. Sources keep their full text so edits can be checked against it;
    snippets made in Telegram (`origin = 'editor'`) are never retired by a seed file change."""
    await _run_statements(
        db,
        """
        ALTER TABLE sources ADD COLUMN text TEXT;
        ALTER TABLE snippets ADD COLUMN origin TEXT NOT NULL DEFAULT 'seed';
        CREATE TABLE editors (
            user_id    INTEGER PRIMARY KEY,
            granted_by INTEGER NOT NULL,
            granted_at TEXT NOT NULL,
            revoked_by INTEGER,
            revoked_at TEXT
        );
        CREATE TABLE audit (
            id         INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            actor_id   INTEGER,
            actor      TEXT NOT NULL,
            via        TEXT NOT NULL,
            action     TEXT NOT NULL,
            snippet_id INTEGER,
            source_id  TEXT,
            before     TEXT,
            after      TEXT
        );
        CREATE INDEX audit_by_snippet ON audit (snippet_id, id);
        CREATE TABLE pending_changes (
            token      TEXT PRIMARY KEY,
            actor_id   INTEGER NOT NULL,
            kind       TEXT NOT NULL,
            payload    TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE TABLE corrections (
            id         INTEGER PRIMARY KEY,
            chat_id    INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            snippet_id INTEGER NOT NULL,
            action     TEXT NOT NULL CHECK (action IN ('edit', 'retire')),
            status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
            attempts   INTEGER NOT NULL DEFAULT 0,
            not_before REAL NOT NULL DEFAULT 0,
            error      TEXT,
            created_at REAL NOT NULL,
            done_at    REAL
        );
        CREATE INDEX corrections_pending ON corrections (id) WHERE status = 'pending'
        """
    )


async def _v7_english_and_provenance(db: aiosqlite.Connection) -> None:
    """English beside the Russian, the outlet that published a source, and who states a figure."""
    await _run_statements(
        db,
        """
        ALTER TABLE sources ADD COLUMN title_en TEXT;
        ALTER TABLE sources ADD COLUMN outlet TEXT;
        ALTER TABLE sources ADD COLUMN outlet_en TEXT;
        ALTER TABLE sources ADD COLUMN author_role_en TEXT;
        ALTER TABLE snippets ADD COLUMN title_en TEXT;
        ALTER TABLE snippets ADD COLUMN summary_en TEXT;
        ALTER TABLE figures ADD COLUMN unit_en TEXT;
        ALTER TABLE figures ADD COLUMN label_en TEXT;
        ALTER TABLE figures ADD COLUMN stated_by TEXT;
        ALTER TABLE figures ADD COLUMN caveat TEXT;
        ALTER TABLE figures ADD COLUMN caveat_en TEXT;
        ALTER TABLE quotes ADD COLUMN text_en TEXT;
        ALTER TABLE quotes ADD COLUMN author_role_en TEXT
        """,
    )


async def _v8_last_visit(db: aiosqlite.Connection) -> None:
    """What a reader has seen: the publication number at their last /latest."""
    await db.execute("ALTER TABLE chats ADD COLUMN last_visit_seq INTEGER")


async def _v9_reactions(db: aiosqlite.Connection) -> None:
    """Readers' reactions to delivered briefings, per snippet (a user's current ones)."""
    await _run_statements(
        db,
        """
        CREATE TABLE reactions (
            chat_id    INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            user_id    INTEGER NOT NULL,
            snippet_id INTEGER NOT NULL,
            emoji      TEXT NOT NULL,
            at         TEXT NOT NULL,
            PRIMARY KEY (chat_id, message_id, user_id, emoji)
        );
        CREATE INDEX reactions_by_snippet ON reactions (snippet_id)
        """,
    )


async def _v10_outbox_at_scale(db: aiosqlite.Connection) -> None:
    """Per-snippet questions (how many copies, which to correct) by index, not by scanning the
    outbox; an edit records one correction order, expanded into per-message corrections later
    in small batches; and the totals of finished deliveries kept when their rows are pruned."""
    await _run_statements(
        db,
        """
        CREATE INDEX deliveries_by_snippet ON deliveries (snippet_id, status) WHERE kind = 'snippet';
        CREATE INDEX deliveries_finished ON deliveries (created_at) WHERE status != 'pending';
        CREATE INDEX corrections_pending_by_snippet ON corrections (snippet_id) WHERE status = 'pending';
        CREATE TABLE correction_orders (
            id         INTEGER PRIMARY KEY,
            snippet_id INTEGER NOT NULL,
            action     TEXT NOT NULL CHECK (action IN ('edit', 'retire')),
            created_at REAL NOT NULL,
            after_id   INTEGER NOT NULL DEFAULT 0,  -- deliveries up to this id are expanded
            open       INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX correction_orders_open ON correction_orders (id) WHERE open = 1;
        CREATE TABLE delivery_totals (
            kind       TEXT NOT NULL,
            snippet_id INTEGER NOT NULL,  -- 0 for digests
            status     TEXT NOT NULL,     -- sent or failed
            error      TEXT NOT NULL,     -- '' when sent
            count      INTEGER NOT NULL,
            PRIMARY KEY (kind, snippet_id, status, error)
        );
        """
    )


async def _v11_paid_messages(db: aiosqlite.Connection) -> None:
    """The count of messages sent as paid broadcasts (`PAID_BROADCAST`), for `/deliveries`."""
    await db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('paid_messages', '0')")


async def _v12_names_in_english(db: aiosqlite.Connection) -> None:
    """A person's name as English readers know it (Kassym-Jomart Tokayev), where the editors
    give one; otherwise English readers get the romanised name."""
    await db.execute("ALTER TABLE sources ADD COLUMN author_name_en TEXT")
    await db.execute("ALTER TABLE quotes ADD COLUMN author_name_en TEXT")


async def _v13_feeds(db: aiosqlite.Connection) -> None:
    """Feeds the editors follow and every item the bot has seen in them: an item is made into
    drafts once (its row marked in the same transaction as the drafts), also across restarts."""
    await _run_statements(
        db,
        """
        CREATE TABLE feeds (
            id            INTEGER PRIMARY KEY,
            url           TEXT NOT NULL UNIQUE,
            title         TEXT NOT NULL,
            added_by      INTEGER,
            added_at      REAL NOT NULL,
            etag          TEXT,
            last_modified TEXT,
            last_success  REAL,
            last_error    TEXT,
            last_error_at REAL,
            failures      INTEGER NOT NULL DEFAULT 0,
            next_poll     REAL NOT NULL DEFAULT 0
        );
        CREATE TABLE feed_items (
            feed_id    INTEGER NOT NULL,
            item_key   TEXT NOT NULL,     -- the entry's guid, else its link
            link       TEXT NOT NULL,
            title      TEXT NOT NULL,     -- the entry's title, then the drafts' headline
            state      TEXT NOT NULL DEFAULT 'new',  -- new, drafted, failed, skipped
            attempts   INTEGER NOT NULL DEFAULT 0,
            next_try   REAL NOT NULL DEFAULT 0,
            last_error TEXT,
            source_id  TEXT,
            notified   INTEGER NOT NULL DEFAULT 0,
            seen_at    REAL NOT NULL,
            PRIMARY KEY (feed_id, item_key)
        );
        CREATE INDEX feed_items_open ON feed_items (state, next_try);
        """
    )


async def _v14_voices(db: aiosqlite.Connection) -> None:
    """Who says what in a source's text (domain/voices.py, JSON): quotes are held to it."""
    await db.execute("ALTER TABLE sources ADD COLUMN voices TEXT")


async def _v15_editor_topics(db: aiosqlite.Connection) -> None:
    """Topics the editors add (`/topic_add`), beside config/topics.yaml's catalogue: an article
    that fits none of the catalogue's gets one of its own. Keywords are a JSON list."""
    await _run_statements(
        db,
        """
        CREATE TABLE editor_topics (
            slug           TEXT PRIMARY KEY,
            command        TEXT NOT NULL UNIQUE,
            emoji          TEXT NOT NULL,
            title_ru       TEXT NOT NULL,
            title_en       TEXT NOT NULL,
            description_ru TEXT NOT NULL,
            description_en TEXT NOT NULL,
            keywords       TEXT NOT NULL,
            added_by       INTEGER,
            added_at       TEXT NOT NULL
        )
        """,
    )


async def _v16_quote_turns(db: aiosqlite.Connection) -> None:
    """Each reader's turn among a topic's quotes (`/quote`; topic '' for all topics): the next
    quote is the next one for that reader, after a restart and on any replica."""
    await db.execute(
        """
        CREATE TABLE quote_turns (
            user_id INTEGER NOT NULL,
            topic   TEXT NOT NULL,
            turn    INTEGER NOT NULL,
            PRIMARY KEY (user_id, topic)
        )
        """
    )


async def _v17_alerts(db: aiosqlite.Connection) -> None:
    """Alerts: words a chat follows across topics (`storage/alerts.py`). An alert is its
    roots (sorted, space-separated: its identity in the chat) and, for matching, one
    `alert_terms` row per root; `alert_matches` records what each publication matched, for
    digests; a delivery names the alerts that brought it (`alerts`, JSON: snippet id → words)."""
    await _run_statements(
        db,
        """
        CREATE TABLE alerts (
            id         INTEGER PRIMARY KEY,
            chat_id    INTEGER NOT NULL REFERENCES chats(id),
            words      TEXT NOT NULL,
            roots      TEXT NOT NULL,
            term_count INTEGER NOT NULL,
            thread_id  INTEGER,
            created_at TEXT NOT NULL,
            UNIQUE (chat_id, roots)
        );
        CREATE TABLE alert_terms (
            term     TEXT NOT NULL,
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            PRIMARY KEY (term, alert_id)
        ) WITHOUT ROWID;
        CREATE INDEX alert_terms_by_alert ON alert_terms (alert_id);
        CREATE TABLE alert_matches (
            chat_id    INTEGER NOT NULL,
            snippet_id INTEGER NOT NULL,
            words      TEXT NOT NULL,
            created_at REAL NOT NULL,
            PRIMARY KEY (chat_id, snippet_id, words)
        ) WITHOUT ROWID;
        CREATE INDEX alert_matches_created ON alert_matches (created_at);
        ALTER TABLE deliveries ADD COLUMN alerts TEXT
        """,
    )


async def _v18_figure_ranges(db: aiosqlite.Connection) -> None:
    """A figure that is a range ("8–9 млн тонн"): its upper end; NULL for one number."""
    await db.execute("ALTER TABLE figures ADD COLUMN value_to TEXT")


MIGRATIONS: tuple[Migration, ...] = (
    _v1_content, _v2_search, _v3_search_index_version, _v4_search_terms, _v5_subscriptions,
    _v6_editorial, _v7_english_and_provenance, _v8_last_visit, _v9_reactions, _v10_outbox_at_scale,
    _v11_paid_messages, _v12_names_in_english, _v13_feeds, _v14_voices, _v15_editor_topics,
    _v16_quote_turns, _v17_alerts, _v18_figure_ranges,
)
LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    pass


async def schema_version(db: aiosqlite.Connection) -> int:
    (version,), = await db.execute_fetchall("PRAGMA user_version")
    return int(version)


async def migrate(db: aiosqlite.Connection, target: int = LATEST_VERSION) -> int:
    """Bring the schema up to `target`; returns the version the database was at before."""
    start = await schema_version(db)
    if start > LATEST_VERSION:
        raise SchemaTooNew(
            f"database schema version {start} is newer than this bot knows ({LATEST_VERSION})"
        )
    for version in range(start + 1, target + 1):
        async with transaction(db):
            await MIGRATIONS[version - 1](db)
            await db.execute(f"PRAGMA user_version = {version}")
    return start
