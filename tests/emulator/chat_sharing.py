"""A user taps a ``request_chat`` keyboard button and picks a group or channel.

Telegram's client only offers chats that fit the button (``chat_is_channel``, ``chat_is_forum``,
``chat_has_username``, ``chat_is_created``, ``user_administrator_rights``, ``bot_is_member``),
so with ``check`` a pick the client would not have offered is an AssertionError. When the button
asks for ``bot_administrator_rights`` the bot lacks, the client promotes the bot first: the
``my_chat_member`` update comes before the ``chat_shared`` service message.
"""

from __future__ import annotations

from typing import Any

from .incoming import add_user_message, known_chat
from .keyboards import request_chat_buttons
from .lifecycle import change_bot
from .members import ALL_RIGHTS, Member, rights_for
from .models import ChatState
from .state import World


def current_request_chat_buttons(state: ChatState) -> dict[int, dict[str, Any]]:
    """The request_chat buttons of the reply keyboard the user sees now (the latest one the
    bot sent, unless a ReplyKeyboardRemove came after it)."""
    for message in reversed(state.messages):
        markup = message.reply_markup
        if message.sender != "bot" or message.deleted or not markup:
            continue
        if "keyboard" in markup:
            return request_chat_buttons(markup)
        if "remove_keyboard" in markup:
            return {}
    return {}


def _wanted(rights: dict[str, Any] | None) -> list[str]:
    return [name for name, value in (rights or {}).items() if value and name in ALL_RIGHTS]


def _has(member: Member, rights: list[str]) -> bool:
    return member.is_admin and all(
        member.right(name) for name in rights if name != "is_anonymous"
    )


def _check_pick(world: World, target: ChatState, user: dict[str, Any], spec: dict) -> None:
    def refuse(reason: str) -> AssertionError:
        return AssertionError(
            f"the client would not offer chat {target.id} for request_id "
            f"{spec['request_id']}: {reason}"
        )

    is_channel = target.type == "channel"
    if spec["chat_is_channel"] != is_channel:
        raise refuse(f"it is a {target.type}, chat_is_channel is {spec['chat_is_channel']}")
    if "chat_is_forum" in spec and spec["chat_is_forum"] != bool(target.chat.get("is_forum")):
        raise refuse(f"chat_is_forum is {spec['chat_is_forum']}")
    if "chat_has_username" in spec and spec["chat_has_username"] != bool(
        target.chat.get("username")
    ):
        raise refuse(f"chat_has_username is {spec['chat_has_username']}")
    member = world.member(target, user["id"])
    if spec.get("chat_is_created") and member.status != "creator":
        raise refuse(f"the user is {member.status!r}, not its creator")
    if spec.get("user_administrator_rights") is not None and not _has(
        member, _wanted(spec["user_administrator_rights"])
    ):
        raise refuse(f"the user ({member.status!r}) lacks user_administrator_rights")
    bot = world.bot_member(target)
    if spec.get("bot_is_member") and not bot.present:
        raise refuse(f"bot_is_member, but the bot is {bot.status!r}")
    bot_rights = spec.get("bot_administrator_rights")
    if bot_rights is not None and not _has(bot, _wanted(bot_rights)):
        if not (member.status == "creator" or member.right("can_promote_members")):
            raise refuse("the bot needs promoting and the user may not promote members")


def share_chat(
    world: World, user: dict[str, Any], request_id: int, chat_id: int, check: bool
) -> dict[str, Any]:
    """Queue the chat_shared message (after a my_chat_member if the bot gets promoted)."""
    with world.lock:
        private = world.private_chat(user)
        target = known_chat(world, chat_id)
        if target.type == "private":
            raise AssertionError("request_chat shares groups, supergroups and channels only")
        spec = current_request_chat_buttons(private).get(request_id)
        if check:
            if spec is None:
                raise AssertionError(
                    f"the user's current reply keyboard has no request_chat button with "
                    f"request_id {request_id}"
                )
            _check_pick(world, target, user, spec)
        spec = spec or {"request_id": request_id, "chat_is_channel": target.type == "channel"}

        promotion = None
        wanted = _wanted(spec.get("bot_administrator_rights"))
        bot = world.bot_member(target)
        if spec.get("bot_administrator_rights") is not None and not _has(bot, wanted):
            granted = {name: False for name in ALL_RIGHTS}
            if bot.status == "administrator":
                granted.update(bot.rights)
            granted.update({name: True for name in wanted})
            granted["can_manage_chat"] = True  # implied by any other right
            promoted = Member("administrator", rights=rights_for(target.type, granted))
            promotion = change_bot(world, target, promoted, user)

        shared: dict[str, Any] = {"request_id": request_id, "chat_id": target.id}
        if spec.get("request_title") and target.chat.get("title"):
            shared["title"] = target.chat["title"]
        if spec.get("request_username") and target.chat.get("username"):
            shared["username"] = target.chat["username"]
        stored = add_user_message(world, private, user, service={"chat_shared": shared})
        message = world.api_message(private, stored)
    if promotion is not None:
        world.enqueue("my_chat_member", promotion)
    return world.enqueue("message", message)
