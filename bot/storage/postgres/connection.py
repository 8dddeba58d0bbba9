"""A PostgreSQL connection that the repositories use as they use aiosqlite's.

`execute`, `execute_fetchall`, `executemany` and `close`, and a cursor with `rowcount` and
`fetchone`/`fetchall`: the statements go through `dialect.to_postgres`. Autocommit, like the
SQLite connections: every write is in `storage.database.transaction()` (BEGIN … COMMIT, taken
in turns by the tasks sharing the connection) or is one statement on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.adapt import Loader

from bot.storage.postgres.dialect import to_postgres

CONNECT_TIMEOUT = 10  # seconds to reach the server before start-up fails with a clear message


class _WholeNumbers(Loader):
    """numeric → int when whole (SUM and COUNT arithmetic), float otherwise: the repositories
    expect what SQLite gives, never a Decimal."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _plain(params: Sequence[Any] | None) -> tuple[Any, ...]:
    """SQLite stores booleans as 0 and 1 and the schema's flags are integers: so here too."""
    return tuple(int(value) if isinstance(value, bool) else value for value in params or ())


class PgCursor:
    def __init__(self, cursor: psycopg.AsyncCursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    async def fetchone(self) -> tuple | None:
        return await self._cursor.fetchone()

    async def fetchall(self) -> list[tuple]:
        return await self._cursor.fetchall()


class PgConnection:
    dialect = "postgres"

    def __init__(self, connection: psycopg.AsyncConnection, url: str) -> None:
        self.raw = connection
        self.url = url  # for a second connection to the same database (LISTEN, locks)

    async def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        cursor = self.raw.cursor()
        await cursor.execute(to_postgres(sql), _plain(params))
        return PgCursor(cursor)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        async with self.raw.cursor() as cursor:
            await cursor.execute(to_postgres(sql), _plain(params))
            return await cursor.fetchall() if cursor.description else []

    async def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any]]) -> None:
        rows = [_plain(params) for params in seq_of_params]
        if not rows:
            return
        async with self.raw.cursor() as cursor:
            await cursor.executemany(to_postgres(sql), rows)

    async def close(self) -> None:
        await self.raw.close()


def with_schema(url: str, schema: str) -> str:
    """The URL with `options=-c search_path=<schema>` (each test's own schema)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-c search_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


class DatabaseUnreachable(Exception):
    """The server could not be reached or refused the login; the message names where (never
    the password) and why, in one line."""


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


async def open_postgres(url: str) -> PgConnection:
    try:
        connection = await psycopg.AsyncConnection.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name="briefing-bot"
        )
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())
        raise DatabaseUnreachable(
            f"cannot reach the database at DATABASE_URL ({where(url)}): {reason[-200:]}"
        ) from None
    connection.adapters.register_loader("numeric", _WholeNumbers)
    return PgConnection(connection, url)
