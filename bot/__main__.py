"""Command line: `python -m bot` (run), `console` (local chat, no token), `backup`, and the
content tools `check`, `import`, `export`, `ingest` (same checks and audit trail as the chat)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, Settings, load_settings
from bot.domain.validation import ContentError
from bot.telegram.logs import configure_logging
from bot.storage.instance_lock import AlreadyRunning
from bot.storage.postgres.connection import DatabaseUnreachable
from bot.storage.migrations import SchemaTooNew
from bot.telegram.webhook import WebhookRefused

NO_TOKEN_HELP = """BOT_TOKEN is not set, so the bot cannot connect to Telegram.

To get a token: open @BotFather in Telegram, send /newbot, choose a name and a username,
and put the token it gives you into .env as BOT_TOKEN=... (see config/.env.example).

To try every command right now without a token, chat with the bot in this terminal:

    python -m bot console
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Telegram briefing bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot with long polling (the default)")
    console = sub.add_parser("console", help="chat with the bot in this terminal, no token needed")
    console.add_argument("--lang", choices=("ru", "en"), default="ru", help="your language")
    console.add_argument("--database", type=Path, default=None,
                         help=f"the console's database (default {CONSOLE_DATABASE}; never DATABASE_PATH unless given here)")
    console.add_argument("--reset", action="store_true", help="start the console's database afresh")
    console.add_argument("--files", type=Path, default=None,
                         help="where files the bot sends (/export) are saved (default: console-files/ beside the database)")
    backup = sub.add_parser("backup", help="copy the database consistently, even while the bot runs")
    backup.add_argument("path", type=Path, help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="replace an existing file")
    sub.add_parser("check", help="validate seeds/ and the topic catalogue; exit 1 with the problem")
    importer = sub.add_parser("import", help="apply a content file in the seed format (YAML or JSON)")
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="report the change, make none")
    exporter = sub.add_parser("export", help="write all content in the seed format (stdout, or a folder)")
    exporter.add_argument("path", type=Path, nargs="?", help="folder to write <source>.yaml files into")
    ingest = sub.add_parser("ingest", help="turn an article (.txt/.md) into draft snippets")
    ingest.add_argument("article", type=Path)
    ingest.add_argument("--dry-run", action="store_true", help="report the drafts, create none")
    return parser.parse_args(argv)


async def run_bot(settings: Settings) -> None:
    from bot.app import build_application, build_desk, open_services
    from bot.telegram.runner import serve, stop_on_signals

    services = await open_services(settings)
    try:
        token = settings.bot_token.get_secret_value()
        application = build_application(services, token)
        stop = asyncio.Event()
        stop_on_signals(stop)
        await serve(application, settings, stop, mount=build_desk(services, token))
    finally:
        await services.close()


CONSOLE_DATABASE = Path("data/console.db")


def console_database(settings: Settings, given: Path | None) -> tuple[Path, bool]:
    """The console's database and whether it is the bot's own (DATABASE_PATH).

    The rule: the console works on `data/console.db`, a sandbox, unless `--database PATH` names
    another file. It reads DATABASE_PATH only to recognise it: given explicitly, the bot's own
    database is opened without delivering (the bot delivers from it), and nothing the console
    user was owed is left in it for the bot. The console's databases are SQLite files even
    with DATABASE_URL set: the sandbox never becomes the replicas' PostgreSQL database."""
    path = given or CONSOLE_DATABASE
    return path, settings.postgres_url is None and path.resolve() == settings.database_path.resolve()


