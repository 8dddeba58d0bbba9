"""What users do: their messages and documents, channel posts, forwards and button presses,
as updates.

Builds what a Telegram client and server would: the stored message, ``bot_command`` entities
wherever ``/command`` or ``/command@botname`` starts a word (python-telegram-bot's
``CommandHandler`` relies on the one at offset 0), the callback query for a pressed button, and
the update itself. Other auto-detected entities (urls, mentions, hashtags) are not produced.

Group messages follow membership: a user who writes becomes a member; an anonymous
administrator writes "as the group" (from GroupAnonymousBot, ``sender_chat`` the group); a
message in a forum topic has ``message_thread_id`` and ``is_topic_message``. A chat the bot is
not in still stores what happens there, but the bot gets no update for it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from . import files
from .keyboards import callback_data_values
from .members import GROUP_ANONYMOUS_BOT, Member
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


def _group_sender(
    world: World, state: ChatState, user: dict[str, Any], as_chat: bool
) -> tuple[dict[str, Any], dict[str, Any] | None, str | None]:
    """(``from``, ``sender_chat``, ``author_signature``) of a user's group message."""
    member = world.member(state, user["id"])
    if as_chat:
        if not (member.is_admin and member.right("is_anonymous")):
            raise AssertionError(
                f"user {user['id']} is not an anonymous administrator of chat {state.id} "
                f"(status {member.status!r}): use set_member(..., is_anonymous=True)"
            )
        return GROUP_ANONYMOUS_BOT, state.chat, member.custom_title
    if member.status == "kicked":
        raise AssertionError(f"user {user['id']} is banned from chat {state.id}")
    if member.status == "restricted" and not member.rights.get("can_send_messages"):
        raise AssertionError(f"user {user['id']} may not send messages to chat {state.id}")
    if not member.present:
        state.members[user["id"]] = Member("member")  # writing means they joined
    return user, None, None


def _thread_of(
    state: ChatState, thread_id: int | None, reply_to_message_id: int | None
) -> int | None:
    if thread_id is not None:
        if not state.chat.get("is_forum") or thread_id not in state.topics:
            raise AssertionError(
                f"chat {state.id} has no forum topic {thread_id}: create_forum_topic_thread"
            )
        return thread_id
    replied = state.by_id.get(reply_to_message_id) if reply_to_message_id else None
    return replied.message_thread_id if replied and replied.is_topic_message else None


def user_message(
    world: World,
    user: dict[str, Any],
    text: str,
    chat_id: int | None,
    reply_to_message_id: int | None = None,
    entities: list[dict[str, Any]] | None = None,
    *,
    as_chat: bool = False,
    thread_id: int | None = None,
) -> dict[str, Any] | None:
    """``user`` writes ``text`` (to the private chat when ``chat_id`` is None); the Update,
    or ``None`` when the bot does not see it (privacy mode, or the bot is not in the chat)."""
    return _user_post(
        world, user, chat_id, reply_to_message_id, as_chat, thread_id,
        text=text, entities=command_entities(text) if entities is None else entities,
    )  # fmt: skip


def user_document(
    world: World,
    user: dict[str, Any],
    file_name: str,
    content: bytes | None,
    chat_id: int | None,
    *,
    mime_type: str | None = None,
    caption: str | None = None,
    file_size: int | None = None,
    reply_to_message_id: int | None = None,
    thread_id: int | None = None,
    size_shown: bool = True,
) -> dict[str, Any] | None:
    """``user`` sends a file as a document, with ``bot_command`` entities in its caption
    (see ``files.user_file`` for ``content``/``file_size``); the Update, or ``None`` as for
    ``user_message``. ``size_shown=False``: the Document has no ``file_size`` (optional in the
    Bot API, and some clients' files come without it)."""
    stored = files.user_file(world, file_name, content, mime_type, file_size)
    caption = caption or ""
    document = stored.document()
    if not size_shown:
        del document["file_size"]
    return _user_post(
        world, user, chat_id, reply_to_message_id, False, thread_id,
        text=caption, entities=command_entities(caption), document=document,
    )  # fmt: skip


