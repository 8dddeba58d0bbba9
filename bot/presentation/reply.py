"""What a use case answers with: the messages to send, ready for Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.models import Topic
from bot.presentation.html import split_html

Markup = dict[str, Any]  # a keyboard as Telegram's JSON


@dataclass(frozen=True)
class Reply:
    """Message texts (HTML, each within Telegram's limit), the topic they are about, and the
    keyboard that goes under the last one (where the thumb is); a card's original (its link
    preview goes with the first part) and the quote its copy button gives."""

    parts: tuple[str, ...]
    topic: Topic | None = None
    keyboard: Markup | None = None
    page: tuple[int, int] | None = None  # (screen, screens) of a briefing: the summary, then each snippet
    link: str | None = None  # the original source's address: shown as the link preview
    copy: str | None = None  # the text the "copy" button gives (≤ 256 characters)

    @classmethod
    def of(cls, html: str, keyboard: Markup | None = None) -> Reply:
        """One text of any length, split at paragraph boundaries into valid parts."""
        return cls(tuple(split_html(html)), keyboard=keyboard)
