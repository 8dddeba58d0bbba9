"""Web servers the tests start on 127.0.0.1: pages and feeds for the bot's links and feeds,
with every request they receive recorded (tests assert what the bot did, and did not, ask)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


@dataclass
class LocalSite:
    routes: dict[str, Handler] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits_to(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def page(self, path: str, body: str | bytes, content_type: str = "text/html", charset: str | None = "utf-8",
             headers: dict[str, str] | None = None) -> None:
        async def handler(_request: web.Request) -> web.Response:
            data = body.encode(charset or "utf-8") if isinstance(body, str) else body
            kind = f"{content_type}; charset={charset}" if charset else content_type
            return web.Response(body=data, headers={"Content-Type": kind, **(headers or {})})

        self.routes[path] = handler

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.hits.append(Hit(request.path, dict(request.headers)))
        handler = self.routes.get(request.path)
        if handler is None:
            raise web.HTTPNotFound()
        return await handler(request)

    async def __aenter__(self) -> LocalSite:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
