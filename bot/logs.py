"""Logging set-up that keeps the token out of every line.

The HTTP client logs request URLs (which contain the token) at INFO, and python-telegram-bot
at DEBUG; both are held at WARNING, and a filter masks anything shaped like a token anyway.
"""

from __future__ import annotations

import logging
import re
import sys

TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
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


def configure_logging(level: str = "INFO", stream=None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
