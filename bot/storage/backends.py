"""The two storage backends, chosen once in `bot/app.py`: SQLite (`DATABASE_PATH`, the default,
one process) or PostgreSQL (`DATABASE_URL`, any number of replicas).

Both hand out connections the repositories use alike (aiosqlite's, or `PgConnection` with the
same calls) and migrate their own schema; what differs beyond that is whether one process must
hold the database alone (`instance_lock`) and whether replicas coordinate (`replicas`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.storage import migrations
from bot.storage.database import open_database
from bot.storage.instance_lock import InstanceLock


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

    def describe(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"  # no password in logs


def is_postgres(db: Any) -> bool:
    return getattr(db, "dialect", None) == "postgres"


async def schema_version(db: Any) -> tuple[int, int]:
    """(the database's schema version, the latest this code knows), on either backend."""
    if is_postgres(db):
        from bot.storage.postgres import migrations as pg_migrations

        return await pg_migrations.schema_version(db), pg_migrations.LATEST_VERSION
    return await migrations.schema_version(db), migrations.LATEST_VERSION
