"""What a Telegram client adds to a user's text before the bot sees it: command entities.

Telegram marks ``/command`` and ``/command@botname`` as ``bot_command`` entities wherever they
start a word; python-telegram-bot's ``CommandHandler`` relies on the one at offset 0. Other
auto-detected entities (urls, mentions, hashtags) are not produced.
"""

from __future__ import annotations

import re
from typing import Any

from .utf16 import utf16_len

_COMMAND_RE = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities of ``text`` with UTF-16 offsets and lengths."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND_RE.finditer(text)
    ]


def addressed_to_bot(text: str, bot_username: str) -> bool:
    """Would a bot with group privacy mode on see this message? (commands and mentions)"""
    return text.startswith("/") or f"@{bot_username}".lower() in text.lower()
