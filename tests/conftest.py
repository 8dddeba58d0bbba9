"""Shared fixtures: a private copy of the content, settings pointing at it, opened services."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import build_application, build_desk, open_services
from bot.config import Settings
from bot.telegram.runner import serve_polling, serve_polling_with_server
from bot.services import Services

ROOT = Path(__file__).resolve().parent.parent
TEST_TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


@pytest.fixture(scope="session", autouse=True)
def reading_process_warmed() -> None:
    """The bot reads articles in a process of its own that loads natasha's models on its first
    article (bot/services/ingest/worker.py): seconds of CPU at a lower priority. Started here,
    in the background, when a pytest process starts (each pytest-xdist worker is one), so the
    first test to read an article does not spend its wait for the bot's reply on that start
    while the other worker's test keeps both cores busy."""
    from bot.services.ingest import worker
    from bot.services.ingest.reading import read_article

    worker._executor().submit(read_article, "Заголовок\n\nЭкспорт зерна вырос на треть, сообщил министр.")


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A copy of `seeds/` the test may change freely."""
    target = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", target)
    return target


# The PostgreSQL pass: with TEST_DATABASE_URL set (a server where this run may create a
# database, e.g. postgresql://postgres@127.0.0.1:5432/postgres), every test that takes the
# `database_url` fixture (through `settings`, `services`, `bot`, or directly) runs on
# PostgreSQL, in a database of this run's own (of each pytest-xdist worker's; dropped at the
# end) and a schema lent to the test (tests/pg.py: migrated once, wiped after each test).
# Tests that take no database of the run — functions of text and numbers, the emulator, the
# command-line tests that make SQLite files of their own — are the same on both backends:
# they run on the SQLite pass and are left out of this one (its summary counts them).
# Without TEST_DATABASE_URL, SQLite as always.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip() or None
USES_A_DATABASE = {"database_url", "postgres_database"}


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): tests SQLite itself (its file, PRAGMAs, its lock); "
        "skipped on the PostgreSQL pass, which has its own tests in test_postgres.py")


def pytest_collection_modifyitems(config, items) -> None:
    if TEST_DATABASE_URL is None:
        return
    kept, storageless = [], []
    for item in items:
        if not USES_A_DATABASE & set(getattr(item, "fixturenames", ())):
            storageless.append(item)
            continue
        kept.append(item)
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "SQLite only")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))
    if storageless:
        config.hook.pytest_deselected(items=storageless)
        items[:] = kept
    config.stash[_LEFT_OUT] = len(storageless)
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: told to the controller at its end
        config.workeroutput["left_out"] = len(storageless)


_LEFT_OUT = pytest.StashKey[int]()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """pytest-xdist's controller: each worker collected the same tests and left out as many."""
    node.config.stash[_LEFT_OUT] = node.workeroutput.get("left_out", 0)


def pytest_terminal_summary(terminalreporter, config) -> None:
    if TEST_DATABASE_URL is not None and _LEFT_OUT in config.stash:
        terminalreporter.write_line(
            f"PostgreSQL pass: the {config.stash[_LEFT_OUT]} tests that take no database "
            "(they ran on the SQLite pass) were left out")


@pytest.fixture(scope="session")
def postgres_database() -> str:
    """This run's own PostgreSQL database (its URL); the PostgreSQL pass only."""
    if TEST_DATABASE_URL is None:
        pytest.skip("PostgreSQL's own tests run on the PostgreSQL pass (set TEST_DATABASE_URL)")
    from tests.pg import create_run_database, drop_run_database

    url, name = create_run_database(TEST_DATABASE_URL)
    try:
        yield url
    finally:
        drop_run_database(TEST_DATABASE_URL, name)


@pytest.fixture(scope="session")
def schema_pool(postgres_database: str):
    from tests.pg import SchemaPool

    return SchemaPool(postgres_database)


@pytest.fixture
def pg_url(schema_pool) -> str:
    """A schema of this run's database as a fresh migration leaves it, for one test."""
    url = schema_pool.lend()
    yield url
    schema_pool.give_back(url)


