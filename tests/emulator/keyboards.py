"""Validate ``reply_markup`` the way Telegram does before it accepts a message.

Inline keyboards are checked closely because that is where bots go wrong: every button needs
``text`` and exactly one action, ``callback_data`` is 1-64 *bytes* of UTF-8 (32 Cyrillic
letters, not 64), URLs must be http(s) or tg://, and a keyboard holds at most 100 buttons.
Reply keyboards, ReplyKeyboardRemove and ForceReply are checked only for their shape.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .errors import ApiError, bad_request

MAX_INLINE_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip


def _button_error(reason: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {reason}")


def _check_url(url: Any) -> None:
    if not isinstance(url, str):
        raise _button_error('Field "url" must be of type String')
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "tg"):
        raise bad_request(
            f"inline keyboard button URL '{url}' is invalid: Unsupported URL protocol"
        )
    if scheme in ("http", "https") and not parts.hostname:
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise _button_error('Field "text" must be of type String')
    actions = [name for name in INLINE_ACTIONS if name in button]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(f"exactly one action field is allowed, got {', '.join(actions)}")
    action = actions[0]
    if action == "callback_data":
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        _check_url(button["url"])


def check_inline_keyboard(markup: dict[str, Any]) -> None:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _check_reply_keyboard(markup: dict[str, Any]) -> None:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    for row in rows:
        for button in row:
            text = (
                button
                if isinstance(button, str)
                else (button.get("text") if isinstance(button, dict) else None)
            )
            if not isinstance(text, str):
                raise bad_request(
                    "can't parse keyboard button: KeyboardButton must be a String or an Object"
                )


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate and return the markup (``None`` when absent); raises 400 like Telegram."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        check_inline_keyboard(markup)
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        _check_reply_keyboard(markup)
    elif "remove_keyboard" in markup:
        if markup["remove_keyboard"] is not True:
            raise bad_request('field "remove_keyboard" of the ReplyKeyboardRemove must be True')
    elif "force_reply" in markup:
        if markup["force_reply"] is not True:
            raise bad_request('field "force_reply" of the ForceReply must be True')
    else:
        raise bad_request('can\'t find field "inline_keyboard"')  # what Telegram says for {}
    return markup


def callback_data_values(markup: dict[str, Any] | None) -> list[str]:
    """All callback_data strings of an inline keyboard (used to validate button presses)."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        button["callback_data"]
        for row in markup["inline_keyboard"]
        for button in row
        if "callback_data" in button
    ]