def reset_database(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


async def run_console(settings: Settings, lang: str, database: Path | None = None,
                      reset: bool = False, files: Path | None = None) -> int:
    from bot.app import build_application, open_services
    from bot.domain.chats import PAUSED
    from bot.telegram.console import CONSOLE_USER_ID, run_console as chat

    path, the_bots = console_database(settings, database)
    if the_bots and reset:
        print(f"error: --reset would delete the bot's own database {path}; give the console its own", file=sys.stderr)
        return 2
    if reset:
        reset_database(path)
    settings = settings.model_copy(update={"database_path": path, "database_url": None})
    # a sandbox is the console's alone (one process, which delivers); the bot's own database
    # may be in use by the bot, which keeps delivering from it
    services = await open_services(settings, exclusive=not the_bots)
    files = files or path.parent / "console-files"
    if the_bots:
        banner = (f"База данных бота {path}: изменения настоящие; рассылки остаются боту. / "
                  f"The bot's own database {path}: changes are real; deliveries are left to the bot.")
    else:
        banner = (f"Песочница: база {path} (--reset — начать заново), файлы → {files}/. / "
                  f"Sandbox: database {path} (--reset starts afresh), files → {files}/.")
    try:
        def build(token, transport):
            return build_application(services, token, request=transport, get_updates_request=transport)

        await chat(build, lang=lang, deliver=not the_bots, files_dir=files, banner=banner)
        if the_bots:  # the console user is no Telegram chat: nothing is left for the bot to send it
            await services.delivery.chats.set_state(CONSOLE_USER_ID, PAUSED, "console user")
    finally:
        await services.close()
    return 0


def run_backup(settings: Settings, path: Path, force: bool) -> int:
    from bot.app import storage_backend
    from bot.storage.backup import BackupError, backup_database, backup_postgres

    backend = storage_backend(settings)
    try:
        if settings.postgres_url is not None:
            size = backup_postgres(settings.postgres_url, path, overwrite=force)
        else:
            size = backup_database(settings.database_path, path, overwrite=force)
    except (BackupError, OSError) as exc:
        print(f"error: backup failed: {exc}", file=sys.stderr)
        return 2
    print(f"backed up {backend.describe()} to {path} ({size:,} bytes)")
    return 0


def cli_actor():
    import getpass

    from bot.domain.actors import Actor

    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Actor(None, f"{name} (command line)", "cli")


def run_check(settings: Settings) -> int:
    from bot.domain.catalogue import load_catalogue
    from bot.domain.seeds import load_seeds
    from bot.services.ingest.reading.speech import source_voices

    try:
        catalogue = load_catalogue(settings.topics_file)
        loaded = load_seeds(settings.seeds_dir, catalogue, source_voices)
    except ContentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    snippets = sum(len(item.content.snippets) for item in loaded)
    print(f"ok: {len(catalogue)} topics, {len(loaded)} sources, {snippets} snippets")
    return 0


async def run_file_command(settings: Settings, command: str, path: Path, dry_run: bool) -> int:
    """`import` and `ingest`: the same checks, the same audit trail as in the chat."""
    from bot.services import importing
    from bot.app import open_services

    services = await open_services(settings, exclusive=False)  # may run beside the bot
    try:
        upload = await services.intake.read(
            path.read_bytes(), path.name, expect="content" if command == "import" else "article"
        )
        report = await services.intake.apply(upload, cli_actor(), dry_run=dry_run)
    finally:
        await services.close()
    if dry_run and command == "ingest":
        print(importing.seed_document(upload.item))
    for note in upload.notes:
        print(f"  model: {note}")
    verb = "would change" if dry_run else "changed"
    counts = importing.describe(report)
    print(f"{path.name}: {verb}: " + ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in counts.items()))
    for label in report.added:
        print(f"  + {label}")
    for label in report.changed:
        print(f"  ~ {label}")
    for label in report.retired:
        print(f"  - {label}")
    return 0


async def run_export(settings: Settings, path: Path | None) -> int:
    from bot.services.importing import export_documents
    from bot.app import open_services

    services = await open_services(settings, exclusive=False)
    try:
        documents = await export_documents(services.content, settings.seeds_dir)
    finally:
        await services.close()
    if path is None:
        print("\n---\n".join(text for _name, text in documents))
        return 0
    path.mkdir(parents=True, exist_ok=True)
    for name, text in documents:
        (path / name).write_text(text, encoding="utf-8")
        print(f"wrote {path / name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    serving = args.command in (None, "run")
    configure_logging(settings.log_level if serving else "WARNING", fmt=settings.log_format)
    if args.command == "backup":
        return run_backup(settings, args.path, args.force)
    if args.command == "check":
        return run_check(settings)
    try:
        if args.command in ("import", "ingest"):
            path = args.file if args.command == "import" else args.article
            if not path.is_file():
                print(f"error: {path}: no such file", file=sys.stderr)
                return 2
            return asyncio.run(run_file_command(settings, args.command, path, args.dry_run))
        if args.command == "export":
            return asyncio.run(run_export(settings, args.path))
        if args.command == "console":
            return asyncio.run(run_console(settings, args.lang, args.database, args.reset, args.files))
        elif settings.bot_token is None:
            print(NO_TOKEN_HELP, file=sys.stderr)
            return 2
        else:
            asyncio.run(run_bot(settings))
    except (ContentError, SchemaTooNew, AlreadyRunning, WebhookRefused, DatabaseUnreachable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("error: Telegram rejected BOT_TOKEN; check it with @BotFather (/mybots → API Token)", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"error: cannot reach the Bot API at TELEGRAM_BASE_URL ({exc.message})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    logging.captureWarnings(True)
    sys.exit(main())
