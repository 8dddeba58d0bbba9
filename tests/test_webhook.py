"""Webhook mode: right secret in, wrong or missing secret refused (403), health check."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from bot.app import build_application
from bot.config import ConfigError, load_settings
from bot.app import open_services
from bot.telegram.webhook import HEALTH_PATH, SECRET_HEADER, WebhookRefused, serve_webhook
from tests.conftest import ROOT, TEST_TOKEN


@asynccontextmanager
async def webhook_bot(settings, emulator, secret: str, url: str, **extra) -> AsyncIterator[str]:
    """The bot served in webhook mode on a free local port; yields its base URL. `url` may
    name that port as `{port}` (a webhook on localhost, behind a local Bot API server)."""
    port = _port()
    url = url.format(port=port)
    settings = settings.model_copy(update={
        "telegram_base_url": emulator.base_url, "mode": "webhook", "port": port,
        "webhook_url": url, "webhook_listen": "127.0.0.1",
        "webhook_secret": load_settings(_env_file=None, webhook_secret=secret).webhook_secret, **extra,
    })
    services = await open_services(settings)
    application = build_application(services, TEST_TOKEN)
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve_webhook(application, settings, stop, ready=ready.set))
    try:
        await asyncio.wait_for(ready.wait(), 10)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await services.close()


def _port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_takes_updates_only_with_the_secret(settings, emulator) -> None:
    user = emulator.make_user(user_id=3001, first_name="W", language_code="ru")
    async with webhook_bot(settings, emulator, "s3cret-Token_1", "https://bot.example.org/tg/hook") as base:
        (registered,) = emulator.calls_to("setWebhook")
        assert registered.params["url"] == "https://bot.example.org/tg/hook"
        assert registered.params["secret_token"] == "s3cret-Token_1"
        # The emulator makes the update (and so knows the user opened the chat); the test then
        # delivers it the way Telegram does in webhook mode.
        update = emulator.send_text(user, "/energy")
        async with aiohttp.ClientSession() as http:
            async with http.get(base + HEALTH_PATH) as response:
                assert response.status == 200
            for headers in ({}, {SECRET_HEADER: "wrong"}):
                async with http.post(base + "/tg/hook", json=update, headers=headers) as response:
                    assert response.status == 403
            async with http.post(base + "/tg/hook", data=b"{not json", headers={SECRET_HEADER: "s3cret-Token_1"}) as response:
                assert response.status == 400
            async with http.post(base + "/tg/hook", json=update,
                                 headers={SECRET_HEADER: "s3cret-Token_1"}) as response:
                assert response.status == 200
        (reply,) = await emulator.wait_for_messages(user["id"], count=1)
        assert reply["text"].startswith("⚡ Энергетика")
        assert len(emulator.messages_in(user["id"])) == 1  # the refused ones were not processed
    assert not emulator.errors


@pytest.mark.parametrize("env", [
    {"mode": "webhook", "webhook_url": "https://x.org/hook"},
    {"mode": "webhook", "webhook_secret": "abc"},
    {"mode": "webhook", "webhook_url": "http://x.org/hook", "webhook_secret": "abc"},
    {"mode": "webhook", "webhook_url": "https://x.org/hook", "webhook_secret": "bad secret!"},
])
def test_webhook_mode_requires_https_url_and_secret(env) -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_"):
        load_settings(_env_file=None, **env)


async def test_webhook_flood_is_limited_and_others_are_still_answered(settings, emulator) -> None:
    flooder = emulator.make_user(user_id=3101, first_name="F", language_code="ru")
    other = emulator.make_user(user_id=3102, first_name="O", language_code="ru")
    headers = {SECRET_HEADER: "flood-secret"}
    async with webhook_bot(settings, emulator, "flood-secret", "https://bot.example.org/hook",
                           rate_limit_requests=5) as base:
        flood = [emulator.send_text(flooder, "/energy") for _ in range(60)]
        async with aiohttp.ClientSession() as http:
            for update in flood:  # every one is acknowledged, as Telegram needs
                async with http.post(f"{base}/hook", json=update, headers=headers) as response:
                    assert response.status == 200
            question = emulator.send_text(other, "/logistics")
            async with http.post(f"{base}/hook", json=question, headers=headers) as response:
                assert response.status == 200
        (answer,) = await emulator.wait_for_messages(other["id"], count=1)
        assert "Логистика" in answer["text"]
        await asyncio.sleep(0.3)
        # five answers, one "slow down", then silence: the rest were dropped unparsed
        assert len(emulator.messages_in(flooder["id"])) <= 6


async def test_a_secret_header_that_is_not_text_gets_403_not_500(settings, emulator) -> None:
    async with webhook_bot(settings, emulator, "s3cret", "https://bot.example/hook") as base:
        port = int(base.rsplit(":", 1)[1])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = b'{"update_id": 1}'
        writer.write(b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Telegram-Bot-Api-Secret-Token: \xff\xfe\xfd\r\n"
                     b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 5)
        writer.close()
        assert status_line.split()[1] == b"403", status_line


@pytest.fixture
async def local_server():
    """A Bot API emulator acting as `telegram-bot-api --local`: plain-HTTP local webhooks."""
    from tests.emulator import BotApiEmulator

    async with BotApiEmulator(token=TEST_TOKEN, bot_username="briefing_test_bot", local_server=True) as emu:
        yield emu


@pytest.mark.parametrize(("env", "message"), [
    ({"webhook_url": "http://bot.example.org/hook"}, "Telegram's own API"),
    ({"webhook_url": "https://127.0.0.1:8443/hook"}, "cannot reach the local address 127.0.0.1"),
    ({"webhook_url": "https://localhost/hook"}, "cannot reach the local address localhost"),
    ({"webhook_url": "http://127.0.0.1:8081/webhook"}, "posts only to HTTPS"),
    ({"webhook_url": "https://bot.example.org/healthz"}, "must not be /healthz"),
    ({"webhook_url": "bot.example.org/hook"}, "WEBHOOK_URL is required"),
])
def test_against_telegrams_own_api_the_webhook_must_be_public_https(env, message) -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_URL") as raised:
        load_settings(_env_file=None, mode="webhook", webhook_secret="abc", **env)
    assert message in str(raised.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8081/webhook", "http://localhost:9000/", "https://10.0.0.5/hook"])
def test_behind_a_local_bot_api_server_plain_http_and_local_addresses_are_accepted(url) -> None:
    settings = load_settings(_env_file=None, mode="webhook", webhook_secret="abc", webhook_url=url,
                             telegram_base_url="http://127.0.0.1:8081/bot")
    assert settings.webhook_url == url


async def test_a_plain_http_webhook_behind_a_local_server_serves_and_answers(settings, local_server) -> None:
    user = local_server.make_user(user_id=3201, first_name="L", language_code="ru")
    async with webhook_bot(settings, local_server, "local-secret", "http://127.0.0.1:{port}/webhook") as base:
        (registered,) = local_server.calls_to("setWebhook")
        assert registered.params["url"] == base + "/webhook"
        async with aiohttp.ClientSession() as http:
            async with http.get(base + HEALTH_PATH) as response:
                assert (response.status, await response.text()) == (200, "ok")
        # the local server posts the update to the URL the bot registered, with its secret
        assert await local_server.post_to_webhook(local_server.send_text(user, "/energy")) == 200
        (reply,) = await local_server.wait_for_messages(user["id"], count=1)
        assert reply["text"].startswith("⚡ Энергетика")
    assert not local_server.errors


async def test_a_bot_api_that_refuses_the_webhook_stops_with_its_reason(settings, emulator) -> None:
    # TELEGRAM_BASE_URL is not api.telegram.org, so the settings allow http://; this server,
    # like telegram-bot-api without --local, refuses it: the bot says so instead of a traceback
    settings = settings.model_copy(update={
        "telegram_base_url": emulator.base_url, "mode": "webhook", "port": _port(),
        "webhook_url": "http://127.0.0.1:8081/webhook", "webhook_listen": "127.0.0.1",
        "webhook_secret": load_settings(_env_file=None, webhook_secret="s").webhook_secret,
    })
    services = await open_services(settings)
    try:
        application = build_application(services, TEST_TOKEN)
        with pytest.raises(WebhookRefused, match="(?i)refused WEBHOOK_URL http://127.0.0.1:8081/webhook: .*https url"):
            await asyncio.wait_for(serve_webhook(application, settings, asyncio.Event()), 10)
    finally:
        await services.close()
    assert not application.running


async def test_python_m_bot_in_webhook_mode_behind_a_local_server_serves_healthz(tmp_path, local_server,
                                                                               database_url) -> None:
    import os
    import signal
    import sys

    port = _port()
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "BOT_TOKEN": TEST_TOKEN,
           "TELEGRAM_BASE_URL": local_server.base_url, "MODE": "webhook", "PORT": str(port),
           "WEBHOOK_URL": f"http://127.0.0.1:{port}/webhook", "WEBHOOK_SECRET": "sub-process",
           "WEBHOOK_LISTEN": "127.0.0.1", "SEEDS_DIR": str(ROOT / "seeds"),
           "TOPICS_FILE": str(ROOT / "config/topics.yaml"), "DATABASE_PATH": str(tmp_path / "bot.db"),
           "DATABASE_URL": database_url or ""}  # the PostgreSQL pass: the test's own schema
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=env, cwd=tmp_path, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        status = await _health_once_serving(f"http://127.0.0.1:{port}{HEALTH_PATH}", process)
        assert status == 200
        user = local_server.make_user(user_id=3301, first_name="S", language_code="ru")
        assert await local_server.post_to_webhook(local_server.send_text(user, "/logistics")) == 200
        (reply,) = await local_server.wait_for_messages(user["id"], count=1)
        assert "Логистика" in reply["text"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()


async def _health_once_serving(url: str, process) -> int:
    """GET the health check until the server answers 200 (or the process ends); its last status."""
    status = 0
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            if process.returncode is not None:
                break
            try:
                async with http.get(url) as response:
                    status = response.status
                    if status == 200:
                        break
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    return status
