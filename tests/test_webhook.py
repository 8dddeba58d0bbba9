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
from bot.telegram.webhook import HEALTH_PATH, SECRET_HEADER, serve_webhook
from tests.conftest import TEST_TOKEN


@asynccontextmanager
async def webhook_bot(settings, emulator, secret: str, url: str, **extra) -> AsyncIterator[str]:
    """The bot served in webhook mode on a free local port; yields its base URL."""
    port = _port()
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
