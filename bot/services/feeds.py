"""Feeds the editors follow: `/feed add|list|remove`, and the poll that turns every new item
into drafts exactly once.

A poll takes the feeds that are due (each every FEED_POLL_SECONDS; a failing one backs off,
twice as long after each failure, up to a day), asks each with If-None-Match /
If-Modified-Since, records the entries it has not seen (by guid, else link) in one
transaction, and then reads each new item as a link, like an editor's: the page fetched with
every address checked, read with its own metadata, made into drafts. The item is marked
'drafted' in the transaction that creates its drafts, so a crash or restart at any point makes
no item's drafts twice; an item whose page fails for a passing reason (a timeout, a 503) is
tried again later, up to MAX_ITEM_ATTEMPTS. Nothing is published: the editors are told of the
new drafts (by `bot/telegram/feeds.py`) and publish what they choose.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.domain.actors import Actor
from bot.domain.feeds import FeedDrafts, FeedItem
from bot.domain.validation import ContentError
from bot.presentation.editorial import render_feeds, render_link_refusal
from bot.presentation.reply import Reply
from bot.presentation.texts import t
from bot.services.importing import ContentIntake
from bot.services.web.addresses import LinkError, parse_url
from bot.services.web.feeds import parse_feed
from bot.services.web.fetch import FEED_TYPES, Fetcher
from bot.services.web.pages import fetch_page
from bot.storage.feeds import FeedRepository

log = logging.getLogger(__name__)

MAX_ITEMS_PER_POLL = 50  # a feed's first poll takes its newest 50 entries; older ones are skipped
MAX_ITEM_ATTEMPTS = 3
MAX_BACKOFF = 86_400.0


def _error(exc: BaseException) -> dict:
    if isinstance(exc, LinkError):
        return {"key": exc.key, "values": {k: str(v) for k, v in exc.values.items()}}
    if isinstance(exc, ContentError):
        return {"key": "feed_item_unreadable", "values": {"error": str(exc)[:300]}}
    return {"key": "link_unreachable", "values": {"error": type(exc).__name__}}


class Feeds:
    def __init__(
        self, repository: FeedRepository, fetcher: Fetcher, intake: ContentIntake, owners: frozenset[int],
        poll_seconds: float, clock: Callable[[], float] = time.time,
    ) -> None:
        self.repository = repository
        self.fetcher = fetcher
        self.intake = intake
        self.owners = owners
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.added = asyncio.Event()  # a feed was added: poll it now rather than at the next tick

    def backoff(self, failures: int) -> float:
        """Seconds before the next try after `failures` failures in a row."""
        return min(self.poll_seconds * 2 ** min(failures, 30), max(MAX_BACKOFF, self.poll_seconds))

    # --- the editors' commands ----------------------------------------------------------------

    async def add(self, actor: Actor, lang: str, url: str) -> list[Reply]:
        """Check the address and that it is a feed (one request), then follow it."""
        try:
            parse_url(url)
            fetched = await self.fetcher.fetch(url, accept=FEED_TYPES)
            parsed = await asyncio.to_thread(parse_feed, fetched)
        except LinkError as exc:
            return [Reply.of(render_link_refusal(exc.key, exc.values, lang, heading="feed_refused"))]
        feed_id, new = await self.repository.add(url, parsed.title or url, actor.id, self.clock())
        if not new:
            return [Reply.of(t(lang, "feed_exists", id=feed_id))]
        self.added.set()
        return [Reply.of(t(lang, "feed_added", id=feed_id, title=parsed.title or url, count=len(parsed.entries),
                           minutes=f"{self.poll_seconds / 60:g}"))]

    async def list(self, lang: str) -> list[Reply]:
        return [Reply.of(render_feeds(await self.repository.all(), lang))]

    async def remove(self, lang: str, feed_id: int) -> list[Reply]:
        if not await self.repository.remove(feed_id):
            return [Reply.of(t(lang, "feed_not_found", id=feed_id))]
        return [Reply.of(t(lang, "feed_removed", id=feed_id))]

    # --- the poll -------------------------------------------------------------------------------

    async def next_due(self) -> float | None:
        return await self.repository.next_due()

    async def poll(self) -> int:
        """Poll the feeds that are due, then make drafts of the items waiting; returns how many
        items became drafts."""
        for feed in await self.repository.due(self.clock()):
            await self._poll_feed(feed)
        drafted = 0
        for item in await self.repository.open_items(self.clock(), MAX_ITEMS_PER_POLL):
            drafted += await self._draft(item)
        return drafted

    async def _poll_feed(self, feed) -> None:
        now = self.clock()
        try:
            fetched = await self.fetcher.fetch(feed.url, accept=FEED_TYPES, etag=feed.etag,
                                               last_modified=feed.last_modified)
            if fetched.status == 304:
                await self.repository.polled(feed.id, now=now, next_poll=now + self.poll_seconds, unchanged=True)
                return
            parsed = await asyncio.to_thread(parse_feed, fetched)
        except Exception as exc:  # a refusal, a network fault, a page that is no feed: back off
            if not isinstance(exc, LinkError):
                log.warning("feed %d could not be read: %s", feed.id, exc)
            await self.repository.failed(feed.id, _error(exc), now, now + self.backoff(feed.failures + 1))
            return
        entries = [entry for entry in parsed.entries if entry[1].lower().startswith(("http://", "https://"))]
        new = await self.repository.polled(
            feed.id, now=now, next_poll=now + self.poll_seconds, title=parsed.title, etag=fetched.etag,
            last_modified=fetched.last_modified, items=entries[:MAX_ITEMS_PER_POLL],
            skipped=entries[MAX_ITEMS_PER_POLL:])
        if new:
            log.info("feed %d: %d new items", feed.id, new)

    async def _draft(self, item: FeedItem) -> int:
        """One item as a link: its page read and made into drafts, the item marked in the
        same transaction. 1 when drafts were made."""
        actor = Actor(None, f"feed {item.feed_id}", "feed")
        try:
            page = await fetch_page(self.fetcher, item.link)
            upload = await self.intake.read(page.text.encode(), page.name, expect="article", metadata=page.metadata)
            source = upload.item.content.source

            async def mark() -> None:
                await self.repository.mark_drafted(item, source.id, source.title)

            await self.intake.apply(upload, actor, also=mark)
        except Exception as exc:
            transient = isinstance(exc, LinkError) and exc.transient or not isinstance(exc, (LinkError, ContentError))
            give_up = not transient or item.attempts + 1 >= MAX_ITEM_ATTEMPTS
            if not isinstance(exc, (LinkError, ContentError)):
                log.warning("feed item %s could not be made into drafts: %r", item.link, exc)
            await self.repository.item_failed(item, _error(exc), give_up=give_up,
                                              next_try=self.clock() + self.backoff(item.attempts + 1))
            return 0
        return 1

    # --- telling the editors --------------------------------------------------------------------

    async def news(self) -> list[FeedDrafts]:
        """Items made into drafts that the editors have not been told of yet."""
        return await self.repository.unannounced()

    async def announced(self, items: list[FeedDrafts]) -> None:
        await self.repository.announced(items)

    async def editors(self) -> list[tuple[int, str]]:
        return await self.repository.editors(self.owners)
