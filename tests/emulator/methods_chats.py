"""Who is in a chat: getChatMember, getChatAdministrators and getChatMemberCount.

All three read the chat, so they pass the server's membership gate with read access (see
``members.check_access``): a bot removed from a private supergroup or channel gets 403, a public
one stays readable. Users the emulator has never heard of are ``user not found`` (Telegram's
answer for a user who never contacted the bot); known users the chat never saw are ``left``.
"""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .members import chat_member
from .state import World


def get_chat_member(world: World, params: dict[str, Any]) -> dict[str, Any]:
    user_id = params["user_id"]
    with world.lock:
        state = world.chat_for(params["chat_id"], "read")
        if user_id <= 0:
            raise bad_request("invalid user_id specified")
        if user_id != world.bot_id and user_id not in world.users:
            raise bad_request("user not found")
        return chat_member(world.user_object(user_id), world.member(state, user_id), state.type)


def get_chat_administrators(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The creator first, then administrators; other bots only with ``return_bots``."""
    with world.lock:
        state = world.chat_for(params["chat_id"], "read")
        if state.type == "private":
            raise bad_request("there are no administrators in the private chat")
        admins = sorted(
            (user_id for user_id, member in state.members.items() if member.is_admin),
            key=lambda user_id: state.members[user_id].status != "creator",
        )
        result = []
        for user_id in admins:
            user = world.user_object(user_id)
            if user.get("is_bot") and user_id != world.bot_id and not params.get("return_bots"):
                continue
            result.append(chat_member(user, state.members[user_id], state.type))
        return result


def get_chat_member_count(world: World, params: dict[str, Any]) -> int:
    with world.lock:
        state = world.chat_for(params["chat_id"], "read")
        if state.type == "private":
            return 2
        return sum(1 for member in state.members.values() if member.present)


HANDLERS = {
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "getChatMemberCount": get_chat_member_count,
}