@pytest.fixture
def database_url(request) -> str | None:
    """The PostgreSQL pass: a schema of its own for the test. The SQLite pass: None."""
    return None if TEST_DATABASE_URL is None else request.getfixturevalue("pg_url")


@pytest.fixture
def settings(tmp_path: Path, seeds_dir: Path, database_url: str | None) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TEST_TOKEN,
        database_path=tmp_path / "data" / "bot.db",
        database_url=database_url,
        seeds_dir=seeds_dir,
        topics_file=ROOT / "config" / "topics.yaml",
        admin_ids="42",
    )


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    opened = await open_services(settings)
    yield opened
    await opened.close()


def services_of(application: Application) -> Services:
    """The running bot's services (tests read state the bot keeps, e.g. a chat's topics)."""
    return application.bot_data.services


def couriers_of(application: Application):
    """The running bot's sender and corrector (tests wait for sends in flight to finish)."""
    return application.bot_data.couriers


@pytest.fixture
def anna(emulator):
    return emulator.make_user(user_id=1001, first_name="Anna", language_code="ru")


@pytest.fixture
def john(emulator):
    return emulator.make_user(user_id=1002, first_name="John", language_code="en")


@pytest.fixture
async def emulator():
    """A Bot API emulator on localhost; every test must leave it with no refused call."""
    from tests.emulator import BotApiEmulator

    async with BotApiEmulator(token=TEST_TOKEN, bot_username="briefing_test_bot") as emu:
        yield emu


@asynccontextmanager
async def running_bot(settings: Settings, emulator) -> AsyncIterator[Application]:
    """The real Application, started as `python -m bot` starts it, polling the emulator."""
    settings = settings.model_copy(update={"telegram_base_url": emulator.base_url})
    opened = await open_services(settings)
    application = build_application(opened, TEST_TOKEN)
    stop = asyncio.Event()
    mount = build_desk(opened, TEST_TOKEN)  # with DESK_URL set: the desk's server on PORT, as `python -m bot` runs it
    if mount is None:
        task = asyncio.create_task(serve_polling(application, stop))
    else:
        task = asyncio.create_task(serve_polling_with_server(application, settings, stop, mount))
    try:
        await emulator.wait_for(lambda: application.running or task.done(), timeout=10)
        if task.done():
            task.result()
        yield application
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await opened.close()


@pytest.fixture
async def bot(settings: Settings, emulator):
    async with running_bot(settings, emulator) as application:
        yield application
    # Whatever the test did, Telegram would have accepted every call the bot made — except the
    # answers only Telegram knows in advance: a user who blocked the bot, a bot removed from a
    # chat (403), a group that became a supergroup, a message the user deleted before the bot
    # corrected it, a channel name a user typed that does not exist. No 429, no other 400, ever.
    assert not unexpected_refusals(emulator), unexpected_refusals(emulator)


def unexpected_refusals(emulator) -> list:
    return [
        call for call in emulator.errors
        if call.error_code != 403 and "migrate_to_chat_id" not in (call.parameters or {})
        and "message to edit not found" not in (call.description or "")
        and not (call.method == "getChat" and "chat not found" in (call.description or ""))
    ]


@pytest.fixture
async def site():
    """A web site on 127.0.0.1 serving the pages and feeds a test puts on it (tests/websites.py)."""
    from tests.websites import LocalSite

    async with LocalSite() as running:
        yield running


# A group with an administrator and a member, as the subscription and alert tests use it.
@pytest.fixture
def admin(emulator):
    return emulator.make_user(user_id=2001, first_name="Admin", language_code="ru")


@pytest.fixture
def member(emulator):
    return emulator.make_user(user_id=2002, first_name="Member", language_code="ru")


@pytest.fixture
def group_of(emulator, admin, member):
    """A supergroup of the given id where `admin` administers and `member` is a member."""
    def make(chat_id: int):
        chat = emulator.make_group(chat_id, "Аналитики", "supergroup")
        emulator.set_member(chat, admin, "administrator")
        emulator.set_member(chat, member, "member")
        return chat
    return make
