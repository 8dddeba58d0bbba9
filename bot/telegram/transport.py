"""A python-telegram-bot transport built on aiohttp.

PTB's default ``HTTPXRequest`` spends a large share of every Bot API call inside httpx/httpcore;
``AiohttpRequest`` does the same job on aiohttp's faster HTTP/1.1 client while keeping PTB's
``BaseRequest`` contract: the same timeout semantics (``DEFAULT_NONE`` = this instance's default,
``None`` = wait forever), the same request bodies (form-urlencoded, multipart when uploading),
HTTP statuses passed through untouched, and failures raised as ``TimedOut``/``NetworkError`` so
PTB's retry and error handling keep working.

Use one instance for API calls and a separate, small one for long polling::

    ApplicationBuilder().token(token)
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(connection_pool_size=1))

Timeout mapping (aiohttp has different knobs than httpx):

* ``connect_timeout`` -> ``ClientTimeout.connect``: DNS + TCP + TLS (+ proxy handshake). It
  would also include waiting for a pooled connection, but that never happens here (see pool).
* ``read_timeout`` -> ``ClientTimeout.sock_read``: the longest silence from the server, counted
  from the moment the request body has been sent, reset by every chunk received - the same
  per-read meaning as httpx. getUpdates' per-call value (PTB adds the long-poll timeout) is
  honoured because timeouts are built per call.
* ``write_timeout`` (aiohttp has none): small form bodies go into the socket buffer at once, so
  a write cannot stall there without the read timeout noticing. For uploads the body is sent
  while nothing is timed, so on aiohttp >= 3.14 a watchdog follows ``UploadTracker`` progress
  and aborts when no byte has left for ``write_timeout`` seconds (a stall timeout, like
  httpx's per-write one); on older aiohttp it falls back to
  ``total = connect + write + read``.
* ``pool_timeout`` (aiohttp has none: its pool wait is folded into ``connect``): an
  ``asyncio.Semaphore`` with one permit per pooled connection, waited for at most
  ``pool_timeout``; the connector has the same limit, so it never queues on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import io
import json
import re
import urllib.request
from typing import Any

import aiohttp

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest", "ResponseTooLarge", "response_limit"]

_UploadTracker: Any = getattr(aiohttp, "UploadTracker", None)  # aiohttp >= 3.14
_CONNECT_TIMEOUT: Any = getattr(aiohttp, "ConnectionTimeoutError", ())  # aiohttp >= 3.10

_BIG_BYTES = 2**20
# The most bytes an answer may have, for the calls made inside `response_limit` (a download of a
# file the bot only takes up to some size): read with this cap, whatever size was declared.
_RESPONSE_LIMIT: contextvars.ContextVar[int | None] = contextvars.ContextVar("response_limit", default=None)


class ResponseTooLarge(TelegramError):
    """An answer (a file being downloaded) over the limit `response_limit` set."""


@contextlib.contextmanager
def response_limit(limit: int):
    """Answers to the requests made in this block (in this task) are read up to `limit` bytes;
    past it, ResponseTooLarge and the connection is dropped."""
    token = _RESPONSE_LIMIT.set(limit)
    try:
        yield
    finally:
        _RESPONSE_LIMIT.reset(token)


async def _read(response: aiohttp.ClientResponse) -> bytes:
    limit = _RESPONSE_LIMIT.get()
    if limit is None:
        return await response.read()
    if response.content_length is not None and response.content_length > limit:
        response.close()
        raise ResponseTooLarge(f"larger than {limit:,} bytes ({response.content_length:,})")
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            response.close()
            raise ResponseTooLarge(f"larger than {limit:,} bytes (still coming at {size:,})")
        chunks.append(chunk)
    return b"".join(chunks)
_JSON_HEADERS = {"Content-Type": "application/json"}
#: Bot tokens look like ``123456:AA...``; aiohttp puts the full URL (``/bot<token>/``) in some
#: exception messages, and those end up in logs.
_TOKEN_RE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
_POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* sent "
    "to Telegram. Consider adjusting the connection pool size or the pool timeout."
)


class AiohttpRequest(BaseRequest):
    """``telegram.request.BaseRequest`` on one pooled ``aiohttp.ClientSession``.

    Args:
        connection_pool_size: connections kept and used at most at a time (also the number of
            requests in flight; more wait up to ``pool_timeout``). Use 1 for getUpdates.
        read_timeout, write_timeout, connect_timeout, pool_timeout: defaults in seconds
            (``None`` = no limit), used whenever PTB passes ``DEFAULT_NONE``; as in HTTPXRequest.
        media_write_timeout: the default write timeout of requests that upload files.
        proxy: an ``http://`` proxy URL (aiohttp cannot speak SOCKS). With ``proxy=None`` and
            ``trust_env=True`` the ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``/``NO_PROXY``
            environment is honoured, as httpx does.
        trust_env: see ``proxy``; read once per ``initialize()``, not per request (aiohttp's own
            ``trust_env`` re-reads the environment on every call, ~0.3 ms each).
        ttl_dns_cache: seconds a DNS answer is reused.
        keepalive_timeout: seconds an idle connection is kept; keep it below the server's own
            idle limit, or a POST may go out on a connection the server is closing.
        session_kwargs: extra ``aiohttp.ClientSession`` arguments, for advanced tuning.
    """

    __slots__ = (
        "_connect_timeout",
        "_env_proxies",
        "_keepalive_timeout",
        "_loop",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxy",
        "_proxy_cache",
        "_read_timeout",
        "_session",
        "_session_kwargs",
        "_shut_down",
        "_slots",
        "_timeouts",
        "_trust_env",
        "_ttl_dns_cache",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        *,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
        trust_env: bool = True,
        ttl_dns_cache: int | None = 300,
        keepalive_timeout: float = 15.0,
        session_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        if proxy is not None and not proxy.lower().startswith(("http://", "https://")):
            raise ValueError("aiohttp supports only http:// and https:// proxies")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._trust_env = trust_env
        self._ttl_dns_cache = ttl_dns_cache
        self._keepalive_timeout = keepalive_timeout
        self._session_kwargs = dict(session_kwargs or {})
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._shut_down = False
        self._timeouts: dict[tuple[Any, ...], aiohttp.ClientTimeout] = {}
        self._env_proxies: dict[str, str] = {}
        self._proxy_cache: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """PTB adds the long-poll timeout to this when it polls with ``DEFAULT_NONE``."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session in the running loop: aiohttp binds a session to the loop it was
        made in, so making it in ``__init__`` would break bots built before ``asyncio.run``."""
        loop = asyncio.get_running_loop()
        self._shut_down = False
        session = self._session
        if session is not None and not session.closed:
            if self._loop is loop:
                return
            # Left behind by a loop that is gone; its sockets cannot be closed from here.
            session.detach()
        self._session = self._build_session()
        self._slots = asyncio.Semaphore(self._pool_size)
        self._loop = loop

    async def shutdown(self) -> None:
        """Close every pooled connection; ``initialize()`` may open a new session later."""
        self._shut_down = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _build_session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._pool_size,
            ttl_dns_cache=self._ttl_dns_cache,
            keepalive_timeout=self._keepalive_timeout,
        )
        self._env_proxies = {}
        self._proxy_cache = {}
        if self._proxy is None and self._trust_env:
            self._env_proxies = urllib.request.getproxies()
        kwargs: dict[str, Any] = {
            "connector": connector,
            "headers": {"User-Agent": self.USER_AGENT},
            **self._session_kwargs,
        }
        return aiohttp.ClientSession(**kwargs)

    def _proxy_for(self, url: str) -> str | None:
        """The proxy for ``url``'s origin, resolved from the environment once per origin."""
        if self._proxy is not None or not self._env_proxies:
            return self._proxy
        scheme, _, rest = url.partition("://")
        origin = f"{scheme}://{rest.split('/', 1)[0]}"
        try:
            return self._proxy_cache[origin]
        except KeyError:
            pass
        proxies = self._env_proxies
        proxy = proxies.get(scheme.lower()) or proxies.get("all")
        host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
        if proxy and (
            not proxy.lower().startswith(("http://", "https://"))
            or ("no" in proxies and urllib.request.proxy_bypass_environment(host, proxies))
        ):
            proxy = None  # SOCKS from the environment is ignored, as httpx does
        self._proxy_cache[origin] = proxy
        return proxy

    def _client_timeout(
        self, connect: float | None, read: float | None, total: float | None
    ) -> aiohttp.ClientTimeout:
        key = (connect, read, total)
        timeout = self._timeouts.get(key)
        if timeout is None:
            if len(self._timeouts) > 64:  # per-call values (e.g. getUpdates) are few; stay bounded
                self._timeouts.clear()
            timeout = aiohttp.ClientTimeout(total=total, connect=connect, sock_read=read)
            self._timeouts[key] = timeout
        return timeout

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See ``BaseRequest.do_request``."""
        if self._session is None or self._loop is not asyncio.get_running_loop():
            if self._shut_down:
                raise RuntimeError("This AiohttpRequest is not initialized!")
            await self.initialize()
        session, slots = self._session, self._slots
        assert session is not None and slots is not None

        has_files = request_data is not None and request_data.contains_files
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(connect_timeout, DefaultValue):
            connect_timeout = self._connect_timeout
        if isinstance(pool_timeout, DefaultValue):
            pool_timeout = self._pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write_timeout = self._media_write_timeout if has_files else self._write_timeout

        data: Any = None
        headers = None
        if request_data is not None:
            if has_files:
                # Unquoted like httpx: percent-encoding would show up in the document's name.
                data = aiohttp.FormData(quote_fields=False)
                for name, value in request_data.json_parameters.items():
                    data.add_field(name, value)
                for name, (filename, content, mimetype) in request_data.multipart_data.items():
                    if isinstance(content, bytes) and len(content) > _BIG_BYTES:
                        # Sent in chunks: the loop stays responsive and uploads show progress.
                        content = io.BytesIO(content)
                    data.add_field(name, content, filename=filename, content_type=mimetype)
            elif request_data.parameters:
                # JSON, not a urlencoded form: the Bot API takes both, and percent-encoding a
                # long Cyrillic text byte by byte costs more than the rest of the request.
                data = json.dumps(request_data.parameters, ensure_ascii=False).encode()
                headers = _JSON_HEADERS

        watch_upload = has_files and write_timeout is not None and _UploadTracker is not None
        total = None
        if has_files and _UploadTracker is None and None not in (
            connect_timeout,
            write_timeout,
            read_timeout,
        ):
            total = connect_timeout + write_timeout + read_timeout  # type: ignore[operator]
        timeout = self._client_timeout(connect_timeout, read_timeout, total)

        # The pool: wait for a permit here, not inside aiohttp, so the wait can have its own limit.
        if slots.locked():
            try:
                async with asyncio.timeout(pool_timeout):
                    await slots.acquire()
            except TimeoutError:
                raise TimedOut(_POOL_TIMEOUT_MESSAGE) from None
        else:
            await slots.acquire()  # free permit: returns without suspending

        guard = None
        try:
            kwargs: dict[str, Any] = {
                "data": data,
                "headers": headers,
                "timeout": timeout,
                "allow_redirects": False,
                "proxy": self._proxy_for(url),
            }
            if watch_upload:
                async with asyncio.timeout(None) as guard:
                    tracker = _UploadTracker()
                    watchdog = asyncio.create_task(
                        _watch_upload(tracker, guard, write_timeout, connect_timeout)
                    )
                    try:
                        async with session.request(
                            method, url, upload_tracker=tracker, **kwargs
                        ) as response:
                            return response.status, await _read(response)
                    finally:
                        watchdog.cancel()
            async with session.request(method, url, **kwargs) as response:
                return response.status, await _read(response)
        except asyncio.TimeoutError as err:  # aiohttp's ServerTimeoutError is one too
            if guard is not None and guard.expired():
                message = f"Timed out: the upload made no progress for {write_timeout}s"
            elif isinstance(err, _CONNECT_TIMEOUT):
                message = f"Timed out: no connection within {connect_timeout}s"
            elif isinstance(err, aiohttp.ServerTimeoutError):
                message = f"Timed out: no data from the server for {read_timeout}s"
            else:
                message = "Timed out"
            _raise_scrubbed(TimedOut(message), err, url)
        except (aiohttp.ClientError, OSError) as err:
            detail = _scrub(str(err), url)
            name = type(err).__name__
            message = f"aiohttp.{name}: {detail}" if detail else f"aiohttp.{name}"
            _raise_scrubbed(NetworkError(message), err, url)
        finally:
            slots.release()
        raise AssertionError("unreachable")  # pragma: no cover


async def _watch_upload(
    tracker: Any, guard: asyncio.Timeout, write_timeout: float, connect_timeout: float | None
) -> None:
    """Arm ``guard`` while the body is being sent, re-armed by every byte that leaves.

    The first deadline also allows for connecting, which happens before any byte can leave.
    """
    loop = asyncio.get_running_loop()
    guard.reschedule(loop.time() + (connect_timeout or 0.0) + write_timeout)
    done = tracker.upload_complete
    interval = min(max(write_timeout / 4, 0.01), 0.5)
    sent = 0
    while not done.done():
        await asyncio.wait((done,), timeout=interval)
        now_sent = tracker.bytes_written
        if now_sent != sent:
            sent = now_sent
            guard.reschedule(loop.time() + write_timeout)
    guard.reschedule(None)  # the body is out: from here on only sock_read applies


def _scrub(text: str, url: str) -> str:
    """``text`` without the request URL or anything shaped like a bot token."""
    return _TOKEN_RE.sub("<token>", text.replace(url, "<url>"))


def _leaks(err: BaseException, url: str) -> bool:
    """Whether printing ``err``'s chain (as a logged traceback does) would show the token."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = f"{current!s} {current!r}"
        if url in text or _TOKEN_RE.search(text):
            return True
        current = current.__cause__ or current.__context__
    return False


def _raise_scrubbed(exc: Exception, cause: BaseException, url: str) -> None:
    """Raise ``exc`` chained to ``cause`` unless that would put the token into tracebacks."""
    if _leaks(cause, url):
        raise exc from None
    raise exc from cause
