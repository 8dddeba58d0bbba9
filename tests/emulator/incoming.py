"""What users do: their messages, channel posts and button presses, turned into updates.

Builds what a Telegram client and server would: the stored message, ``bot_command`` entities
wherever ``/command`` or ``/command@botname`` starts a word (python-telegram-bot's
``CommandHandler`` relies on the one at offset 0), the callback query for a pressed button, and
the update itself. Other auto-detected entities (urls, mentions, hashtags) are not produced.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .keyboards import callback_data_values
from .models import ChatState, StoredMessage
from .state import World
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


def known_chat(world: World, chat_id: int) -> ChatState:
    state = world.chats.get(chat_id)
    if state is None:
        raise AssertionError(f"chat {chat_id} is unknown: create it with make_group/make_channel")
    return state


def _visible_despite_privacy(world: World, state: ChatState, stored: StoredMessage) -> bool:
    """With privacy mode on, a bot sees only commands, mentions and replies to itself."""
    if state.type not in ("group", "supergroup") or not world.group_privacy:
        return True
    if stored.text.startswith("/") or f"@{world.bot['username']}".lower() in stored.text.lower():
        return True
    replied = state.by_id.get(stored.reply_to_message_id or 0)
    return replied is not None and replied.sender == "bot"


def user_message(
    world: World,
    user: dict[str, Any],
    text: str,
    chat_id: int | None,
    reply_to_message_id: int | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> dict[str, Any] | None:
    """``user`` writes ``text`` (to the private chat when ``chat_id`` is None); the Update,
    or ``None`` when group privacy mode hides it from the bot."""
    with world.lock:
        if chat_id is None:
            state = world.private_chat(user)
        else:
            world.remember_user(user)
            state = known_chat(world, chat_id)
        stored = state.add(
            StoredMessage(
                message_id=state.new_message_id(),
                chat_id=state.id,
                date=world.now(),
                sender="user",
                from_user=copy.deepcopy(user),
                text=text,
                entities=command_entities(text) if entities is None else entities,
                html=text,
                reply_to_message_id=reply_to_message_id,
            )
        )
        message = world.api_message(state, stored)
        if not _visible_despite_privacy(world, state, stored):
            return None
    return world.enqueue("message", message)


def channel_post(world: World, chat_id: int, text: str) -> dict[str, Any]:
    with world.lock:
        state = known_chat(world, chat_id)
        stored = state.add(
            StoredMessage(
                message_id=state.new_message_id(),
                chat_id=state.id,
                date=world.now(),
                sender="channel",
                from_user=None,
                text=text,
                entities=command_entities(text),
                html=text,
            )
        )
        message = world.api_message(state, stored)
    return world.enqueue("channel_post", message)


def button_press(
    world: World, user: dict[str, Any], chat_id: int, message_id: int, data: str, check: bool
) -> str:
    """``user`` presses a button of a bot message; returns the callback query id."""
    with world.lock:
        world.remember_user(user)
        state = known_chat(world, chat_id)
        stored = world.find_message(state, message_id)
        if stored is None or stored.sender != "bot":
            raise AssertionError(f"no bot message {message_id} in chat {chat_id}")
        if check and data not in callback_data_values(stored.reply_markup):
            raise AssertionError(
                f"message {message_id} has no button with callback_data {data!r}; "
                f"current keyboard: {stored.reply_markup!r}"
            )
        query_id = world.new_callback_query_id()
        world.callback_queries[query_id] = {
            "from": copy.deepcopy(user),
            "chat_id": chat_id,
            "message_id": message_id,
            "data": data,
            "answered": False,
        }
        query = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "message": world.api_message(state, stored),
            "chat_instance": str(abs(chat_id) * 7919 + 104729),
            "data": data,
        }
    world.enqueue("callback_query", query)
    return query_id


def migrate_group(world: World, old_id: int, new_id: int) -> dict[str, Any]:
    """Upgrade a basic group to a supergroup: service messages in both chats, and from now on
    sending to the old id is 400 with ``parameters.migrate_to_chat_id``."""
    with world.lock:
        old = known_chat(world, old_id)
        if old.type != "group":
            raise AssertionError(f"chat {old_id} is a {old.type}, only a 'group' can migrate")
        chat = {"id": new_id, "type": "supergroup", "title": old.chat.get("title", "")}
        new = world.add_chat(chat, bot_is_admin=old.bot_is_admin)
        old.migrated_to = new_id
        notices = []
        for state, field, value in ((old, "migrate_to_chat_id", new_id),
                                    (new, "migrate_from_chat_id", old_id)):  # fmt: skip
            message = {"message_id": state.new_message_id(), "chat": copy.deepcopy(state.chat),
                       "date": world.now(), field: value}  # fmt: skip
            if state is new:
                message["sender_chat"] = copy.deepcopy(old.chat)
            notices.append(message)
    for message in notices:
        world.enqueue("message", message)
    return copy.deepcopy(chat)
