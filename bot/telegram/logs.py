"""Logging set-up that keeps the token out of every line.

The HTTP client logs request URLs (which contain the token) at INFO, and python-telegram-bot
at DEBUG; both are held at WARNING, and a filter masks anything shaped like a token anyway.
"""

from __future__ import annotations

import json
import logging
import re
import sys

from telegram import Update

TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")  # every token the settings accept (bot/config.py)
NOISY_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if TOKEN.search(message):
            record.msg = TOKEN.sub("<token>", message)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = TOKEN.sub("<token>", record.exc_text)
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line, with the structured `fields` a record carries."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info or record.exc_text:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO", stream=None, fmt: str = "text") -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def update_summary(update: object) -> dict[str, object]:
    """What one log line says about an update: its kind, chat type and command, never its text."""
    if not isinstance(update, Update):
        return {"kind": type(update).__name__}
    kind = next((name for name in ("message", "edited_message", "channel_post", "callback_query",
                                   "inline_query", "my_chat_member", "chat_member")
                 if getattr(update, name, None) is not None), "other")
    chat = update.effective_chat
    message = update.effective_message
    command = None
    if message is not None and message.text and message.text.startswith("/"):
        command = message.text.split()[0].split("@")[0][:33]
    elif update.callback_query is not None:
        command = "button"
    elif message is not None:
        command = "text"
    return {"kind": kind, "chat_type": chat.type if chat else None, "command": command}
