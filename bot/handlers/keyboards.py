"""Inline keyboards and the callback data behind their buttons.

Callback data is `<action>:<topic slug>` (at most 64 bytes: slugs are capped at 24 ASCII
characters). Data from a modified client may be anything: `parse_callback` accepts only
known actions on known topics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.catalogue import Catalogue
from bot.content.models import Topic
from bot.texts import t

BRIEFING, FIGURES, QUOTE, MENU = "t", "f", "q", "m"
ACTIONS = frozenset({BRIEFING, FIGURES, QUOTE, MENU})
TOPICS_PER_ROW = 2


@dataclass(frozen=True)
class ButtonPress:
    action: str
    topic: Topic | None


def callback_data(action: str, topic: Topic | None = None) -> str:
    return f"{action}:{topic.slug}" if topic else action


def parse_callback(data: str | None, catalogue: Catalogue) -> ButtonPress | None:
    """The press a button stands for, or None for anything the bot did not send."""
    if not data or len(data) > 64:
        return None
    action, _, slug = data.partition(":")
    if action not in ACTIONS:
        return None
    if action == MENU:
        return ButtonPress(MENU, None) if not slug else None
    topic = catalogue.by_slug(slug)
    return ButtonPress(action, topic) if topic else None


def topic_menu(catalogue: Catalogue, lang: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(f"{topic.emoji} {topic.title.get(lang)}", callback_data=callback_data(BRIEFING, topic))
        for topic in catalogue
    ]
    rows = [buttons[i : i + TOPICS_PER_ROW] for i in range(0, len(buttons), TOPICS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def related(
    catalogue: Catalogue, topic: Topic, lang: str, showing: str = BRIEFING, with_figures: bool = True
) -> InlineKeyboardMarkup:
    """Under a topic's reply: the other views of this topic, then neighbouring topics."""
    views = [
        (BRIEFING, t(lang, "btn_briefing")),
        *([(FIGURES, t(lang, "btn_figures"))] if with_figures else []),
        (QUOTE, t(lang, "btn_quote")),
    ]
    first_row = [
        InlineKeyboardButton(label, callback_data=callback_data(action, topic))
        for action, label in views
        if action != showing or action == QUOTE
    ]
    others = [other for other in catalogue if other.slug != topic.slug]
    index = next((i for i, other in enumerate(catalogue) if other.slug == topic.slug), 0)
    neighbours = [others[(index + step) % len(others)] for step in range(2)] if others else []
    second_row = [
        InlineKeyboardButton(f"{other.emoji} {other.title.get(lang)}", callback_data=callback_data(BRIEFING, other))
        for other in neighbours
    ]
    menu_row = [InlineKeyboardButton(t(lang, "btn_topics"), callback_data=callback_data(MENU))]
    return InlineKeyboardMarkup([row for row in (first_row, second_row, menu_row) if row])


Markup = dict[str, Any]  # a keyboard as Telegram's JSON


@dataclass
class Keyboards:
    """The keyboards above as Telegram JSON, built once per (topic, language, view): they never
    change while the catalogue is the same, and building them is a measurable part of a reply."""

    catalogue: Catalogue
    _made: dict[tuple[str, ...], Markup] = field(default_factory=dict)

    def topic_menu(self, lang: str) -> Markup:
        key = ("menu", lang)
        if key not in self._made:
            self._made[key] = topic_menu(self.catalogue, lang).to_dict()
        return self._made[key]

    def related(self, topic: Topic, lang: str, showing: str = BRIEFING, with_figures: bool = True) -> Markup:
        key = ("related", topic.slug, lang, showing, str(with_figures))
        if key not in self._made:
            self._made[key] = related(self.catalogue, topic, lang, showing, with_figures).to_dict()
        return self._made[key]
