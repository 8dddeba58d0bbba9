"""The bot's HTTP doors as production mounts them — the desk on the polling mode's own server and
beside the webhook — with legal but hostile requests: bodies past the desk's limit (declared or
streamed), JSON nested thousands deep in a body or in the launch-data header, a webhook body of
100,000 brackets with the right secret. Each gets a short 4xx, never a 500 or a traceback; no
answer names the server's software and version; and refusals are logged one line per kind a
minute, not one per request."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from bot.app import build_application, build_desk, open_services
from bot.config import load_settings
from bot.telegram.webhook import HEALTH_PATH, SECRET_HEADER, serve_webhook
from tests.conftest import TEST_TOKEN, running_bot
from tests.helpers import desk_launch_data as launch_data, free_port

DESK_URL = "https://bot.example.org/desk/"
SECRET = "s3cret-Token_1"
NESTED_USER = "user=" + "[" * 3_000 + "]" * 3_000 + "&auth_date=1&hash=" + "0" * 64  # 6 KB, within the header limit


@asynccontextmanager
async def polling_with_desk(settings, emulator) -> AsyncIterator[str]:
    port = free_port()
    desk = {"desk_url": DESK_URL, "port": port, "webhook_listen": "127.0.0.1"}
    async with running_bot(settings.model_copy(update=desk), emulator):
        yield f"http://127.0.0.1:{port}"


@asynccontextmanager
async def webhook_with_desk(settings, emulator) -> AsyncIterator[str]:
    port = free_port()
    settings = settings.model_copy(update={
        "telegram_base_url": emulator.base_url, "mode": "webhook", "port": port, "desk_url": DESK_URL,
        "webhook_url": "https://bot.example.org/tg/hook", "webhook_listen": "127.0.0.1",
        "webhook_secret": load_settings(_env_file=None, webhook_secret=SECRET).webhook_secret,
    })
    services = await open_services(settings)
    application = build_application(services, TEST_TOKEN)
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve_webhook(application, settings, stop, ready=ready.set,
                                             mount=build_desk(services, TEST_TOKEN)))
    try:
        await asyncio.wait_for(ready.wait(), 10)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await services.close()


MOUNTED = {"polling": polling_with_desk, "webhook": webhook_with_desk}


async def streamed(size: int):
    """A body sent in chunks, with no Content-Length: the server learns its size by reading."""
    chunk = b"[" + b" " * 65_534 + b"]"
    for _ in range(size // len(chunk)):
        yield chunk


def assert_short_refusal(status: int, expected: int, body: str, headers) -> None:
    assert status == expected, (status, body[:300])
    assert len(body) < 1_000 and "Traceback" not in body, body[:500]
    assert "aiohttp" not in headers.get("Server", "") and "Python" not in headers.get("Server", ""), headers


@pytest.mark.parametrize("mode", list(MOUNTED))
async def test_the_desks_body_limit_holds_where_production_mounts_it(mode, settings, emulator, caplog) -> None:
    async with MOUNTED[mode](settings, emulator) as base:
        owner = {"X-Telegram-Init-Data": launch_data(42)}
        api = base + "/desk/api/snippets/1/text"
        async with aiohttp.ClientSession() as http:
            big = json.dumps({"title": "T", "summary": "x" * 900_000})
            async with http.post(api, headers=owner, data=big,
                                 timeout=aiohttp.ClientTimeout(total=30)) as response:
                assert_short_refusal(response.status, 413, await response.text(), response.headers)
            async with http.post(api, headers=owner, data=streamed(900_000),
                                 timeout=aiohttp.ClientTimeout(total=30)) as response:
                assert_short_refusal(response.status, 413, await response.text(), response.headers)
            # the same editor's ordinary request still works on that server
            async with http.get(base + "/desk/api/snippets", headers=owner) as response:
                assert response.status == 200 and (await response.json())["snippets"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("mode", list(MOUNTED))
async def test_nested_json_anywhere_is_a_short_400_or_401_never_a_500(mode, settings, emulator, caplog) -> None:
    async with MOUNTED[mode](settings, emulator) as base:
        owner = {"X-Telegram-Init-Data": launch_data(42)}
        async with aiohttp.ClientSession() as http:
            for _ in range(3):
                async with http.get(base + "/desk/api/snippets", headers={"X-Telegram-Init-Data": NESTED_USER}) as response:
                    assert_short_refusal(response.status, 401, await response.text(), response.headers)
            async with http.post(base + "/desk/api/snippets/1/text", headers=owner,
                                 data=b"[" * 5_000 + b"]" * 5_000) as response:
                assert_short_refusal(response.status, 400, await response.text(), response.headers)
            async with http.post(base + "/desk/api/confirm", headers=owner,
                                 data=b'{"token": ' + b"{\"a\":" * 2_000 + b"1" + b"}" * 2_000 + b"}") as response:
                assert_short_refusal(response.status, 400, await response.text(), response.headers)
            if mode == "webhook":
                for body in (b"[" * 100_000 + b"]" * 100_000, b'{"update_id": 1, "message": ' + b"[" * 50_000):
                    async with http.post(base + "/tg/hook", data=body, headers={SECRET_HEADER: SECRET}) as response:
                        assert_short_refusal(response.status, 400, await response.text(), response.headers)
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not problems, [r.getMessage() for r in problems]


@pytest.mark.parametrize("mode", list(MOUNTED))
async def test_no_answer_names_the_servers_software(mode, settings, emulator) -> None:
    async with MOUNTED[mode](settings, emulator) as base:
        owner = {"X-Telegram-Init-Data": launch_data(42)}
        requests = [("GET", "/desk/", {}), ("GET", "/desk", {}), ("GET", "/desk/desk.js", {}),
                    ("GET", "/desk/api/snippets", owner), ("GET", "/desk/api/snippets", {}),
                    ("GET", "/desk/nothing-here", {}), ("GET", "/nothing-here", {}), ("POST", "/desk/", {})]
        if mode == "webhook":
            requests += [("GET", HEALTH_PATH, {}), ("POST", "/tg/hook", {}), ("POST", "/tg/hook", {SECRET_HEADER: SECRET})]
        async with aiohttp.ClientSession() as http:
            for method, path, headers in requests:
                async with http.request(method, base + path, headers=headers, allow_redirects=False) as response:
                    server = response.headers.get("Server", "")
                    assert "aiohttp" not in server and "Python" not in server, (path, server)


async def test_refused_requests_are_logged_once_a_minute_per_kind(settings, emulator, caplog) -> None:
    async with webhook_with_desk(settings, emulator) as base:
        async with aiohttp.ClientSession() as http:
            with caplog.at_level(logging.DEBUG):
                for i in range(200):
                    kind = i % 5
                    if kind == 0:
                        request = http.get(base + "/desk/api/snippets", headers={"X-Telegram-Init-Data": NESTED_USER})
                    elif kind == 1:
                        request = http.get(base + "/desk/api/snippets", headers={"X-Telegram-Init-Data": launch_data(42, age=999_999)})
                    elif kind == 2:
                        request = http.post(base + "/tg/hook", data=b"[" * 20_000, headers={SECRET_HEADER: SECRET})
                    elif kind == 3:
                        request = http.post(base + "/tg/hook", data=b"{}", headers={SECRET_HEADER: "wrong"})
                    else:  # a header aiohttp itself refuses (over 8 KB)
                        request = http.get(base + "/desk/api/snippets", headers={"X-Telegram-Init-Data": "x" * 9_000})
                    async with request as response:
                        assert 400 <= response.status < 500
    lines = [r for r in caplog.records if r.name.startswith(("bot.", "aiohttp"))]
    assert len(lines) <= 8, [r.getMessage() for r in lines]
    assert sum(len(r.getMessage()) + len(r.exc_text or "") for r in lines) < 4_000
    assert not [r for r in lines if r.exc_info]
    logged = " ".join(r.getMessage() for r in lines)
    for kind in ("launch data refused, signature does not match", "launch data refused, launch data too old",
                 "webhook body not an update", "webhook without the secret"):
        assert logged.count(kind) == 1, logged
    # aiohttp's own refusal, rate-limited process-wide (an earlier test may have had its line)
    assert logged.count("malformed request: LineTooLong") <= 1, logged


async def test_changes_need_launch_data_at_most_an_hour_old_reads_keep_the_full_age(services) -> None:
    from aiohttp import test_utils

    from bot.desk.api import DeskApi, desk_app

    api = DeskApi(services.desk, TEST_TOKEN, max_age=86_400)
    live = (await services.content.published_snippets("economy"))[0]
    drafts = await services.editorial.drafts(10)
    draft = drafts[0] if drafts else None
    before = await services.content.content_version()
    async with test_utils.TestClient(test_utils.TestServer(desk_app(api))) as client:
        day_old = {"X-Telegram-Init-Data": launch_data(42, age=2 * 3600)}
        listing = await client.get("/api/snippets", headers=day_old)
        assert listing.status == 200 and (await listing.json())["snippets"]  # reading keeps the day
        sheet = await client.get(f"/api/snippets/{live.id}", headers=day_old)
        assert sheet.status == 200
        writes = [(f"/api/snippets/{live.id}/text", {"title": "Новый заголовок", "summary": "Новый текст."}),
                  (f"/api/snippets/{live.id}/figures/1/remove", {}), (f"/api/snippets/{live.id}/retire", {}),
                  ("/api/confirm", {"token": "x" * 20, "apply": True})]
        if draft is not None:
            writes.append((f"/api/snippets/{draft.id}/publish", {}))
        for path, body in writes:
            response = await client.post(path, headers=day_old, json=body)
            answer = await response.json()
            assert response.status == 401 and "over an hour ago" in answer["error"], (path, answer)
        # the same editor, the desk opened a minute ago: the change goes through
        fresh = {"X-Telegram-Init-Data": launch_data(42, age=60)}
        held = await client.post(f"/api/snippets/{live.id}/figures/1/remove", headers=fresh, json={})
        assert held.status == 200 and (await held.json())["token"]
    assert await services.content.content_version() == before
