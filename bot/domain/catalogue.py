"""The topic catalogue (`config/topics.yaml`): commands, titles and the keywords that route text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError, model_validator

from bot.domain.models import Topic
from bot.domain.stemming import root, words
from bot.domain.validation import ContentError, describe_validation_error

# Commands the bot answers itself; a topic may not take one of these names.
RESERVED_COMMANDS = frozenset({
    "start", "help", "topics", "figures", "quote", "search", "about", "latest",
    "subscribe", "unsubscribe", "subscriptions", "digest", "timezone", "instant", "stop",
    "resume", "channel", "deliveries",
    "add", "edit", "figure", "publish", "retire", "drafts", "history", "reload", "grant",
    "revoke", "export", "reactions", "figure_remove", "quote_add", "quote_edit", "quote_remove",
    "desk", "upload",
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

    def route(self, text: str) -> list[Topic]:
        """Topics whose keywords occur in the text, best first (most keyword hits)."""
        text_words = words(text)
        scores: list[tuple[int, int, Topic]] = []
        for index, topic in enumerate(self.topics):
            keyword_roots = self._keyword_roots[topic.slug]
            hits = sum(
                1
                for word in text_words
                if root(word) in keyword_roots
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
