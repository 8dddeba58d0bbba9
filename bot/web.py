"""What every HTTP door of the bot shares (the webhook, the desk, the polling mode's server):
limits that hold before anything is parsed, answers that name no software, and refusals logged
by kind, not by request.

- `read_capped`: a body is refused by its declared `Content-Length` before it is read, and read
  with a cap whatever it declares (a chunked body has none). aiohttp's own `client_max_size` is
  the root application's, so a sub-application (the desk) cannot rely on its own.
- `loads`: JSON nested deeper than Python's recursion limit is "not JSON", not a RecursionError.
- `harden`: every answer's `Server` header names no software or version (aiohttp's default is
  "Python/3.x aiohttp/3.x"), and aiohttp's own log of malformed requests (a header over 8 KB, a
  broken request line) is one line per kind a minute with no traceback.
- `RefusalLog`: one line per kind of refusal a minute, with how many were left out meanwhile.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

SERVER = "briefing-bot"
LOG_INTERVAL = 60.0  # seconds between two log lines of one kind of refusal


class TooLarge(Exception):
    """A body over the door's limit."""


async def read_capped(request: web.BaseRequest, limit: int) -> bytes:
    """The request's body, or TooLarge as soon as it is known to be over `limit` bytes."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await request.content.read(limit + 1 - size)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)


def loads(data: bytes | str) -> Any:
    """json.loads, with nesting too deep for the parser a ValueError like any other bad JSON."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


class RefusalLog:
    """Logs a refusal of a kind at most once per `interval`; the next line says how many of
    that kind were refused without a line. Kinds are the caller's fixed words, never input."""

    def __init__(self, logger: logging.Logger, interval: float = LOG_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.logger = logger
        self.interval = interval
        self.clock = clock
        self._last: dict[str, tuple[float, int]] = {}  # kind -> (time of its last line, left out since)
        self._lock = threading.Lock()

    def allow(self, kind: str) -> int | None:
        """None if this refusal is to be left out of the log; else how many were left out before it."""
        now = self.clock()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last[0] < self.interval:
                self._last[kind] = (last[0], last[1] + 1)
                return None
            self._last[kind] = (now, 0)
            return last[1] if last else 0

    def refused(self, kind: str, level: int = logging.INFO) -> None:
        skipped = self.allow(kind)
        if skipped is not None:
            more = f" (and {skipped} more like it in the last minutes)" if skipped else ""
            self.logger.log(level, "refused a request: %s%s", kind, more)


class _MalformedRequests(logging.Filter):
    """aiohttp's "Error handling request" for a request it could not parse: one line per kind a
    minute, without the traceback (a parse error is the client's, not the bot's)."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals = RefusalLog(logging.getLogger("aiohttp.server"))

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        from aiohttp.http_exceptions import HttpProcessingError

        kind = type(exc).__name__
        skipped = self.refusals.allow(kind)
        if skipped is None:
            return False
        if isinstance(exc, HttpProcessingError):
            record.msg, record.args = "refused a malformed request: %s (%s)%s", (
                kind, str(exc)[:120], f" (and {skipped} more like it in the last minutes)" if skipped else "")
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


_filter_lock = threading.Lock()
_malformed: _MalformedRequests | None = None


async def _no_software(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = SERVER


def harden(app: web.Application) -> web.Application:
    """The root application of a server: its answers (and its sub-applications') name no
    software; aiohttp's log of malformed requests is rate-limited."""
    global _malformed
    app.on_response_prepare.append(_no_software)
    with _filter_lock:
        # aiohttp's answer to a request it could not parse goes through no application hook;
        # its Server header comes from this module constant
        from aiohttp import web_response

        if getattr(web_response, "SERVER_SOFTWARE", SERVER) != SERVER:
            web_response.SERVER_SOFTWARE = SERVER
        if _malformed is None:
            _malformed = _MalformedRequests()
            logging.getLogger("aiohttp.server").addFilter(_malformed)
    return app
