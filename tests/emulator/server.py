"""HTTP face of the emulator: ``/bot<token>/<method>`` in, Telegram's JSON envelope out, and
file downloads from ``/file/bot<token>/<file_path>``.

This layer owns everything that is about the protocol rather than a method: token check
(401 for a well-formed wrong token, 404 for a malformed one), case-insensitive method lookup
(404 for names the Bot API does not have, 400 "emulator does not implement" for real methods
without a handler), parameter decoding, fault injection, and recording every call - including
whether the client had already hung up, so a cancelled long poll is not mistaken for an error.

A download answers the bytes (200, application/octet-stream) of a ``file_path`` that getFile
gave out; anything else - an unknown path, or any wrong token - is 404 ``Not Found`` in the
usual JSON envelope, as api.telegram.org answers for a path it does not serve. Downloads are
not API calls: they do not appear in ``calls``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import time
import traceback
from typing import Any

from aiohttp import web

from . import (
    files, methods_bot, methods_chats, methods_inline, methods_messages, methods_updates,
)  # fmt: skip
from .errors import ApiError, not_implemented
from .methods_updates import PollSuperseded
from .models import ApiCall, Reply
from .params import MAX_UPLOAD_BYTES, decode, read_raw
from .spec import CANONICAL
from .state import World

log = logging.getLogger(__name__)

HANDLERS = {
    **methods_updates.HANDLERS, **methods_messages.HANDLERS, **methods_bot.HANDLERS,
    **methods_inline.HANDLERS, **methods_chats.HANDLERS, **files.HANDLERS,
}
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
#: Room for the other fields of a request that uploads a file of the maximum size.
FORM_OVERHEAD_BYTES = 1024 * 1024
#: How long a superseded long poll waits to see whether its client has already gone.
SUPERSEDED_GRACE = 0.25


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


class ApiServer:
    def __init__(self, world: World, token: str) -> None:
        self.world = world
        self.token = token

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self.handle_api)
        app.router.add_get("/file/bot{token}/{path:.*}", self.handle_file)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self.handle_not_found)
        app.router.add_route("*", "/{tail:.*}", self.handle_not_found)
        return app

    async def handle_not_found(self, request: web.Request) -> web.Response:
        return self._respond(ApiError(404, "Not Found").payload(), 404)

    async def handle_file(self, request: web.Request) -> web.Response:
        data = None
        if request.match_info["token"] == self.token:
            data = files.download(self.world, request.match_info["path"])
        if data is None:
            return await self.handle_not_found(request)
        return web.Response(body=data, content_type="application/octet-stream")

    async def handle_api(self, request: web.Request) -> web.Response:
        started = time.monotonic()
        token, name = request.match_info["token"], request.match_info["method"]
        method = CANONICAL.get(name.lower())
        call = ApiCall(method=method or name, params={}, time=time.time())
        self.world.record(call)
        try:
            result = await self._dispatch(request, call, token, method)
        except ApiError as error:
            if isinstance(error, PollSuperseded):
                await self._grace(request)
            body, status = error.payload(), error.error_code
            call.ok, call.error_code, call.description = False, error.error_code, error.description
            call.parameters = error.parameters
        except asyncio.CancelledError:  # the client disconnected (handler_cancellation)
            call.ok, call.abandoned, call.description = False, True, "client disconnected"
            call.duration = time.monotonic() - started
            raise
        except Exception as exc:  # an emulator bug: make it loud, never a silent 200
            log.exception("emulator failed on %s", call.method)
            description = f"Internal Server Error: emulator bug in {call.method}: {exc!r}"
            body, status = {"ok": False, "error_code": 500, "description": description}, 500
            call.ok, call.error_code, call.description = False, 500, description
            call.result = traceback.format_exc()
        else:
            body, status = {"ok": True, "result": result.result}, 200
            if result.description:
                body["description"] = result.description
            call.ok, call.result = True, result.result
        call.duration = time.monotonic() - started
        if _client_gone(request):
            call.abandoned = True
        self.world.signal.notify()
        if call.method == "getUpdates" and call.ok and not result.description:
            return web.Response(body=self.world.updates_body(call.result), content_type="application/json", charset="utf-8")
        return self._respond(body, status)

    async def _dispatch(
        self, request: web.Request, call: ApiCall, token: str, method: str | None
    ) -> Reply:
        if token != self.token:
            raise (
                ApiError(401, "Unauthorized")
                if _TOKEN_RE.match(token)
                else ApiError(404, "Not Found")
            )
        if self.world.logged_out:
            raise ApiError(401, "Unauthorized")
        if method is None:
            raise ApiError(404, "Not Found")
        raw = await read_raw(request)
        call.params = raw
        fault = self.world.take_fault(method)
        if fault is not None:
            call.injected = True
            raise fault
        params = decode(method, raw)
        call.params = params
        handler = HANDLERS.get(method)
        if handler is None:
            raise not_implemented(method)
        result: Any = handler(self.world, params)
        if inspect.isawaitable(result):
            result = await result
        return result if isinstance(result, Reply) else Reply(result)

    async def _grace(self, request: web.Request) -> None:
        deadline = time.monotonic() + SUPERSEDED_GRACE
        while not _client_gone(request) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

    @staticmethod
    def _respond(body: dict[str, Any], status: int) -> web.Response:
        return web.json_response(body, status=status)
