"""Running the bot with long polling until asked to stop."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application

from bot.telegram.startup import on_startup, on_stopping, stop_application
from bot.config import Settings

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)
POLL_TIMEOUT = 30


async def serve_polling(
    application: Application, stop: asyncio.Event, ready: Callable[[], object] | None = None
) -> None:
    """Start the Application, poll until `stop` is set, then stop and shut down in order."""
    def on_poll_error(exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            # Telegram hands each update to one poller: two processes would each answer half
            # the users, and each deliver from its own outbox. Stop, and say why.
            log.error(
                "another process is receiving updates for this bot token (%s); stopping this one",
                exc.message,
            )
            stop.set()
        else:
            log.warning("getUpdates failed (%s); retrying", exc)

    async with application:
        await on_startup(application)
        await application.updater.start_polling(
            timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES, error_callback=on_poll_error
        )
        await application.start()
        log.info("polling as @%s", application.bot.username)
        if ready is not None:
            ready()
        try:
            await stop.wait()
        finally:
            await application.updater.stop()
            await on_stopping(application)
            await stop_application(application)


Mount = Callable[["web.Application"], None]  # puts more routes (the editor's desk) on a server


async def serve(
    application: Application, settings: Settings, stop: asyncio.Event,
    ready: Callable[[], object] | None = None, *, mount: Mount | None = None,
) -> None:
    """Run in the mode the settings ask for (MODE=polling or webhook) until `stop` is set.
    `mount` adds routes to the web server: the webhook's, or in polling mode a server of their
    own on PORT."""
    if settings.mode == "webhook":
        from bot.telegram.webhook import serve_webhook  # the web server is only needed in this mode

        await serve_webhook(application, settings, stop, ready=ready, mount=mount)
    elif mount is not None:
        await serve_polling_with_server(application, settings, stop, mount, ready=ready)
    else:
        await serve_polling(application, stop, ready=ready)


async def serve_polling_with_server(
    application: Application, settings: Settings, stop: asyncio.Event, mount: Mount,
    ready: Callable[[], object] | None = None,
) -> None:
    """Polling, with a web server on PORT for the mounted routes, open while the bot runs."""
    from aiohttp import web

    from bot.web import harden

    app = harden(web.Application())
    mount(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_listen, settings.port).start()
        log.info("web server on port %s", settings.port)
        await serve_polling(application, stop, ready=ready)
    finally:
        await runner.cleanup()


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
