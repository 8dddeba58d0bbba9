"""Topics the editors add (`/topic_add`), kept beside config/topics.yaml's catalogue.

Plain SQL on one table (`editor_topics`): one row per topic, its keywords as a JSON list."""

from __future__ import annotations

import json

import aiosqlite

from bot.domain.actors import Actor
from bot.domain.clock import utc_now_iso
from bot.domain.models import Localized, Topic
from bot.storage import audit
from bot.storage.database import transaction

COLUMNS = "slug, command, emoji, title_ru, title_en, description_ru, description_en, keywords"


class TopicExists(Exception):
    pass


class TopicRepository:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def all(self) -> list[Topic]:
        """Every topic the editors added, oldest first."""
        rows = await self._db.execute_fetchall(f"SELECT {COLUMNS} FROM editor_topics ORDER BY added_at, slug")
        return [
            Topic(slug=row[0], command=row[1], emoji=row[2], title=Localized(ru=row[3], en=row[4]),
                  description=Localized(ru=row[5], en=row[6]), keywords=tuple(json.loads(row[7])))
            for row in rows
        ]  # fmt: skip

    async def add(self, actor: Actor, topic: Topic) -> None:
        """Store a new topic (TopicExists when its slug or command is taken), with an audit row."""
        async with transaction(self._db):
            taken = await self._db.execute_fetchall(
                "SELECT 1 FROM editor_topics WHERE slug = ? OR command = ?", (topic.slug, topic.command)
            )
            if taken:
                raise TopicExists(topic.slug)
            await self._db.execute(
                f"INSERT INTO editor_topics ({COLUMNS}, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (topic.slug, topic.command, topic.emoji, topic.title.ru, topic.title.en, topic.description.ru,
                 topic.description.en, json.dumps(list(topic.keywords), ensure_ascii=False), actor.id, utc_now_iso()),
            )
            await audit.record(self._db, actor, "topic added", after={"slug": topic.slug, "title": topic.title.ru})
