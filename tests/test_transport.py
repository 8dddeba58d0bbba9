"""``bot.telegram.transport.AiohttpRequest`` against the Bot API emulator and small local servers.

The emulator proves python-telegram-bot works end to end on this transport (Bot calls, long
polling, a whole Application); tiny aiohttp and raw asyncio servers provide what the emulator
cannot: multipart echo, hanging, dropped and unread connections, and slow answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.telegram.transport import AiohttpRequest
from tests.emulator import BotApiEmulator

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"

FAKE_MESSAGE = {
    "message_id": 7,
    "date": 1_700_000_000,
    "chat": {"id": 1, "type": "private", "first_name": "A"},
    "document": {"file_id": "f", "file_unique_id": "u", "file_name": "x"},
}


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="t_bot") as emulator:
        yield emulator


@contextlib.asynccontextmanager
async def web_server(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> AsyncIterator[str]:
    """An aiohttp server on a random local port answering every path with ``handler``."""
    app = web.Application(client_max_size=64 * 1024**2)
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/bot"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def raw_server(
    on_connect: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> AsyncIterator[str]:
    """A plain TCP server, for misbehaviour no HTTP server library would produce."""
    handlers: set[asyncio.Task[Any]] = set()

    async def wrapped(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await on_connect(reader, writer)
        except (Exception, asyncio.CancelledError):
            pass  # a cancelled connection task upsets asyncio.streams on 3.11
        finally:
            writer.transport.abort()

    server = await asyncio.start_server(wrapped, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot"
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the request, never answer."""
    await reader.read(65536)
    await asyncio.sleep(3600)


def assert_no_token(exc: BaseException) -> None:
    """Neither the message nor a logged traceback of ``exc`` may show the bot token."""
    shown = "".join(traceback.format_exception(exc))
    assert TOKEN not in shown
    assert TOKEN.split(":", 1)[1] not in shown


# -- python-telegram-bot end to end ----------------------------------------------------------


async def test_bot_calls_and_long_polling(emu: BotApiEmulator) -> None:
    updates_request = AiohttpRequest(connection_pool_size=1, read_timeout=0.5)
    bot = Bot(
        TOKEN,
        base_url=emu.base_url,
        request=AiohttpRequest(),
        get_updates_request=updates_request,
    )
    async with bot:
        me = await bot.get_me()
        assert me.username == "t_bot" and me.id == 123456

        user = emu.make_user(user_id=1, first_name="A", language_code="ru")
        emu.send_text(user, "/start")
        [update] = await bot.get_updates(timeout=0)
        assert update.message.text == "/start"

        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Далее »", callback_data="n:1")]])
        sent = await bot.send_message(
            1, "<b>Привет</b> &amp; <i>мир</i>", parse_mode=ParseMode.HTML, reply_markup=keyboard
        )
        assert sent.text == "Привет & мир"
        [stored] = await emu.wait_for_messages(1)
        assert stored["text"] == "Привет & мир"
        assert stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "n:1"

        # An empty long poll is held for the whole timeout; PTB sends read_timeout 0.5 + 1 and
        # the transport must use that per-call value, not its default 0.5.
        started = time.monotonic()
        assert await bot.get_updates(offset=update.update_id + 1, timeout=1) == ()
        assert 0.9 <= time.monotonic() - started < 2

        # A held poll returns as soon as an update arrives.
        poll = asyncio.create_task(bot.get_updates(offset=update.update_id + 1, timeout=5))
        await asyncio.sleep(0.1)
        emu.send_text(user, "ещё")
        [second] = await asyncio.wait_for(poll, 2)
        assert second.message.text == "ещё"
    assert not emu.errors, emu.errors


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_telegram_errors_pass_through(emu: BotApiEmulator) -> None:
    """Statuses come back as they are, so PTB's own mapping (RetryAfter, ...) still works."""
    async with AiohttpRequest() as request:
        bot = Bot(TOKEN, base_url=emu.base_url, request=request)
        emu.fail_next("getMe", 429, retry_after=3)
        with pytest.raises(RetryAfter) as caught:
            await bot.get_me()
        assert caught.value.retry_after.total_seconds() == 3

        status, body = await request.do_request(f"{emu.base_url}{TOKEN}/noSuchMethod", "POST")
        assert status == 404 and json.loads(body)["ok"] is False


