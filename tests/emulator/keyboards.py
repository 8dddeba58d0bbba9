"""Validate ``reply_markup`` the way Telegram does before it accepts a message.

Inline keyboards are checked closely because that is where bots go wrong: every button needs
``text`` and exactly one action, ``callback_data`` is 1-64 *bytes* of UTF-8 (32 Cyrillic
letters, not 64), URLs must be http(s) or tg://, ``copy_text`` is a CopyTextButton Object whose
``text`` is 1-256 characters (counted here in UTF-16 units, the stricter reading; longer or
empty is the server's BUTTON_COPY_TEXT_INVALID), and a keyboard holds at most 100 buttons.
Reply keyboards: each button is a String or an Object with a String ``text`` and at most one
action; ``request_chat`` (KeyboardButtonRequestChat) is checked field by field, including its
ChatAdministratorRights objects, whose booleans the docs mark required are required here (the
real server defaults missing ones to false; the emulator holds bots to the docs), and its
``request_id`` is a signed 32-bit integer unique within the message. ReplyKeyboardRemove and
ForceReply are checked only for their shape.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .errors import ApiError, bad_request
from .members import OPTIONAL_RIGHTS, REQUIRED_RIGHTS

MAX_INLINE_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
MAX_COPY_TEXT = 256
INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
REPLY_ACTIONS = (
    "request_users", "request_chat", "request_managed_bot", "request_contact",
    "request_location", "request_poll", "web_app",
)  # fmt: skip
_REQUEST_CHAT_FLAGS = (
    "chat_is_forum", "chat_has_username", "chat_is_created", "bot_is_member", "request_title",
    "request_username", "request_photo",
)  # fmt: skip
INT32 = range(-(2**31), 2**31)


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


def _check_inline_button(button: Any, private: bool) -> None:
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
    elif action == "copy_text":
        _check_copy_text(button["copy_text"])
    elif action == "web_app":
        if not private:  # a Mini App opens from an inline keyboard in a private chat only
            raise bad_request("BUTTON_TYPE_INVALID")
        check_web_app(button["web_app"])


def _check_copy_text(copy: Any) -> None:
    """A CopyTextButton: an Object with a String ``text`` the client copies, 1-256 characters."""
    if not isinstance(copy, dict):
        raise _button_error('Field "copy_text" must be of type Object')
    if "text" not in copy:
        raise _button_error('Can\'t find field "text"')
    if not isinstance(copy["text"], str):
        raise _button_error('Field "text" must be of type String')
    if not 1 <= len(copy["text"].encode("utf-16-le")) // 2 <= MAX_COPY_TEXT:
        raise bad_request("BUTTON_COPY_TEXT_INVALID")


def check_web_app(info: Any) -> None:
    """A Mini App opens over https only: anything else is BUTTON_URL_INVALID, as in Telegram."""
    url = info.get("url") if isinstance(info, dict) else None
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme.lower() != "https" or not parts.hostname:
        raise bad_request("BUTTON_URL_INVALID")


def check_inline_keyboard(markup: dict[str, Any], *, private: bool = True) -> None:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            _check_inline_button(button, private)


def _keyboard_error(reason: str) -> ApiError:
    return bad_request(f"can't parse keyboard button: {reason}")


def _is_int32(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in INT32


def _check_bool(obj: dict[str, Any], name: str, *, required: bool) -> None:
    if name not in obj:
        if required:
            raise _keyboard_error(f'Can\'t find field "{name}"')
        return
    if not isinstance(obj[name], bool):
        raise _keyboard_error(f'Field "{name}" must be of type Boolean')


def _check_rights(rights: Any) -> None:
    """A ChatAdministratorRights object as the docs define it."""
    if not isinstance(rights, dict):
        raise _keyboard_error("ChatAdministratorRights must be an Object")
    for name in REQUIRED_RIGHTS:
        _check_bool(rights, name, required=True)
    for name in OPTIONAL_RIGHTS:
        _check_bool(rights, name, required=False)


def _check_request_chat(request: Any) -> int:
    """A KeyboardButtonRequestChat; returns its request_id."""
    if not isinstance(request, dict):
        raise _keyboard_error('Field "request_chat" must be of type Object')
    if "request_id" not in request:
        raise _keyboard_error('Can\'t find field "request_id"')
    if not _is_int32(request["request_id"]):
        raise _keyboard_error('Field "request_id" must be of type Integer')
    _check_bool(request, "chat_is_channel", required=True)
    for name in _REQUEST_CHAT_FLAGS:
        _check_bool(request, name, required=False)
    for name in ("user_administrator_rights", "bot_administrator_rights"):
        if request.get(name) is not None:
            _check_rights(request[name])
    return request["request_id"]


def _check_keyboard_button(button: Any) -> int | None:
    """Validate one reply keyboard button; returns its request_id, if it has one."""
    if isinstance(button, str):
        return None
    if not isinstance(button, dict):
        raise _keyboard_error("KeyboardButton must be a String or an Object")
    if "text" not in button:
        raise _keyboard_error('Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _keyboard_error('Field "text" must be of type String')
    actions = [name for name in REPLY_ACTIONS if button.get(name) not in (None, False)]
    if len(actions) > 1:
        raise _keyboard_error(f"at most one action field is allowed, got {', '.join(actions)}")
    if actions == ["request_chat"]:
        return _check_request_chat(button["request_chat"])
    if actions and actions[0] in ("request_users", "request_managed_bot"):
        request = button[actions[0]]
        if not isinstance(request, dict) or not _is_int32(request.get("request_id")):
            raise _keyboard_error('Field "request_id" must be of type Integer')
        return request["request_id"]
    return None


def _check_reply_keyboard(markup: dict[str, Any]) -> None:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    request_ids: set[int] = set()
    for row in rows:
        for button in row:
            request_id = _check_keyboard_button(button)
            if request_id is not None:
                if request_id in request_ids:
                    raise bad_request("BUTTON_ID_INVALID")  # request_id must be unique
                request_ids.add(request_id)


def check_reply_markup(markup: Any, *, inline_only: bool = False, private: bool = True) -> dict[str, Any] | None:
    """Validate and return the markup (``None`` when absent); raises 400 like Telegram.
    ``private``: whether it goes into a private chat (``web_app`` buttons go nowhere else)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        check_inline_keyboard(markup, private=private)
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


def request_chat_buttons(markup: dict[str, Any] | None) -> dict[int, dict[str, Any]]:
    """The ``request_chat`` specs of a reply keyboard, by request_id."""
    if not markup or "keyboard" not in markup:
        return {}
    return {
        button["request_chat"]["request_id"]: button["request_chat"]
        for row in markup["keyboard"]
        for button in row
        if isinstance(button, dict) and isinstance(button.get("request_chat"), dict)
    }
