"""The bot's own settings and identity: getMe, commands, the chat menu button, getChat, close
and logOut.

Commands are validated like Telegram (1-100 of them, ``[a-z0-9_]{1,32}``, descriptions of
1-256 characters) and stored per ``(scope, language_code)``; a scope's key is its ``type``, with
the chat (and user) id appended for chat-specific scopes, e.g. ``"chat:-100123"``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .errors import bad_request
from .keyboards import check_web_app
from .state import World, private_chat_object

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_RE = re.compile(r"^([a-z]{2})?$")
_SCOPES = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators",
     "chat", "chat_administrators", "chat_member"}
)  # fmt: skip


def get_me(world: World, params: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(world.bot)


def get_chat(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = params["chat_id"]
    with world.lock:
        user = world.users.get(chat_id) if isinstance(chat_id, int) else None
        if user is not None and chat_id not in world.chats:
            info = private_chat_object(user)  # known user who has not opened the chat yet
        else:
            # a chat the bot was removed from is unreadable unless public (members.check_access)
            info = copy.deepcopy(world.chat_for(chat_id, "read").chat)
    info.setdefault("accent_color_id", abs(info["id"]) % 7)
    info.setdefault("max_reaction_count", 11)
    info.setdefault(
        "accepted_gift_types",
        {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
         "premium_subscription": False, "gifts_from_channels": False},
    )  # fmt: skip
    return info


def _scope_key(world: World, scope: Any) -> str:
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("unsupported bot command scope type")
    kind = scope["type"]
    if kind in ("chat", "chat_administrators", "chat_member"):
        if scope.get("chat_id") is None:
            raise bad_request("chat_id is empty")
        chat_id = world.find_chat(scope["chat_id"]).id
        if kind == "chat_member":
            if not isinstance(scope.get("user_id"), int):
                raise bad_request("user not found")
            return f"chat_member:{chat_id}:{scope['user_id']}"
        return f"{kind}:{chat_id}"
    return kind


def _key(world: World, params: dict[str, Any]) -> tuple[str, str]:
    language = params.get("language_code") or ""
    if not _LANGUAGE_RE.match(language):
        raise bad_request("invalid language code specified")
    return _scope_key(world, params.get("scope")), language


def set_my_commands(world: World, params: dict[str, Any]) -> bool:
    commands = params["commands"]
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if not commands:
        raise bad_request("commands list is empty")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    cleaned = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": command, "description": description})
    with world.lock:
        world.commands[_key(world, params)] = cleaned
    return True


def get_my_commands(world: World, params: dict[str, Any]) -> list[dict[str, str]]:
    with world.lock:
        return copy.deepcopy(world.commands.get(_key(world, params), []))


def delete_my_commands(world: World, params: dict[str, Any]) -> bool:
    with world.lock:
        world.commands.pop(_key(world, params), None)
    return True


_MENU_BUTTONS = frozenset({"default", "commands", "web_app"})


def _menu_chat(world: World, params: dict[str, Any]) -> int | None:
    """The private chat a menu button is for (None: the bot's default); other chats are refused."""
    chat_id = params.get("chat_id")
    if chat_id is None:
        return None
    with world.lock:
        known = chat_id in world.users or (chat_id in world.chats and world.chats[chat_id].chat["type"] == "private")
    if not isinstance(chat_id, int) or not known:
        raise bad_request("chat not found")
    return chat_id


def set_chat_menu_button(world: World, params: dict[str, Any]) -> bool:
    chat_id = _menu_chat(world, params)
    button = params.get("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in _MENU_BUTTONS:
        raise bad_request("can't parse menu button JSON object")
    if button["type"] == "web_app":
        if not isinstance(button.get("text"), str) or not button["text"].strip():
            raise bad_request("BUTTON_TEXT_INVALID")
        check_web_app(button.get("web_app"))
    with world.lock:
        world.menu_buttons[chat_id] = copy.deepcopy(button)
    return True


def get_chat_menu_button(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = _menu_chat(world, params)
    with world.lock:
        found = world.menu_buttons.get(chat_id) or world.menu_buttons.get(None)
    return copy.deepcopy(found) if found else {"type": "commands"}


def close(world: World, params: dict[str, Any]) -> bool:
    return True


def log_out(world: World, params: dict[str, Any]) -> bool:
    with world.lock:
        world.logged_out = True  # later calls get 401, as after a real logOut
    return True


HANDLERS = {
    "getMe": get_me,
    "getChat": get_chat,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "close": close,
    "logOut": log_out,
}
