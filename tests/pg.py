"""PostgreSQL for tests: a database per test run (created, then dropped), a schema per test."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

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
    return _with_database(admin_url, name), name


def drop_run_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_schema(database_url: str, schema: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return with_schema(database_url, schema)
