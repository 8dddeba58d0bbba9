"""`python -m bot backup PATH`: a consistent copy while the bot's connection is open."""

from __future__ import annotations

import sqlite3

import pytest

from bot.__main__ import main


def rows(path, sql):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.mark.sqlite_only(reason="SQLite's online backup (PostgreSQL: pg_dump, test_postgres.py)")
async def test_backup_while_the_bot_has_the_database_open(services, settings, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(settings.database_path))
    target = tmp_path / "copy.db"
    assert main(["backup", str(target)]) == 0  # `services` still holds its connection
    assert "backed up" in capsys.readouterr().out
    assert rows(target, "SELECT count(*) FROM snippets") == [(7,)]
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    found = rows(target, "SELECT rowid FROM snippet_search WHERE snippet_search MATCH 'балхаш'")
    assert found  # the search index came along


@pytest.mark.sqlite_only(reason="SQLite's online backup (PostgreSQL: pg_dump, test_postgres.py)")
async def test_backup_refuses_to_overwrite_and_reports_one_line(services, settings, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(settings.database_path))
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    assert main(["backup", str(target)]) == 2
    assert target.read_text() == "keep me"
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: backup failed:") and "--force" in error and "\n" not in error
    assert main(["backup", str(target), "--force"]) == 0
    assert rows(target, "SELECT count(*) FROM sources") == [(1,)]
    assert not list(tmp_path.glob(".*.partial"))


def test_backup_without_a_database_fails_clearly(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "missing.db"))
    assert main(["backup", str(tmp_path / "copy.db")]) == 2
    assert "no database at" in capsys.readouterr().err
