"""What a delivery looks like in the chat: the rendered parts, made once per content and language
(and per alert that brought it: the message names the alert).

A broadcast sends the same snippet to thousands of chats; rendering it once per language (not
once per chat) keeps the sender's work per message to the send itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.presentation import render
from bot.domain.catalogue import Catalogue
from bot.presentation.html import split_html
from bot.presentation.keyboards import Keyboards
from bot.storage.content_repository import ContentRepository
from bot.storage.outbox import Delivery

CACHE_LIMIT = 256


@dataclass(frozen=True)
class Outgoing:
    parts: tuple[str, ...]
    keyboard: dict[str, Any] | None  # under the last part, private chats only


class DeliveryMessages:
    def __init__(self, catalogue: Catalogue, content: ContentRepository, keyboards: Keyboards) -> None:
        self.catalogue = catalogue
        self.content = content
        self.keyboards = keyboards
        self._made: dict[tuple[object, ...], Outgoing | None] = {}

    def forget(self) -> None:
        """Content changed (an edit, a retirement): render again from the database."""
        self._made.clear()

    async def for_delivery(self, delivery: Delivery) -> Outgoing | None:
        """The message(s) for this delivery; None when nothing of it is on the air any more."""
        private = delivery.chat_type == "private"
        ids = (delivery.snippet_id,) if delivery.kind == "snippet" else delivery.items
        key = (delivery.kind, ids, delivery.language, private, delivery.alerts)
        if key not in self._made:
            if len(self._made) >= CACHE_LIMIT:
                self._made.clear()
            self._made[key] = await self._make(delivery.kind, ids, delivery.language, private, dict(delivery.alerts))
        return self._made[key]

    async def _make(
        self, kind: str, ids: tuple, lang: str, private: bool, alerts: dict[int, tuple[str, ...]],
    ) -> Outgoing | None:
        snippets = await self.content.snippets_by_id(ids)
        live = set(await self.content.published_ids(ids))
        snippets = [snippet for snippet in snippets if snippet.id in live]
        if not snippets:
            return None
        if kind == "digest":
            text = render.render_digest(self.catalogue, snippets, lang, alerts)
            return Outgoing(tuple(split_html(text)), None)
        snippet = snippets[0]
        topic = self.catalogue.by_slug(snippet.topic)
        if topic is None:
            return None
        text = render.render_new_snippet(topic, snippet, lang, alerts.get(snippet.id, ()))
        keyboard = self.keyboards.related(topic, lang, with_figures=bool(snippet.figures)) if private else None
        return Outgoing(tuple(split_html(text)), keyboard)
