"""The topic catalogue (`config/topics.yaml`): commands, titles and the keywords that route text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError, model_validator

from bot.domain import aliases
from bot.domain.models import Localized, Topic
from bot.domain.stemming import root, words
from bot.domain.validation import ContentError, describe_validation_error

# Commands the bot answers itself; a topic may not take one of these names.
RESERVED_COMMANDS = frozenset({
    "start", "help", "topics", "figures", "quote", "search", "about", "latest",
    "subscribe", "unsubscribe", "subscriptions", "digest", "timezone", "instant", "stop",
    "resume", "channel", "deliveries", "alert", "alerts",
    "add", "edit", "figure", "publish", "retire", "drafts", "history", "reload", "grant",
    "revoke", "export", "reactions", "figure_remove", "quote_add", "quote_edit", "quote_remove",
    "desk", "upload", "topic", "topic_add",
})  # fmt: skip


class CatalogueFile(BaseModel):
    topics: tuple[Topic, ...]

    @model_validator(mode="after")
    def _unique(self) -> CatalogueFile:
        for attribute in ("slug", "command"):
            counts = Counter(getattr(topic, attribute) for topic in self.topics)
            repeated = [value for value, count in counts.items() if count > 1]
            if repeated:
                raise ValueError(f"{attribute} {repeated[0]!r} is used by more than one topic")
        clash = [topic.command for topic in self.topics if topic.command in RESERVED_COMMANDS]
        if clash:
            raise ValueError(f"command /{clash[0]} is reserved for the bot itself")
        return self


@dataclass(frozen=True)
class Catalogue:
    topics: tuple[Topic, ...]
    _by_slug: dict[str, Topic] = field(init=False, repr=False)
    _by_command: dict[str, Topic] = field(init=False, repr=False)
    _keyword_roots: dict[str, frozenset[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_slug", {t.slug: t for t in self.topics})
        object.__setattr__(self, "_by_command", {t.command: t for t in self.topics})
        object.__setattr__(
            self,
            "_keyword_roots",
            {t.slug: frozenset(root(w) for kw in t.keywords for w in words(kw)) for t in self.topics},
        )

    def __iter__(self) -> Iterator[Topic]:
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    def by_slug(self, slug: str) -> Topic | None:
        return self._by_slug.get(slug)

    def by_command(self, command: str) -> Topic | None:
        return self._by_command.get(command.lower())

    def find(self, name: str) -> Topic | None:
        """A topic by slug, command or title in either language (what a user may type)."""
        key = name.strip().lstrip("/").lower()
        found = self._by_slug.get(key) or self._by_command.get(key)
        if found:
            return found
        for topic in self.topics:
            if key in (topic.title.ru.lower(), topic.title.en.lower()):
                return topic
        return None

    def add(self, topic: Topic) -> None:
        """A topic an editor added (`/topic_add`), after the catalogue's own; every holder of the
        catalogue sees it at once."""
        if topic.slug in self._by_slug or topic.command in self._by_command:
            raise ContentError(f"topic {topic.slug!r} already exists")
        object.__setattr__(self, "topics", (*self.topics, topic))
        self._by_slug[topic.slug] = topic
        self._by_command[topic.command] = topic
        self._keyword_roots[topic.slug] = frozenset(root(w) for kw in topic.keywords for w in words(kw))

    def route(self, text: str) -> list[Topic]:
        """Topics whose keywords occur in the text, best first (most keyword hits). A word
        counts in either language: its aliases (`lexicons/aliases.yaml`: Rosatom for Росатом,
        NPP for АЭС) are keywords' words as much as it is."""
        text_words = words(text)
        meanings = [(word, {root(word), *aliases.others(root(word))}) for word in text_words]
        scores: list[tuple[int, int, Topic]] = []
        for index, topic in enumerate(self.topics):
            keyword_roots = self._keyword_roots[topic.slug]
            hits = sum(
                1
                for word, word_roots in meanings
                if not word_roots.isdisjoint(keyword_roots)
                or any(len(k) >= 4 and word.startswith(k) for k in keyword_roots)
            )
            if hits:
                scores.append((-hits, index, topic))
        return [topic for _, _, topic in sorted(scores, key=lambda item: item[:2])]


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue; any problem is a ContentError naming the file and field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: topic catalogue not found (set TOPICS_FILE)") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from None
    try:
        parsed = CatalogueFile.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(f"{path}: {describe_validation_error(exc, raw)}") from None
    return Catalogue(parsed.topics)


EDITOR_TOPIC_EMOJI = "🗂"


def editor_topic(catalogue: Catalogue, slug: str, title: str, description: str) -> Topic:
    """A topic from `/topic_add slug Название | description`: checked (slug form, a command of the
    bot's own, a slug or title already taken) with a ContentError that names the problem. Its
    keywords are the title's and description's words, so articles about it route to it."""
    slug = slug.strip().lower()
    title, description = " ".join(title.split()), " ".join(description.split())
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,23}", slug):
        raise ContentError("the topic's name must be 2–24 Latin letters, digits or _, starting with a letter")
    if slug in RESERVED_COMMANDS:
        raise ContentError(f"/{slug} is one of the bot's own commands")
    if not title or len(title) > 100:
        raise ContentError("the topic needs a title of at most 100 characters")
    if len(description) > 100:
        raise ContentError("the description may have at most 100 characters")
    if catalogue.find(slug) or catalogue.find(title):
        raise ContentError(f"a topic {slug!r} or {title!r} already exists")
    keywords = tuple(dict.fromkeys(w.lower() for w in words(f"{title} {description}") if len(w) >= 4)) or (title.lower(),)
    try:
        return Topic(slug=slug, command=slug, emoji=EDITOR_TOPIC_EMOJI, title=Localized(ru=title, en=title),
                     description=Localized(ru=description or title, en=description or title), keywords=keywords[:30])
    except ValidationError as exc:
        raise ContentError(describe_validation_error(exc, {"slug": slug, "title": title})) from None
