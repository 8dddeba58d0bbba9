"""Subscriptions: which chats get which topics, when, and whether deliveries flow to them.

Every change that can make something deliverable (a chat resumed, came back, moved to a
supergroup) tells the sender at once, here and not in the handlers.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.chats import ACTIVE, ChatSettings
from bot.services.delivery.digests import MAX_DIGEST_ITEMS
from bot.services.events import Events
from bot.storage.chats import ChatRepository
from bot.storage.digests import DigestNow, DigestRepository


class Subscriptions:
    def __init__(self, chats: ChatRepository, events: Events, digests: DigestRepository) -> None:
        self.chats = chats
        self.events = events
        self.digests = digests

    # --- reading --------------------------------------------------------------------------

    async def get(self, chat_id: int) -> ChatSettings | None:
        return await self.chats.get(chat_id)

    async def channels_registered_by(self, user_id: int) -> list[ChatSettings]:
        return await self.chats.channels_registered_by(user_id)

    async def ensure(
        self, chat_id: int, kind: str, title: str, language: str, registered_by: int | None = None,
    ) -> ChatSettings:
        """The chat as the bot knows it, recorded on first contact."""
        return await self.chats.ensure(chat_id, kind, title, language, registered_by)

    # --- choices --------------------------------------------------------------------------

    async def subscribe(self, chat_id: int, topics: Iterable[str], thread_id: int | None = None) -> list[str]:
        return await self.chats.subscribe(chat_id, topics, thread_id)

    async def unsubscribe(self, chat_id: int, topics: Iterable[str]) -> list[str]:
        return await self.chats.unsubscribe(chat_id, topics)

    async def toggle(self, chat_id: int, topic: str) -> bool:
        return await self.chats.toggle(chat_id, topic)

    async def set_instant(self, chat_id: int, instant: bool) -> None:
        await self.chats.set_instant(chat_id, instant)

    async def set_digest(self, chat_id: int, hhmm: str | None) -> float | None:
        return await self.chats.set_digest(chat_id, hhmm)

    async def set_timezone(self, chat_id: int, zone_name: str) -> float | None:
        return await self.chats.set_timezone(chat_id, zone_name)

    async def digest_now(self, chat_id: int) -> DigestNow:
        """`/digest now`: the chat's next digest, queued at once through the outbox (the same
        pacing and guarantees as every delivery); the sender hears of it at once."""
        done = await self.digests.queue_now(chat_id, self.chats.clock(), MAX_DIGEST_ITEMS)
        if done.items:
            self.events.deliveries_queued.announce()
        return done

    # --- the chat's state -----------------------------------------------------------------

    async def set_state(self, chat_id: int, state: str, reason: str | None = None) -> str | None:
        """Stop, pause or resume; returns the state before (None if unchanged)."""
        before = await self.chats.set_state(chat_id, state, reason)
        if state == ACTIVE:
            self.events.deliveries_queued.announce()
        return before

    async def bot_returned(self, chat_id: int) -> bool:
        """The bot is back in a chat that was paused because it was gone: deliveries resume."""
        resumed = await self.chats.resume_after_return(chat_id)
        if resumed:
            self.events.deliveries_queued.announce()
        return resumed

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """A group became a supergroup: everything it had moves, and what it was owed follows."""
        moved = await self.chats.migrate(old_id, new_id)
        if moved:
            self.events.deliveries_queued.announce()
        return moved
