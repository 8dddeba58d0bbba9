"""Corrections reach readers: delivered copies of an edited or retired snippet are edited in place.

Where Telegram no longer lets the bot edit a message (deleted, too old, no rights), a short
correction is sent as a reply instead. Edits take pacing slots like any delivery, so a
correction wave cannot push the bot over Telegram's limits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.presentation import render
from bot.domain.catalogue import Catalogue
from bot.presentation.html import split_html
from bot.telegram.limits.pacing import PACED, ChatPacing
from bot.storage.content_repository import ContentRepository
from bot.domain.views import SnippetView
from bot.storage.corrections import Correction, CorrectionRepository
from bot.presentation.texts import t

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
IDLE_POLL = 2.0
NOT_EDITABLE = ("message can't be edited", "message to edit not found", "there is no text in the message")


class Corrector:
    def __init__(
        self, bot: Bot, corrections: CorrectionRepository, content: ContentRepository,
        catalogue: Catalogue, pacing: ChatPacing,
        leading: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        self.bot = bot
        self.corrections = corrections
        self.content = content
        self.catalogue = catalogue
        self.pacing = pacing
        self._leading = leading  # replicas: only the leader corrects (None: always)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="corrections")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while not self._stopping:
            # cleared before the pass, not after: a wake-up (a stop included) that comes
            # during the pass is not lost to a two-second sleep
            self._wake.clear()
            try:
                waiting = await self.run_once()
            except Exception:
                log.exception("correction pass failed")
                waiting = True
            if self._stopping:
                break
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=0.5 if waiting else IDLE_POLL)
            except TimeoutError:
                pass

    async def run_once(self) -> bool:
        """Work through the due corrections; True if some had to wait for their chat."""
        if self._leading is not None and not await self._leading():
            return False  # another replica leads and corrects
        due = await self.corrections.due()
        waiting = False
        views: dict[int, SnippetView | None] = {}  # a correction wave is one snippet, many chats
        for correction in due:
            if self._stopping:
                break
            if await self.pacing.take_now(correction.chat_id) > 0:
                waiting = True
                continue
            if correction.snippet_id not in views:
                found = await self.content.snippets_by_id([correction.snippet_id])
                views[correction.snippet_id] = found[0] if found else None
            await self._apply(correction, views[correction.snippet_id])
        return waiting

    def _text(self, correction: Correction, view: SnippetView | None) -> str:
        lang = correction.language
        if view is None or correction.action == "retire":
            return render.render_withdrawn(view.title if view else "", lang)
        topic = self.catalogue.by_slug(view.topic)
        return split_html(render.render_corrected(topic, view, lang, correction.alerts))[0]

    async def _apply(self, correction: Correction, view: SnippetView | None) -> None:
        text = self._text(correction, view)
        params: dict[str, Any] = {
            "chat_id": correction.chat_id, "message_id": correction.message_id, "text": text,
            "parse_mode": "HTML", "link_preview_options": {"is_disabled": True},
        }  # fmt: skip
        try:
            try:
                await self.bot.do_api_request("editMessageText", api_kwargs=params)
            except BadRequest as exc:
                message = exc.message.lower()
                if "not modified" in message:
                    pass
                elif any(marker in message for marker in NOT_EDITABLE):
                    await self._send_note(correction, view)
                else:
                    raise
        except RetryAfter as exc:
            self.pacing.block(correction.chat_id, exc.retry_after.total_seconds())
            await self._finish(correction, "pending", f"retry after {exc.retry_after}", delay=exc.retry_after.total_seconds())
        except (Forbidden, ChatMigrated) as exc:
            await self._finish(correction, "failed", exc.message)
        except BadRequest as exc:
            await self._finish(correction, "failed", exc.message)
        except (NetworkError, TelegramError) as exc:
            if correction.attempts + 1 >= MAX_ATTEMPTS:
                await self._finish(correction, "failed", exc.message)
            else:
                await self._finish(correction, "pending", exc.message, delay=2.0 ** (correction.attempts + 1), attempt=True)
        else:
            await self._finish(correction, "done", None)

    async def _send_note(self, correction: Correction, view: SnippetView | None) -> None:
        """The message cannot be edited any more: say so in a reply to it (in the slot
        `run_once` already took)."""
        lang = correction.language
        key = "correction_note_retired" if correction.action == "retire" or view is None else "correction_note_edited"
        topic = self.catalogue.by_slug(view.topic) if view else None
        text = t(lang, key, title=view.title if view else "", command=f"/{topic.command}" if topic else "/topics")
        await self.bot.do_api_request("sendMessage", api_kwargs={
            "chat_id": correction.chat_id, "text": text, "parse_mode": "HTML",
            "reply_parameters": {"message_id": correction.message_id, "allow_sending_without_reply": True},
        }, rate_limit_args=PACED)  # fmt: skip

    async def _finish(self, correction: Correction, status: str, error: str | None,
                      delay: float = 0.0, attempt: bool = False) -> None:
        await self.corrections.finish(correction, status, error, delay, attempt)
