"""The command menu Telegram shows beside the input field, in each language."""

from __future__ import annotations

from telegram import BotCommand

from bot.domain.catalogue import RESERVED_COMMANDS, Catalogue
from bot.presentation.texts import t

CORE_COMMANDS = ("start", "help", "topics", "latest", "figures", "quote", "search", "about")
MENU_AFTER_TOPICS = ("latest", "figures", "quote", "search", "subscribe", "subscriptions", "alert", "alerts", "about")
assert set(CORE_COMMANDS) <= RESERVED_COMMANDS


def command_menu(catalogue: Catalogue, lang: str) -> list[BotCommand]:
    """The command list Telegram shows in the menu, in the user's language."""
    commands = [BotCommand(name, t(lang, f"cmd_{name}")) for name in ("start", "help", "topics")]
    commands += [
        BotCommand(topic.command, f"{topic.emoji} {topic.title.get(lang)}: {topic.description.get(lang)}"[:256])
        for topic in catalogue
    ]
    commands += [BotCommand(name, t(lang, f"cmd_{name}")) for name in MENU_AFTER_TOPICS]
    return commands
