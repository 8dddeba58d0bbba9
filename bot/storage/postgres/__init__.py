"""PostgreSQL, the second storage backend (`DATABASE_URL`), for several replicas on one database.

The repositories in `bot/storage/` are written once, in SQL both databases read; they are given
a connection, and on PostgreSQL that connection is a `PgConnection` (`connection.py`): the same
few calls as aiosqlite's, over psycopg 3, turning `?` into PostgreSQL's placeholders and the
handful of SQLite-only phrases (listed in `dialect.py`) into PostgreSQL's. What cannot be
translated has a PostgreSQL implementation of its own here: the schema (`migrations.py`), the
search index (`search.py`), and what replicas need and one process never did (`coordination.py`:
the leader lock, the shared rate limiter, the shared throttle counts, the content version).
"""