def _user_post(
    world: World,
    user: dict[str, Any],
    chat_id: int | None,
    reply_to_message_id: int | None,
    as_chat: bool,
    thread_id: int | None,
    *,
    text: str,
    entities: list[dict[str, Any]],
    document: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    with world.lock:
        sender, sender_chat, signature = user, None, None
        if chat_id is None:
            if as_chat or thread_id is not None:
                raise AssertionError("as_chat and thread_id need a group chat")
            state = world.private_chat(user)
        else:
            world.remember_user(user)
            state = known_chat(world, chat_id)
            if state.type == "channel":
                raise AssertionError("users do not write in channels: use send_channel_post")
            if state.type != "private":
                sender, sender_chat, signature = _group_sender(world, state, user, as_chat)
        thread = _thread_of(state, thread_id, reply_to_message_id)
        stored = add_user_message(
            world, state, sender, text,
            entities=entities,
            reply_to_message_id=reply_to_message_id,
            message_thread_id=thread,
            is_topic_message=thread is not None,
            sender_chat=copy.deepcopy(sender_chat),
            author_signature=signature,
            document=document,
        )  # fmt: skip
        message = world.api_message(state, stored)
        if not _visible_despite_privacy(world, state, stored):
            return None
        if not world.bot_member(state).present and state.type != "private":
            return None
    return world.enqueue("message", message)


def add_user_message(
    world: World, state: ChatState, user: dict[str, Any], text: str = "", **fields: Any
) -> StoredMessage:
    """Store a message from ``user`` in ``state`` (the caller holds the lock); ``fields`` are
    any other StoredMessage fields (entities, service, forward_origin, ...)."""
    fields.setdefault("entities", [])
    return state.add(
        StoredMessage(
            message_id=fields.pop("message_id", None) or state.new_message_id(),
            chat_id=state.id,
            date=world.now(),
            sender="user",
            from_user=copy.deepcopy(user),
            text=text,
            html=text,
            **fields,
        )
    )


def _new_channel_post(
    world: World, state: ChatState, text: str, author_signature: str | None = None
) -> StoredMessage:
    """Store a post in a channel (the caller holds the lock)."""
    return state.add(
        StoredMessage(
            message_id=state.new_message_id(),
            chat_id=state.id,
            date=world.now(),
            sender="channel",
            from_user=None,
            text=text,
            entities=command_entities(text),
            html=text,
            author_signature=author_signature,
        )
    )


def channel_post(world: World, chat_id: int, text: str) -> dict[str, Any] | None:
    """A post in a channel; ``None`` (no update) when the bot is not in the channel."""
    with world.lock:
        state = known_chat(world, chat_id)
        stored = _new_channel_post(world, state, text)
        message = world.api_message(state, stored)
        if not world.bot_member(state).present:
            return None
    return world.enqueue("channel_post", message)


def forward_channel_post(
    world: World,
    user: dict[str, Any],
    channel_id: int,
    text: str,
    author_signature: str | None = None,
) -> dict[str, Any]:
    """``user`` forwards the channel's post with ``text`` (posted now if there is none) to
    their private chat with the bot; the message carries a MessageOriginChannel."""
    with world.lock:
        channel = known_chat(world, channel_id)
        if channel.type != "channel":
            raise AssertionError(f"chat {channel_id} is a {channel.type}, not a channel")
        post = next(
            (m for m in reversed(channel.messages)
             if m.text == text and not m.deleted and m.service is None),
            None,
        )  # fmt: skip
        if post is None:
            post = _new_channel_post(world, channel, text, author_signature)
        origin: dict[str, Any] = {
            "type": "channel",
            "date": post.date,
            "chat": copy.deepcopy(channel.chat),
            "message_id": post.message_id,
        }
        if post.author_signature:
            origin["author_signature"] = post.author_signature
        private = world.private_chat(user)
        stored = add_user_message(
            world, private, user, post.text, entities=copy.deepcopy(post.entities), forward_origin=origin
        )
        message = world.api_message(private, stored)
    return world.enqueue("message", message)


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


def reaction(world: World, user: dict[str, Any], chat_id: int, message_id: int, emoji: list[str]) -> dict[str, Any]:
    """``user`` sets their reactions on a message to ``emoji`` (an empty list takes them back);
    the bot gets a ``message_reaction`` update with the old and the new ones (if it asked for
    that kind of update in ``allowed_updates``, as Telegram requires)."""
    with world.lock:
        world.remember_user(user)
        state = known_chat(world, chat_id)
        stored = world.find_message(state, message_id)
        if stored is None:
            raise AssertionError(f"no message {message_id} in chat {chat_id}")
        if len(emoji) > 1 or len(set(emoji)) != len(emoji):
            raise AssertionError("a user without Premium sets at most one reaction")
        key = (chat_id, message_id, user["id"])
        old = world.reactions.get(key, [])
        world.reactions[key] = list(emoji)
        payload = {
            "chat": world.api_message(state, stored)["chat"],
            "message_id": message_id,
            "user": copy.deepcopy(user),
            "date": world.now(),
            "old_reaction": [{"type": "emoji", "emoji": e} for e in old],
            "new_reaction": [{"type": "emoji", "emoji": e} for e in emoji],
        }
    return world.enqueue("message_reaction", payload)


def migrate_group(world: World, old_id: int, new_id: int) -> dict[str, Any]:
    """Upgrade a basic group to a supergroup: service messages in both chats, and from now on
    sending to the old id is 400 with ``parameters.migrate_to_chat_id``."""
    with world.lock:
        old = known_chat(world, old_id)
        if old.type != "group":
            raise AssertionError(f"chat {old_id} is a {old.type}, only a 'group' can migrate")
        chat = {"id": new_id, "type": "supergroup", "title": old.chat.get("title", "")}
        new = world.add_chat(chat)
        new.members = copy.deepcopy(old.members)
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
