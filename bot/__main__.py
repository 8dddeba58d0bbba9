"""Command line: `python -m bot` (polling), `python -m bot console` (local chat, no token)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, Settings, load_settings
from bot.content.validation import ContentError
from bot.logs import configure_logging
from bot.storage.instance_lock import AlreadyRunning
from bot.storage.migrations import SchemaTooNew

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
    backup = sub.add_parser("backup", help="copy the database consistently, even while the bot runs")
    backup.add_argument("path", type=Path, help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="replace an existing file")
    return parser.parse_args(argv)


async def run_bot(settings: Settings) -> None:
    from bot.app import build_application
    from bot.runner import serve, stop_on_signals
    from bot.services import open_services

    services = await open_services(settings)
    try:
        application = build_application(services, settings.bot_token.get_secret_value())
        stop = asyncio.Event()
        stop_on_signals(stop)
        await serve(application, settings, stop)
    finally:
        await services.close()


async def run_console(settings: Settings, lang: str) -> None:
    from bot.console import run_console as chat
    from bot.services import open_services

    services = await open_services(settings, exclusive=False)  # never delivers
    try:
        await chat(services, lang=lang)
    finally:
        await services.close()


def run_backup(settings: Settings, path: Path, force: bool) -> int:
    from bot.storage.backup import BackupError, backup_database

    try:
        size = backup_database(settings.database_path, path, overwrite=force)
    except (BackupError, OSError) as exc:
        print(f"error: backup failed: {exc}", file=sys.stderr)
        return 2
    print(f"backed up {settings.database_path} to {path} ({size:,} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level if args.command != "console" else "WARNING", fmt=settings.log_format)
    if args.command == "backup":
        return run_backup(settings, args.path, args.force)
    try:
        if args.command == "console":
            asyncio.run(run_console(settings, args.lang))
        elif settings.bot_token is None:
            print(NO_TOKEN_HELP, file=sys.stderr)
            return 2
        else:
            asyncio.run(run_bot(settings))
    except (ContentError, SchemaTooNew, AlreadyRunning) as exc:
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
