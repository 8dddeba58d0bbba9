"""Consistent copies of the database while the bot runs, with SQLite's online backup API.

The copy is written next to its destination under a temporary name, checked with
`PRAGMA integrity_check`, and only then renamed into place: a failed or interrupted backup
never leaves a half-written file where a good one is expected.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class BackupError(Exception):
    pass


def backup_postgres(url: str, destination: Path, *, overwrite: bool = False) -> int:
    """`pg_dump --format=custom` of the database at `url` into `destination` (restore with
    `pg_restore`); written under a temporary name and renamed once complete, like SQLite's."""
    import shutil
    import subprocess

    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} exists; pass --force to replace it")
    if not destination.parent.is_dir():
        raise BackupError(f"folder {destination.parent} does not exist")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={url}"],
            capture_output=True, text=True, timeout=3600, stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            reason = " ".join(done.stderr.split())[-300:] or f"exit status {done.returncode}"
            raise BackupError(f"pg_dump failed: {reason}")
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination.stat().st_size


def backup_database(source: Path, destination: Path, *, overwrite: bool = False) -> int:
    """Copy `source` to `destination`; returns the size of the copy in bytes."""
    if not source.is_file():
        raise BackupError(f"no database at {source} (set DATABASE_PATH)")
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} exists; pass --force to replace it")
    if not destination.parent.is_dir():
        raise BackupError(f"folder {destination.parent} does not exist")
    partial = destination.with_name(f".{destination.name}.partial")
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer, pages=256)  # in steps, so the running bot is not locked out
            (status,), = writer.execute("PRAGMA integrity_check").fetchall()
            if status != "ok":
                raise BackupError(f"the copy failed its integrity check: {status}")
        finally:
            writer.close()
        os.replace(partial, destination)
    finally:
        reader.close()
        partial.unlink(missing_ok=True)
    return destination.stat().st_size
