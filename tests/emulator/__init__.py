"""A Telegram Bot API emulator for end-to-end tests of the bot over real HTTP.

Point python-telegram-bot at it with
``ApplicationBuilder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url)``.
Module map: ``server`` (HTTP and protocol), ``params`` (request decoding), ``spec`` (generated
parameter table), ``methods_*`` (Bot API methods), ``files`` (documents, sendDocument, getFile
and downloads), ``html_entities``/``formatting`` (text and caption rules), ``keyboards``
(reply_markup rules), ``limits`` (flood control), ``members`` (chat membership, ChatMember
objects, the server's access rules), ``state``/``models`` (what the emulator remembers),
``incoming``/``lifecycle``/``chat_sharing`` (what users do: messages, documents, membership
changes, picking a chat), ``emulator`` (the test-facing ``BotApiEmulator``).
"""

from .emulator import DEFAULT_TOKEN, BotApiEmulator
from .errors import ApiError
from .html_entities import HtmlParseError, parse_html
from .limits import FloodLimits
from .models import ApiCall

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "FloodLimits",
    "HtmlParseError",
    "parse_html",
]
