"""The two storage backends, chosen once in `bot/app.py`: SQLite (`DATABASE_PATH`, the default,
one process) or PostgreSQL (`DATABASE_URL`, any number of replicas).

Both hand out connections the repositories use alike (aiosqlite's, or `PgConnection` with the
same calls) and migrate their own schema; what differs beyond that is whether one process must
hold the database alone (`instance_lock`) and whether replicas coordinate (`replicas`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.storage import migrations
from bot.storage.database import open_database
from bot.storage.instance_lock import InstanceLock
from bot.storage.outbox import Outbox


class SqliteBackend:
    name = "sqlite"
    replicas = False  # one process per file: the instance lock sees to it

    def __init__(self, path: Path) -> None:
        self.path = path

    async def connect(self) -> Any:
        return await open_database(self.path)

    async def migrate(self, db: Any) -> int:
        return await migrations.migrate(db)

    def instance_lock(self) -> InstanceLock | None:
        return InstanceLock(self.path)

    def outbox(self, db: Any, coordination: Any, claim_batch: int = 1) -> Outbox:
        return Outbox(db)

    def coordination(self, on_change_elsewhere: Callable[[], object]) -> SoleProcess:
        return SoleProcess()

    def describe(self) -> str:
        return f"SQLite {self.path}"


class PostgresBackend:
    name = "postgres"
    replicas = True  # replicas share the work through the database (no instance lock)

    def __init__(self, url: str) -> None:
        self.url = url

    async def connect(self) -> Any:
        from bot.storage.postgres.connection import open_postgres

        return await open_postgres(self.url)

    async def migrate(self, db: Any) -> int:
        from bot.storage.postgres import migrations as pg_migrations

        return await pg_migrations.migrate(db)

    def instance_lock(self) -> None:
        return None

    def outbox(self, db: Any, coordination: Any, claim_batch: int = 1) -> Outbox:
        """The outbox whose deliveries are claimed, `claim_batch` at a time, so replicas never
        send one twice."""
        from bot.storage.postgres.coordination import PgOutbox

        return PgOutbox(db, coordination.replica, claim_batch=claim_batch)

    def coordination(self, on_change_elsewhere: Callable[[], object]) -> Any:
        from bot.storage.postgres.coordination import PgCoordination, new_replica_id

        return PgCoordination(self.url, new_replica_id(), on_change_elsewhere)

    def describe(self) -> str:
        from bot.storage.postgres.connection import where

        return f"PostgreSQL {where(self.url)}"  # no password in logs


class SoleProcess:
    """SQLite's coordination: one process (the instance lock sees to it), so it leads, has
    the whole send rate, and nobody else needs to hear of its changes."""

    replica = "sole"
    replicas = 1

    async def start(self) -> None:
        pass

    async def settled(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def leading(self) -> bool:
        return True

    def content_changed(self) -> None:
        pass


def is_postgres(db: Any) -> bool:
    return getattr(db, "dialect", None) == "postgres"


async def schema_version(db: Any) -> tuple[int, int]:
    """(the database's schema version, the latest this code knows), on either backend."""
    if is_postgres(db):
        from bot.storage.postgres import migrations as pg_migrations

        return await pg_migrations.schema_version(db), pg_migrations.LATEST_VERSION
    return await migrations.schema_version(db), migrations.LATEST_VERSION
