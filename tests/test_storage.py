"""Loading seeds into SQLite: one transaction, idempotent, retire-not-delete, clear errors."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from bot.domain.validation import ContentError
from bot.app import open_services
from bot.storage.backends import schema_version as backend_schema_version
from bot.storage.database import open_database
from bot.storage.migrations import LATEST_VERSION, migrate, schema_version

SEED = "borisov-2025-11-12.yaml"


def edit_seed(seeds_dir: Path, change) -> None:
    path = seeds_dir / SEED
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def db_digest(path: Path) -> str:
    """A digest of every row of every table: equal digests, untouched content."""
    connection = sqlite3.connect(path)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'snippet_search_%' ORDER BY name")]
        digest = hashlib.sha256()
        for table in tables:
            for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        connection.close()


async def test_first_start_loads_every_snippet(services) -> None:
    snippets = await services.content.published_snippets()
    assert len(snippets) == 7
    assert {s.topic for s in snippets} >= {"energy", "logistics", "economy"}
    version, latest = await backend_schema_version(services.db)
    assert version == latest


@pytest.mark.sqlite_only(reason="counts SQLite's total_changes() and digests the file")
async def test_unchanged_seeds_write_nothing(settings: Settings) -> None:
    first = await open_services(settings)
    version = await first.content.content_version()
    await first.close()
    before = db_digest(settings.database_path)
    second = await open_services(settings)
    report = await second.intake.reload_seeds()
    (changes,), = await second.db.execute_fetchall("SELECT total_changes()")
    assert not report.changed_anything
    assert await second.content.content_version() == version
    await second.close()
    assert changes == 0
    assert db_digest(settings.database_path) == before


async def test_changed_snippet_is_updated_and_removed_one_retired(services, seeds_dir: Path) -> None:
    def change(document: dict) -> None:
        document["snippets"][2]["summary"] = "Новая сводка по энергетике. Вторая фраза о Балхаше."
        del document["snippets"][3]  # logistics

    edit_seed(seeds_dir, change)
    version = await services.content.content_version()
    report = await services.intake.reload_seeds()
    assert report.changed == ["borisov-2025-11-12/energy-npp-balkhash"]
    assert report.retired == ["borisov-2025-11-12/logistics-bridge-routes"]
    assert await services.content.content_version() == version + 1
    energy = await services.content.published_snippets("energy")
    assert energy[0].summary.startswith("Новая сводка")
    assert await services.content.published_snippets("logistics") == []
    rows = await services.db.execute_fetchall("SELECT status FROM snippets WHERE key = 'logistics-bridge-routes'")
    assert rows == [("retired",)]  # kept for history, not deleted
    assert await services.content.search("Транскаспийский") == []


async def test_removed_seed_file_retires_its_source(services, seeds_dir: Path) -> None:
    (seeds_dir / SEED).rename(seeds_dir / "_disabled.yaml")  # files starting with _ are ignored
    report = await services.intake.reload_seeds()
    assert report.sources_retired == ["borisov-2025-11-12"]
    assert len(report.retired) == 7
    assert await services.content.published_snippets() == []
    assert await services.content.live_sources() == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["snippets"][1]["figures"][0].update(value=5),
         "snippet 'economy-trade-investment', field 'figures[0].value'"),
        (lambda d: d["snippets"][2]["quotes"][0].update(text="Росатом построит десять АЭС."),
         "snippet 'energy-npp-balkhash', field 'quotes[0].text'"),
        (lambda d: d["snippets"][2].update(topic="weather"),
         "snippet 'energy-npp-balkhash', field 'topic'"),
        (lambda d: d["snippets"][0].pop("summary"),
         "snippet 'overview-landmark-visit', field 'summary'"),
        (lambda d: d["snippets"][3].update(summary="Маршрут вырос на 77 процентов. Так сказал эксперт."),
         "snippet 'logistics-bridge-routes', field 'summary': 77 процентов: the source has no such number"),
        (lambda d: d["source"].update(date="12 ноября"), "field 'source.date'"),
    ],
    ids=["figure-not-in-evidence", "invented-quote", "unknown-topic", "missing-summary", "invented-number", "bad-date"],
)
@pytest.mark.sqlite_only(reason="digests the SQLite file (PostgreSQL: test_postgres.py)")
async def test_invalid_seed_stops_with_clear_message_and_untouched_db(
    settings: Settings, seeds_dir: Path, change, expected: str
) -> None:
    opened = await open_services(settings)
    await opened.close()
    before = db_digest(settings.database_path)
    edit_seed(seeds_dir, change)
    with pytest.raises(ContentError) as raised:
        await open_services(settings)
    message = str(raised.value)
    assert message.startswith(f"{SEED}: ")
    assert expected in message
    assert "\n" not in message
    assert db_digest(settings.database_path) == before


async def test_yaml_syntax_error_names_the_line(settings: Settings, seeds_dir: Path) -> None:
    path = seeds_dir / SEED
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "  kind: [interview"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError, match=rf"{SEED}: not valid YAML at line \d+"):
        await open_services(settings)
    assert not settings.database_path.exists()


async def test_duplicate_source_id_is_refused(settings: Settings, seeds_dir: Path) -> None:
    (seeds_dir / "copy.yaml").write_text((seeds_dir / SEED).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError, match="'source.id'.*already used"):
        await open_services(settings)


@pytest.mark.sqlite_only(reason="SQLite's schema history")
async def test_old_schema_upgrades_in_place(tmp_path: Path, settings: Settings) -> None:
    """A version-1 database (no search index) with content in it gains search on upgrade."""
    db = await open_database(settings.database_path)
    await migrate(db, target=1)
    await db.execute(
        "INSERT INTO sources VALUES ('old', 'Старый источник', '2024-01-01', 'article', 'ru', "
        "'Автор', NULL, NULL, 'admin', 'x', 'live', '2024-01-01', '2024-01-01')"
    )
    await db.execute(
        "INSERT INTO snippets (source_id, key, topic, title, summary, position, fingerprint, status, "
        "created_at, updated_at) VALUES ('old', 'k', 'energy', 'Старая заметка', "
        "'Энергетический диалог продолжается.', 0, 'x', 'published', '2024-01-01', '2024-01-01')"
    )
    await db.close()

    services = await open_services(settings)
    try:
        assert await schema_version(services.db) == LATEST_VERSION
        found = await services.content.search("энергетика")
        assert "Старая заметка" in {view.title for view, _ in found}
        assert len(await services.content.published_snippets()) == 8
    finally:
        await services.close()


@pytest.mark.sqlite_only(reason="PRAGMA user_version (PostgreSQL: test_postgres.py)")
async def test_database_newer_than_the_code_is_refused(settings: Settings) -> None:
    from bot.storage.migrations import SchemaTooNew

    db = await open_database(settings.database_path)
    await db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    await db.close()
    with pytest.raises(SchemaTooNew):
        await open_services(settings)


@pytest.mark.sqlite_only(reason="SQLite PRAGMAs")
async def test_foreign_keys_and_wal_are_on(services) -> None:
    assert await services.db.execute_fetchall("PRAGMA foreign_keys") == [(1,)]
    assert await services.db.execute_fetchall("PRAGMA journal_mode") == [("wal",)]


async def test_search_index_built_by_older_rules_is_rebuilt(settings: Settings) -> None:
    services = await open_services(settings)
    await services.db.execute("DELETE FROM snippet_search")
    await services.db.execute("UPDATE meta SET value = '1' WHERE key = 'search_index_version'")
    await services.close()
    services = await open_services(settings)
    try:
        assert (await services.content.search("Росатом"))[0][0].key == "energy-npp-balkhash"
    finally:
        await services.close()
