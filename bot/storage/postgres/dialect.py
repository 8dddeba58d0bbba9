"""SQLite's SQL as PostgreSQL reads it: the repositories' statements, translated once each.

Every rewrite is an exact phrase the repositories use, not a pattern: a statement with a
SQLite-only phrase not listed here fails loudly (`UntranslatedSql`) the first time it runs,
in the PostgreSQL test pass, instead of meaning something else. Example:
`UPDATE deliveries SET message_ids = json_insert(message_ids, '$[#]', ?) WHERE id = ?` becomes
`UPDATE deliveries SET message_ids = (message_ids::jsonb || to_jsonb(%s::bigint))::text WHERE id = %s`.
"""

from __future__ import annotations

import re
from functools import lru_cache

# exact phrase in the repositories' SQL → the same meaning in PostgreSQL; message_ids holds a
# JSON array of message ids as text on both databases
PHRASES: tuple[tuple[str, str], ...] = (
    ("BEGIN IMMEDIATE", "BEGIN"),
    ("json_insert(message_ids, '$[#]', ?)", "(message_ids::jsonb || to_jsonb(?::bigint))::text"),
    ("json_array_length(message_ids)", "jsonb_array_length(message_ids::jsonb)"),
    ("json_extract(message_ids, '$[0]')", "(message_ids::jsonb->>0)::bigint"),
    ("json_each(d.message_ids) m", "jsonb_array_elements(d.message_ids::jsonb) m(value)"),
    ("m.value = ?", "m.value = to_jsonb(?::bigint)"),
)
# what must not reach PostgreSQL untranslated (each would fail there, or worse, mean another thing)
SQLITE_ONLY = re.compile(
    r"\b(?:PRAGMA|json_\w+|OR IGNORE|OR REPLACE|WITHOUT ROWID|fts5|MATCH|bm25|GLOB|julianday|strftime)\b",
    re.IGNORECASE,
)
OR_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO", re.IGNORECASE)


class UntranslatedSql(Exception):
    """A SQLite-only statement reached the PostgreSQL backend: add its phrase to PHRASES."""


@lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """The statement with PostgreSQL's phrases and psycopg's `%s` placeholders."""
    for sqlite, postgres in PHRASES:
        sql = sql.replace(sqlite, postgres)
    if OR_IGNORE.match(sql):  # INSERT OR IGNORE: skip the rows a unique index already holds
        sql = OR_IGNORE.sub("INSERT INTO", sql, count=1).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    found = SQLITE_ONLY.search(_outside_literals(sql))
    if found:
        raise UntranslatedSql(f"SQLite-only {found.group()!r} in: {' '.join(sql.split())[:300]}")
    return _placeholders(sql)


def _outside_literals(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def _placeholders(sql: str) -> str:
    """`?` → `%s` and a literal `%` → `%%`, leaving string literals' question marks alone."""
    out, quoted = [], False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char == "?" and not quoted:
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)
