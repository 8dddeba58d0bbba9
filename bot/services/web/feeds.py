"""RSS and Atom, read with feedparser (from the bytes the checked fetcher brought; feedparser
itself never fetches anything here)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from bot.services.web.addresses import LinkError
from bot.services.web.fetch import Fetched


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: tuple[tuple[str, str, str], ...]  # (key: the guid, else the link; link; title), in feed order


def parse_feed(fetched: Fetched) -> ParsedFeed:
    """The feed's entries; LinkError("link_not_a_feed") for anything that is not RSS or Atom.
    CPU work: call it off the event loop."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(fetched.body), response_headers={
        "content-type": fetched.content_type + (f"; charset={fetched.charset}" if fetched.charset else ""),
        "content-location": fetched.url,
    })
    if not parsed.get("version") and not parsed.entries:
        raise LinkError("link_not_a_feed")
    entries = []
    seen = set()
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        key = (entry.get("id") or link).strip()
        if not key or key in seen:
            continue
        seen.add(key)
        title = " ".join((entry.get("title") or link or key).split())
        entries.append((key[:1000], link[:2000], title[:300]))
    title = " ".join((parsed.feed.get("title") or "").split()) or None
    return ParsedFeed(title[:200] if title else None, tuple(entries))
