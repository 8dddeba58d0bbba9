"""The feed poller as a background task beside the sender and the corrector: polls the feeds
that are due (`services/feeds.py` does the work) and sends the editors one message per poll
naming the new drafts, with buttons to preview and publish them.

It sleeps until the next feed or item is due (at most TICK_SECONDS), or until a feed is
added. Reading pages runs in worker threads and one item at a time, so a poll of many items
leaves the event loop and the other core to readers' answers (bench/bench_feeds.py). At
shutdown the task is cancelled: what was committed stays, an item cut off mid-way is 'new'
and is read again after the restart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.presentation.editorial import render_feed_news
from bot.presentation.html import split_html
from bot.services.feeds import Feeds
from bot.telegram.sending.outgoing import send_html

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0  # the longest sleep: a feed's next poll is never missed by more
RETRY_SECONDS = 30.0  # after an unexpected failure of a whole round


class FeedWatch:
    def __init__(self, bot: Bot, feeds: Feeds, leading: Callable[[], Awaitable[bool]] | None = None) -> None:
        self.bot = bot
        self.feeds = feeds
        # replicas (PostgreSQL): only the leader polls; another takes over when it dies
        self.leading = leading
        self._task: asyncio.Task | None = None
        self.rounds = 0  # completed rounds (tests wait for them)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="feed-watch")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            try:
                if self.leading is None or await self.leading():
                    await self.round()
                    delay = await self._until_due()
                else:
                    delay = TICK_SECONDS
            except asyncio.CancelledError:
                raise
            except Exception:  # a database fault, a bug: logged, and tried again later
                log.exception("feed poll failed; trying again in %g s", RETRY_SECONDS)
                delay = RETRY_SECONDS
            self.rounds += 1
            self.feeds.added.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.feeds.added.wait(), timeout=delay)

    async def _until_due(self) -> float:
        due = await self.feeds.next_due()
        if due is None:
            return TICK_SECONDS
        return min(TICK_SECONDS, max(0.05, due - self.feeds.clock()))

    async def round(self) -> None:
        """One poll, then one message to each editor about the drafts it made (and any made
        before a restart that nobody was told of)."""
        await self.feeds.poll()
        news = await self.feeds.news()
        if not news:
            return
        told = False
        editors = await self.feeds.editors()
        for user_id, lang in editors:
            text, keyboard = render_feed_news(news, lang)
            parts = split_html(text)
            try:
                for index, part in enumerate(parts):
                    await send_html(self.bot, user_id, part, keyboard if index == len(parts) - 1 else None)
                told = True
            except TelegramError as exc:  # an editor who never opened the chat, or blocked the bot
                log.warning("could not tell editor %s of new feed drafts: %s", user_id, exc)
        if told or not editors:
            await self.feeds.announced(news)
