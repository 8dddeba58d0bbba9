"""Fetching a page or a feed with limits, every address checked before any connection.

    fetcher = Fetcher(allow_private=False)
    page = await fetcher.fetch("https://example.org/news/1", accept=PAGE_TYPES)

- the host is resolved by `CheckedResolver`, which refuses the whole name when any of its
  addresses is loopback, private, link-local, multicast, reserved or unspecified, and hands
  aiohttp only the addresses it checked: the connection goes to a checked address (no second
  lookup between the check and the connect); an IP-address host is checked the same way;
- redirects are followed by hand, at most `max_redirects`, each new URL checked again;
- the body is streamed and cut off at `max_bytes` (after decompression; a declared length
  over it is refused before reading), with a total timeout; no proxy from the environment;
- only the content types asked for are taken.
Every refusal is a `LinkError` whose key names the problem for the editor.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from bot.services.web.addresses import LinkError, check_address, ip_literal, parse_url

MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
TIMEOUT = 20.0  # seconds for one request, connect and body included
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json", "text/plain", "text/html")  # fmt: skip
USER_AGENT = "BriefingBot/1.0 (+reads pages its editors send)"
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 65_536


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    status: int  # 200, or 304 for a conditional request whose answer is "unchanged"
    content_type: str = ""
    charset: str | None = None  # as the server declared it
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


class CheckedResolver(AbstractResolver):
    """The system's resolver, with every address checked before aiohttp may connect to it."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = ThreadedResolver()
        self._allow_private = allow_private

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        try:
            found = await self._inner.resolve(host, port, family)
        except OSError as exc:
            raise LinkError("link_no_host", transient=True, host=host) from exc
        if not self._allow_private:
            for entry in found:
                address = ip_literal(entry["host"])
                if address is None:
                    raise LinkError("link_no_host", host=host)
                check_address(address, host)
        return found

    async def close(self) -> None:
        await self._inner.close()


class Fetcher:
    def __init__(
        self, *, allow_private: bool = False, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
        max_redirects: int = MAX_REDIRECTS,
    ) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects

    async def fetch(
        self, url: str, *, accept: tuple[str, ...] = PAGE_TYPES, etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """The body at `url` (following checked redirects), or LinkError naming the problem.
        With `etag`/`last_modified` the request is conditional and may answer status 304."""
        headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        connector = aiohttp.TCPConnector(resolver=CheckedResolver(self.allow_private), use_dns_cache=False, limit=4)
        timeout = aiohttp.ClientTimeout(total=self.timeout, connect=min(self.timeout, 10.0))
        try:
            async with aiohttp.ClientSession(connector=connector, timeout=timeout, trust_env=False) as session:
                return await self._follow(session, url, headers, accept)
        except LinkError:
            raise
        except (asyncio.TimeoutError, TimeoutError):
            raise LinkError("link_timeout", transient=True, seconds=round(self.timeout)) from None
        except aiohttp.InvalidURL:
            raise LinkError("link_bad_url") from None
        except (aiohttp.ClientError, OSError) as exc:
            raise LinkError("link_unreachable", transient=True, error=type(exc).__name__) from None

    async def _follow(self, session: aiohttp.ClientSession, url: str, headers: dict, accept: tuple[str, ...]) -> Fetched:
        current = url
        for _hop in range(self.max_redirects + 1):
            target = parse_url(current)
            if target.literal is not None and not self.allow_private:
                check_address(target.literal, target.host)  # aiohttp does not resolve an address
            async with session.get(current, headers=headers, allow_redirects=False) as response:
                if response.status in REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise LinkError("link_status", status=response.status)
                    current = urljoin(current, location)
                    continue
                if response.status == 304 and ("If-None-Match" in headers or "If-Modified-Since" in headers):
                    return Fetched(current, 304, etag=response.headers.get("ETag"),
                                   last_modified=response.headers.get("Last-Modified"))
                if response.status != 200:
                    raise LinkError("link_status", transient=response.status >= 500 or response.status in (408, 429),
                                    status=response.status)
                content_type = response.content_type.lower()
                if content_type not in accept:
                    raise LinkError("link_type", type=content_type or "—")
                return Fetched(
                    current, 200, content_type, response.charset, await self._body(response),
                    etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
                )
        raise LinkError("link_redirects", count=self.max_redirects)

    async def _body(self, response: aiohttp.ClientResponse) -> bytes:
        limit = self.max_bytes
        declared: Any = response.content_length
        if declared is not None and declared > limit:
            raise LinkError("link_too_big", limit=limit // 1_000_000)
        body = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK):
            body += chunk
            if len(body) > limit:
                raise LinkError("link_too_big", limit=limit // 1_000_000)
        return bytes(body)
