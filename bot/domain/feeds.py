"""Feeds the editors follow, and what the bot made of their items."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    title: str  # the feed's own title, or its URL until it has been read
    etag: str | None = None
    last_modified: str | None = None
    last_success: float | None = None  # epoch seconds
    last_error: str | None = None  # the last failure's message (cleared by a success)
    last_error_at: float | None = None
    failures: int = 0  # failed polls in a row
    next_poll: float = 0.0


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, known by its guid (else its link)."""

    feed_id: int
    key: str
    link: str
    title: str
    attempts: int = 0


@dataclass(frozen=True)
class FeedDrafts:
    """A feed item made into drafts, for the editors' notice."""

    feed_id: int
    key: str
    headline: str
    snippet_ids: tuple[int, ...]