async def test_application_answers_start(emu: BotApiEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_html("<b>Здравствуйте!</b>")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    user = emu.make_user(user_id=5, first_name="B", language_code="ru")
    async with app:
        await app.updater.start_polling(timeout=1)
        await app.start()
        emu.send_text(user, "/start")
        [reply] = await emu.wait_for_messages(5)
        assert reply["text"] == "Здравствуйте!"
        await app.updater.stop()
        await app.stop()
    assert not emu.errors, emu.errors


# -- request bodies --------------------------------------------------------------------------


async def test_bodies_json_and_multipart(tmp_path: Any) -> None:
    seen: list[dict[str, Any]] = []

    async def echo(request: web.Request) -> web.Response:
        fields: dict[str, Any] = {}
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                content = await part.read()
                if part.filename is not None:
                    fields[part.name] = (part.filename, part.headers.get("Content-Type"), content)
                else:
                    fields[part.name] = content.decode()
        elif request.content_type == "application/json":
            fields = await request.json()
        else:
            fields = dict(await request.post())
        seen.append({
            "method": request.path.rsplit("/", 1)[-1],
            "content_type": request.content_type,
            "user_agent": request.headers.get("User-Agent", ""),
            "fields": fields,
        })
        result: Any = FAKE_MESSAGE if "send" in request.path else True
        return web.json_response({"ok": True, "result": result})

    request = AiohttpRequest()
    try:
        async with web_server(echo) as base_url:
            bot = Bot(TOKEN, base_url=base_url, request=request)
            await bot.set_my_description("Описание & <тест>", language_code="ru")
            payload = bytes(range(256)) * 40
            await bot.send_document(
                1, payload, filename="отчёт 1.pdf", caption="<b>Файл</b>", parse_mode="HTML"
            )
            path = tmp_path / "notes.txt"
            path.write_bytes(b"from a file handle\n" * 1000)
            with path.open("rb") as handle:
                await bot.send_document(1, handle)
    finally:
        await request.shutdown()

    form, upload, from_handle = seen
    assert form["content_type"] == "application/json"
    assert form["user_agent"].startswith("python-telegram-bot")
    assert form["fields"] == {"description": "Описание & <тест>", "language_code": "ru"}

    assert upload["method"] == "sendDocument"
    assert upload["content_type"] == "multipart/form-data"
    fields = upload["fields"]
    assert fields["chat_id"] == "1" and fields["caption"] == "<b>Файл</b>"
    assert fields["parse_mode"] == "HTML"
    filename, mimetype, content = fields["document"]
    assert filename == "отчёт 1.pdf" and mimetype == "application/pdf"
    assert content == payload

    assert from_handle["fields"]["document"][0] == "notes.txt"
    assert from_handle["fields"]["document"][2] == path.read_bytes()


# -- timeouts and failures -------------------------------------------------------------------


async def test_hanging_server_times_out_within_read_timeout() -> None:
    async with raw_server(hang) as base_url, AiohttpRequest(read_timeout=0.3) as request:
        started = time.monotonic()
        with pytest.raises(TimedOut) as caught:
            await request.post(f"{base_url}{TOKEN}/getMe")
        assert 0.25 <= time.monotonic() - started < 1.5
        assert_no_token(caught.value)


async def test_timeout_arguments_follow_default_none_semantics() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        return web.json_response({"ok": True, "result": True})

    async with web_server(slow) as base_url, AiohttpRequest(read_timeout=0.1) as request:
        url = f"{base_url}{TOKEN}/close"
        with pytest.raises(TimedOut):
            await request.post(url)  # DEFAULT_NONE: the instance's 0.1 s
        assert await request.post(url, read_timeout=None) is True  # None: no limit
        assert await request.post(url, read_timeout=2) is True
        assert request.read_timeout == 0.1


async def test_closed_port_is_a_network_error_not_a_timeout() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AiohttpRequest(connect_timeout=2) as request:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    assert not isinstance(caught.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in caught.value.message
    assert_no_token(caught.value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="relies on Linux SYN backlog")
async def test_connect_timeout_is_timed_out_without_the_token() -> None:
    """aiohttp's connect-timeout message carries the URL; it must not reach the caller's logs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)  # never accepted: once the backlog is full, further SYNs are dropped
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))
            await asyncio.sleep(0.05)
            async with AiohttpRequest(connect_timeout=0.2) as request:
                started = time.monotonic()
                with pytest.raises(TimedOut) as caught:
                    await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
                assert time.monotonic() - started < 1
        finally:
            for filler in fillers:
                filler.close()
    assert "connection" in caught.value.message
    assert_no_token(caught.value)


async def drop_after_reading(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(65536)
    writer.transport.abort()


async def drop_mid_response(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(65536)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"ok\": tr")
    await writer.drain()
    writer.transport.abort()


@pytest.mark.parametrize("misbehave", [drop_after_reading, drop_mid_response])
async def test_dropped_connection_is_a_network_error(misbehave: Any) -> None:
    async with raw_server(misbehave) as base_url, AiohttpRequest() as request:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"{base_url}{TOKEN}/sendMessage")
    assert not isinstance(caught.value, TimedOut)
    assert caught.value.message.startswith("aiohttp.")
    assert_no_token(caught.value)


async def test_stalled_upload_hits_the_write_timeout() -> None:
    async def never_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    request = AiohttpRequest(read_timeout=5, media_write_timeout=5)
    async with raw_server(never_read) as base_url:
        bot = Bot(TOKEN, base_url=base_url, request=request)
        started = time.monotonic()
        with pytest.raises(TimedOut) as caught:
            await bot.send_document(1, b"\0" * (64 * 1024**2), write_timeout=0.3)
        elapsed = time.monotonic() - started
        await request.shutdown()
    assert "upload" in caught.value.message
    assert elapsed < 3
    assert_no_token(caught.value)


async def test_pool_timeout_and_cancellation() -> None:
    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": True})

    async with raw_server(hang) as hanging, web_server(ok) as good:
        async with AiohttpRequest(connection_pool_size=1, read_timeout=10) as request:
            stuck = asyncio.create_task(request.post(f"{hanging}{TOKEN}/getMe"))
            await asyncio.sleep(0.1)

            started = time.monotonic()
            with pytest.raises(TimedOut) as caught:
                await request.post(f"{good}{TOKEN}/close", pool_timeout=0.2)
            assert 0.15 <= time.monotonic() - started < 1
            assert caught.value.message.startswith("Pool timeout")
            assert_no_token(caught.value)

            # Cancellation is not turned into an error, and it gives the connection back.
            stuck.cancel()
            with pytest.raises(asyncio.CancelledError):
                await stuck
            assert await request.post(f"{good}{TOKEN}/close", pool_timeout=0.2) is True

            # A waiter cancelled while queued for the pool does not eat a permit either.
            stuck = asyncio.create_task(request.post(f"{hanging}{TOKEN}/getMe"))
            await asyncio.sleep(0.05)
            queued = asyncio.create_task(request.post(f"{good}{TOKEN}/close", pool_timeout=5))
            await asyncio.sleep(0.05)
            queued.cancel()
            stuck.cancel()
            await asyncio.gather(stuck, queued, return_exceptions=True)
            assert await request.post(f"{good}{TOKEN}/close", pool_timeout=0.2) is True


# -- lifecycle and concurrency ---------------------------------------------------------------


async def test_shutdown_then_initialize_again(emu: BotApiEmulator) -> None:
    request = AiohttpRequest()
    url = f"{emu.base_url}{TOKEN}/getMe"
    assert (await request.post(url))["username"] == "t_bot"  # opened lazily
    await request.shutdown()
    await request.shutdown()  # idempotent
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(url)
    await request.initialize()
    await request.initialize()  # idempotent
    assert (await request.post(url))["username"] == "t_bot"
    await request.shutdown()
    async with request:
        assert (await request.post(url))["username"] == "t_bot"


async def test_fifty_concurrent_calls_on_eight_connections(emu: BotApiEmulator) -> None:
    async with Bot(TOKEN, base_url=emu.base_url, request=AiohttpRequest(8)) as bot:
        results = await asyncio.gather(*(bot.get_me() for _ in range(50)))
    assert {me.username for me in results} == {"t_bot"}
    assert not emu.errors

    in_flight, peak, peers = 0, 0, set()

    async def counting(request: web.Request) -> web.Response:
        nonlocal in_flight, peak
        peers.add(request.transport.get_extra_info("peername"))
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return web.json_response({"ok": True, "result": True})

    async with web_server(counting) as base_url, AiohttpRequest(8) as request:
        url = f"{base_url}{TOKEN}/close"
        assert all(await asyncio.gather(*(request.post(url) for _ in range(50))))
        assert all(await asyncio.gather(*(request.post(url) for _ in range(50))))
    assert peak == 8
    assert len(peers) <= 8  # kept alive and reused, never more than the pool


async def test_proxy_from_argument_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    request_lines: list[bytes] = []

    async def forward_proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_lines.append(await reader.readline())
        await reader.readuntil(b"\r\n\r\n")
        body = b'{"ok": true, "result": true}'
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        writer.write(b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        await writer.drain()

    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with socket.socket() as sock:  # the "Bot API" itself is unreachable: only a proxy gets there
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/bot{TOKEN}/close"
    async with raw_server(forward_proxy) as base_url:
        proxy = base_url.removesuffix("/bot")
        async with AiohttpRequest(proxy=proxy) as request:
            assert await request.post(url) is True

        monkeypatch.setenv("http_proxy", proxy)
        async with AiohttpRequest() as request:
            assert await request.post(url) is True
        async with AiohttpRequest(trust_env=False) as request:
            with pytest.raises(NetworkError, match="Cannot connect"):
                await request.post(url)

        monkeypatch.setenv("no_proxy", "localhost,127.0.0.1")
        async with AiohttpRequest() as request:
            with pytest.raises(NetworkError, match="Cannot connect"):
                await request.post(url)
    assert request_lines == [f"POST {url} HTTP/1.1\r\n".encode()] * 2


@pytest.mark.parametrize("declared", [False, True])
async def test_a_download_is_read_only_up_to_the_limit_set_for_it(declared: bool) -> None:
    """A file that keeps coming (a streamed body of 40 MB, with or without a Content-Length):
    inside `response_limit` the transport stops at the limit, drops the connection and says
    so; outside it the same answer is read whole."""
    from bot.telegram.transport import ResponseTooLarge, response_limit

    chunk = b"x" * 65_536
    chunks = 640  # 40 MB
    sent = []

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        if declared:
            response.content_length = len(chunk) * chunks
        await response.prepare(request)
        total = 0
        try:
            for _ in range(chunks):
                await response.write(chunk)
                total += len(chunk)
        finally:
            sent.append(total)
        return response

    async with web_server(endless) as base:
        request = AiohttpRequest(read_timeout=30)
        await request.initialize()
        try:
            with response_limit(1_000_000), pytest.raises(ResponseTooLarge, match="1,000,000"):
                await request.do_request(base + "/file", "GET")
            status, body = await request.do_request(base + "/file", "GET")  # no limit: read whole
            assert status == 200 and len(body) == len(chunk) * chunks
        finally:
            await request.shutdown()
    assert sent[0] < len(chunk) * chunks, "the server could send it all: the transport kept reading"
