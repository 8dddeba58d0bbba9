"""Webhook mode: Telegram POSTs updates to us; an aiohttp server takes them.

The server listens on PORT at the path of WEBHOOK_URL (behind a proxy the public URL and the
local port differ), refuses any request without the right secret header with 403 before
reading it, and answers GET /healthz for the platform. A body is read with a cap and parsed with
bounded nesting (`bot/web.py`): anything else is a short 400 or 413, logged once a minute by kind. An update is acknowledged (200) only
once it is in the Application's queue; on shutdown the server stops accepting first, and the
Application then works through everything already acknowledged.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.telegram.startup import on_startup, on_stopping, stop_application
from bot.config import HEALTH_PATH, Settings
from bot.telegram.limits.flood_filter import sender_id
from bot.web import RefusalLog, TooLarge, harden, loads, read_capped

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000


class WebhookRefused(Exception):
    """The Bot API would not register WEBHOOK_URL; the message says why, in one line."""


def webhook_app(application: Application, secret: str, path: str) -> web.Application:
    refusals = RefusalLog(log)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        # a header that is not even text (bytes that are not UTF-8) is as wrong as a wrong one
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode()):
            refusals.refused("webhook without the secret (403)")
            return web.Response(status=403, text="forbidden")
        try:
            payload = loads(await read_capped(request, MAX_UPDATE_BYTES))
            if not isinstance(payload, dict):
                raise ValueError("not an object")
            if _from_silenced_user(payload):
                return web.Response(text="ok")  # acknowledged and left out, as in polling
            update = Update.de_json(payload, application.bot)
        except TooLarge:
            refusals.refused("webhook body too large (413)")
            return web.Response(status=413, text="too large")
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            refusals.refused("webhook body not an update (400)")
            return web.Response(status=400, text="not an update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    def _from_silenced_user(payload: dict) -> bool:
        """A user already told to slow down: drop the update before parsing it (see
        `bot/telegram/limits/flood_filter.py`, which does the same for getUpdates)."""
        throttle = application.bot_data.throttle
        if not throttle.anyone_silenced:
            return False
        user_id = sender_id(payload)
        return user_id is not None and throttle.is_silenced(user_id, time.monotonic())

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok" if application.running else "starting",
                            status=200 if application.running else 503)

    app = harden(web.Application(client_max_size=MAX_UPDATE_BYTES))
    app.router.add_post(path, receive)
    app.router.add_get(HEALTH_PATH, health)
    return app


async def serve_webhook(
    application: Application, settings: Settings, stop: asyncio.Event,
    ready: Callable[[], object] | None = None, mount: Callable[[web.Application], None] | None = None,
) -> None:
    """Start the Application and the server, register the webhook, run until `stop`.
    `mount` adds more routes (the editor's desk) to the same server."""
    secret = settings.webhook_secret.get_secret_value()
    path = urlsplit(settings.webhook_url).path or "/"
    app = webhook_app(application, secret, path)
    if mount is not None:
        mount(app)
    runner = web.AppRunner(app, access_log=None)
    async with application:
        await on_startup(application)
        await application.start()
        await runner.setup()
        site = web.TCPSite(runner, settings.webhook_listen, settings.port)
        await site.start()
        try:
            try:
                await application.bot.set_webhook(
                    settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
                )
            except BadRequest as exc:  # e.g. plain http:// to a Bot API server not run with --local
                raise WebhookRefused(f"the Bot API refused WEBHOOK_URL {settings.webhook_url}: {exc.message}") from None
            log.info("webhook on port %s, path %s", settings.port, path)
            if ready is not None:
                ready()
            await stop.wait()
        finally:
            await runner.cleanup()  # stop taking updates before the Application stops
            await on_stopping(application)
            await stop_application(application)
