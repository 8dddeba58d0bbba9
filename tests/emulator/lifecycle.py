"""What users do to chats themselves: memberships, adding and removing the bot, blocking it,
opening forum topics.

Every change of the *bot's* own standing produces the ``my_chat_member`` update Telegram sends
(a ``ChatMemberUpdated`` with the bot's old and new ChatMember); other users' changes are
silent (``chat_member`` updates are opt-in on Telegram and the emulator does not make them).
Test misuse - removing a bot that is not there, a topic in a chat that is not a forum - is an
AssertionError, since Telegram would not have let it happen.
"""

from __future__ import annotations

import copy
from typing import Any

from .incoming import add_user_message, known_chat
from .members import Member, chat_member, make_member, member_update, rights_for
from .models import ChatState
from .state import World

#: Who acts when a test does not say and the chat has no known creator.
GENERIC_ADMIN = {"id": 900000001, "is_bot": False, "first_name": "Chat Admin"}
#: One of the six colours Telegram allows for topic icons (0x6FB9F0).
TOPIC_ICON_COLOR = 7322096


def creator_or_admin(world: World, state: ChatState) -> dict[str, Any]:
    """The chat's creator if the emulator knows one, else a generic administrator."""
    for user_id, member in state.members.items():
        if member.status == "creator" and user_id in world.users:
            return world.users[user_id]
    world.remember_user(copy.deepcopy(GENERIC_ADMIN))
    return GENERIC_ADMIN


def _group_or_channel(world: World, chat_id: int) -> ChatState:
    state = known_chat(world, chat_id)
    if state.type == "private":
        raise AssertionError(f"chat {chat_id} is private: use block_bot for private chats")
    return state


def set_member(
    world: World, chat_id: int, user: dict[str, Any], status: str, options: dict[str, Any]
) -> None:
    """Record ``user``'s status (and rights) in a group or channel, without any update."""
    with world.lock:
        state = _group_or_channel(world, chat_id)
        if user["id"] == world.bot_id:
            plain = status in ("member", "restricted")
            if status == "creator" or (state.type == "channel" and plain):
                raise ValueError(f"the bot cannot be {status!r} in a {state.type}")
        else:
            world.remember_user(user)
        state.members[user["id"]] = make_member(state.type, status, options)
    world.signal.notify()


def change_bot(
    world: World, state: ChatState, new: Member, actor: dict[str, Any]
) -> dict[str, Any]:
    """Set the bot's membership; returns the ChatMemberUpdated payload (caller enqueues)."""
    old = world.bot_member(state)
    if (old.status, old.rights) == (new.status, new.rights):
        raise AssertionError(f"the bot is already {old.status!r} in chat {state.id}")
    state.members[world.bot_id] = new
    bot = world.bot_sender
    return member_update(
        state.chat, actor, world.now(),
        chat_member(bot, old, state.type), chat_member(bot, new, state.type),
    )  # fmt: skip


def remove_bot(
    world: World, chat_id: int, by_user: dict[str, Any] | None, kicked: bool, notify: bool
) -> dict[str, Any] | None:
    """The bot leaves (``left``) or is banned (``kicked``, until_date 0) from a chat."""
    with world.lock:
        state = _group_or_channel(world, chat_id)
        if by_user is not None:
            world.remember_user(by_user)
        actor = by_user or creator_or_admin(world, state)
        new = Member("kicked", until_date=0) if kicked else Member("left")
        payload = change_bot(world, state, new, actor)
    world.signal.notify()
    return world.enqueue("my_chat_member", payload) if notify else None


def add_bot(
    world: World,
    chat: dict[str, Any],
    by_user: dict[str, Any],
    as_admin: bool,
    can_post_messages: bool,
    notify: bool,
) -> dict[str, Any] | None:
    """``by_user`` adds the bot to ``chat`` (created, with them as its creator, if new).

    In a channel the bot is always an administrator; elsewhere a member unless ``as_admin``.
    """
    if chat.get("type") not in ("group", "supergroup", "channel"):
        raise AssertionError("add_bot takes a group, supergroup or channel Chat")
    with world.lock:
        world.remember_user(by_user)
        created = chat["id"] not in world.chats
        state = world.add_chat(copy.deepcopy(chat))
        if created:
            state.members[by_user["id"]] = Member("creator", rights={"is_anonymous": False})
        if state.type == "channel":
            rights = rights_for("channel", {"can_post_messages": can_post_messages})
            new = Member("administrator", rights=rights)
        elif as_admin:
            new = Member("administrator", rights=rights_for(state.type))
        else:
            new = Member("member")
        payload = change_bot(world, state, new, by_user)
    world.signal.notify()
    return world.enqueue("my_chat_member", payload) if notify else None


def block_bot(
    world: World, user: dict[str, Any], blocked: bool, notify: bool
) -> dict[str, Any] | None:
    """The user blocks (member -> kicked) or unblocks (kicked -> member) the bot."""
    with world.lock:
        state = world.private_chat(user)
        if state.blocked == blocked:
            return None
        old = world.bot_member(state)
        state.blocked = blocked
        new = world.bot_member(state)
        bot = world.bot_sender
        payload = member_update(
            state.chat, user, world.now(),
            chat_member(bot, old, "private"), chat_member(bot, new, "private"),
        )  # fmt: skip
    world.signal.notify()
    return world.enqueue("my_chat_member", payload) if notify else None


def create_topic(
    world: World, chat_id: int, name: str, by_user: dict[str, Any] | None
) -> int:
    """Open a forum topic; its ``forum_topic_created`` service message (whose id is the
    topic's message_thread_id) is delivered like any group message."""
    if not 1 <= len(name) <= 128:
        raise AssertionError("a topic name has 1-128 characters")
    with world.lock:
        state = known_chat(world, chat_id)
        if state.type != "supergroup" or not state.chat.get("is_forum"):
            raise AssertionError(f"chat {chat_id} is not a forum: make_group(..., is_forum=True)")
        if by_user is not None:
            world.remember_user(by_user)
        actor = by_user or creator_or_admin(world, state)
        thread_id = state.new_message_id()
        state.topics[thread_id] = name
        stored = add_user_message(
            world, state, actor, message_id=thread_id, message_thread_id=thread_id, is_topic_message=True,
            service={"forum_topic_created": {"name": name, "icon_color": TOPIC_ICON_COLOR}},
        )
        message = world.api_message(state, stored)
        visible = world.bot_member(state).present
    if visible:
        world.enqueue("message", message)
    else:
        world.signal.notify()
    return thread_id
