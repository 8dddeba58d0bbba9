"""PostgreSQL for tests: a database per test run (per pytest-xdist worker: created, then dropped)
and, lent to each test, a schema migrated as the bot migrates it.

Migrating a schema takes a tenth of a second and leaves its tables in the catalogue for good
(a thousand tests' schemas made `pg_dump` of the run's database take a minute and a half); so
schemas are migrated once and lent again. When a test is done with its schema, `SchemaPool`
ends whatever sessions are still open on the run's database (a killed replica's, a leaked
one: their advisory locks go with them), checks the schema still has the tables the bot made
(else it is dropped and a fresh one made next time), deletes every row, puts back the rows the
migrations wrote and rewinds every sequence: the next test starts from what a fresh migration
gives, ids from 1 included.
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bot.storage.postgres.connection import with_schema


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def reachable(url: str) -> str | None:
    """None when the server answers, else why not (one line)."""
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def create_run_database(admin_url: str, suffix: str = "") -> tuple[str, str]:
    name = f"briefing_test_{os.getpid()}{'_' + suffix if suffix else ''}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        # a test database: a commit need not wait for the disk (nothing here must survive a
        # crash of the server); what the bot's SQL does and sees is the same
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return _with_database(admin_url, name), name


def drop_run_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_schema(database_url: str, schema: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return with_schema(database_url, schema)


def migrate(url: str) -> None:
    """The bot's own PostgreSQL migrations, run on a thread of their own (the caller may be a
    fixture set up while a test's event loop exists)."""
    from bot.storage.backends import PostgresBackend

    async def run() -> None:
        backend = PostgresBackend(url)
        db = await backend.connect()
        try:
            await backend.migrate(db)
        finally:
            await db.close()

    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, run()).result()


# what a schema is made of: its relations and their columns (a test that changed the schema
# itself gets no second use of it)
SHAPE = """SELECT md5(string_agg(c.relname || ':' || c.relkind::text || ':' || COALESCE(a.attname, '') || ':'
                                 || COALESCE(format_type(a.atttypid, a.atttypmod), ''), ','
                                 ORDER BY c.relname, a.attnum))
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE n.nspname = %s"""


class SchemaPool:
    """Migrated schemas of one run's database, each lent to one test at a time."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.free: list[str] = []
        self.made = 0
        self.shape: str | None = None
        self.tables: list[str] = []  # in an order rows can be deleted in (referencing first)
        self.rows: list[tuple[str, list[str], list[tuple]]] = []  # what the migrations wrote
        self.sequences: list[tuple[str, int, bool]] = []  # (name, value, is_called) after them

    def lend(self) -> str:
        """A schema as a fresh migration leaves it: its URL (search_path set to it)."""
        schema = self.free.pop() if self.free else self._make()
        return with_schema(self.url, schema)

    def give_back(self, url: str) -> None:
        schema = url.rsplit("%3D", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as connection:
            self._end_other_sessions(connection)
            (shape,), = connection.execute(SHAPE, (schema,)).fetchall()
            if shape != self.shape:
                connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
                return
            with connection.transaction():
                for table in self.tables:
                    connection.execute(sql.SQL("DELETE FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
                for table, columns, rows in self.rows:
                    statement = sql.SQL("INSERT INTO {}.{} ({}) OVERRIDING SYSTEM VALUE VALUES ({})").format(
                        sql.Identifier(schema), sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)),
                        sql.SQL(", ").join(sql.Placeholder() * len(columns)))
                    with connection.cursor() as cursor:
                        cursor.executemany(statement, rows)
                for name, value, called in self.sequences:
                    connection.execute("SELECT setval(%s::regclass, %s, %s)", (f'"{schema}"."{name}"', value, called))
        self.free.append(schema)

    def _make(self) -> str:
        self.made += 1
        schema = f"t{self.made}"
        url = fresh_schema(self.url, schema)
        migrate(url)
        if self.shape is None:
            self._learn(schema)
        return schema

    def _learn(self, schema: str) -> None:
        """What a freshly migrated schema holds, to put every lent one back to it."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            (self.shape,), = connection.execute(SHAPE, (schema,)).fetchall()
            tables = [name for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", (schema,))]
            references = connection.execute(
                """SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
                   JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = %s""",
                (schema,)).fetchall()
            referencing = {table: {parent.rsplit(".", 1)[-1].strip('"') for child, parent in references
                                   if child.rsplit(".", 1)[-1].strip('"') == table} for table in tables}
            self.tables = _referencing_first(tables, referencing)
            for table in tables:
                with connection.cursor() as cursor:
                    cursor.execute(sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
                    rows = cursor.fetchall()
                    if rows:
                        self.rows.append((table, [column.name for column in cursor.description], rows))
            self.sequences = [
                (name, last if last is not None else start, last is not None)
                for name, last, start in connection.execute(
                    "SELECT sequencename, last_value, start_value FROM pg_sequences WHERE schemaname = %s", (schema,))
            ]

    @staticmethod
    def _end_other_sessions(connection: psycopg.Connection) -> None:
        """Whatever a finished test left connected to the run's database goes (and its locks)."""
        others = """SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                      AND backend_type = 'client backend'"""
        if not connection.execute(others).fetchall():
            return
        connection.execute(f"SELECT pg_terminate_backend(pid) FROM ({others}) AS o")
        deadline = time.monotonic() + 10
        while connection.execute(others).fetchall() and time.monotonic() < deadline:
            time.sleep(0.02)


def _referencing_first(tables: list[str], references: dict[str, set[str]]) -> list[str]:
    """The tables ordered so each comes before every table it references (rows deleted in
    this order never break a foreign key)."""
    order: list[str] = []
    placed: set[str] = set()

    def place(table: str, path: frozenset[str]) -> None:
        if table in placed or table in path:
            return
        for child in (t for t in tables if table in references.get(t, set()) and t != table):
            place(child, path | {table})
        placed.add(table)
        order.append(table)

    for table in tables:
        place(table, frozenset())
    return order
