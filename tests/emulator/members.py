"""Who belongs to a chat, with which rights, and what that lets the bot do there.

Each group, supergroup and channel keeps a :class:`Member` per user id (the bot included);
``chat_member`` renders one as the exact ``ChatMember*`` object of the Bot API. Unknown users
are ``left``. Administrators get the rights Telegram's "promote" screen grants by default
(everything except adding admins and staying anonymous) unless a test says otherwise.

``check_access`` is the Bot API server's own gate (``Client::check_chat_access`` of
tdlib/telegram-bot-api), applied before a method runs:

* basic group: a bot that was kicked or left may still *read* (getChat, getChatMember), but
  writing or editing is 403 ``bot was kicked from the group chat`` / ``bot is not a member of
  the group chat``;
* supergroup or channel: a kicked bot gets 403 ``bot was kicked from the supergroup chat`` (or
  ``channel chat``) for everything; a bot that left gets 403 ``bot is not a member of the
  supergroup chat`` (``channel chat``) for everything in a private chat, and only for writes and
  edits in a public (``@username``) one.

``check_can_send`` adds what TDLib refuses afterwards: posting in a channel without
``can_post_messages`` and writing while restricted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request, forbidden

STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
PRESENT = frozenset({"creator", "administrator", "member"})
ADMINS = frozenset({"creator", "administrator"})

#: ChatAdministratorRights fields the docs mark required, in the docs' order.
REQUIRED_RIGHTS = (
    "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
    "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
    "can_post_stories", "can_edit_stories", "can_delete_stories",
)  # fmt: skip
CHANNEL_RIGHTS = ("can_post_messages", "can_edit_messages", "can_manage_direct_messages")
GROUP_RIGHTS = ("can_pin_messages", "can_manage_topics", "can_manage_tags")
OPTIONAL_RIGHTS = CHANNEL_RIGHTS + GROUP_RIGHTS
ALL_RIGHTS = REQUIRED_RIGHTS + OPTIONAL_RIGHTS
#: ChatMemberRestricted permissions (all required there), in the docs' order.
PERMISSIONS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_react_to_messages",
    "can_edit_tag", "can_change_info", "can_invite_users", "can_pin_messages",
    "can_manage_topics",
)  # fmt: skip
#: What Telegram's promote screen grants unless the promoter unticks it.
_PROMOTION_DEFAULTS = {
    "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
    "can_manage_video_chats": True, "can_restrict_members": True, "can_promote_members": False,
    "can_change_info": True, "can_invite_users": True, "can_post_stories": True,
    "can_edit_stories": True, "can_delete_stories": True,
}  # fmt: skip
_CHANNEL_DEFAULTS = {"can_post_messages": True, "can_edit_messages": True,
                     "can_manage_direct_messages": True}  # fmt: skip
_GROUP_DEFAULTS = {"can_pin_messages": True, "can_manage_topics": True, "can_manage_tags": True}

#: The sender of messages that anonymous group administrators post "as the group".
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot",
}  # fmt: skip


@dataclass
class Member:
    """One user's standing in one chat."""

    status: str
    rights: dict[str, bool] = field(default_factory=dict)  # admin rights or permissions
    until_date: int | None = None  # kicked/restricted: 0 = forever; member: subscription end
    custom_title: str | None = None
    is_member: bool = True  # restricted users only
    can_be_edited: bool = False  # administrators only

    @property
    def present(self) -> bool:
        """In the chat right now (a restricted user counts while ``is_member``)."""
        return self.status in PRESENT or (self.status == "restricted" and self.is_member)

    @property
    def is_admin(self) -> bool:
        return self.status in ADMINS

    def right(self, name: str) -> bool:
        """An administrator right; the creator has them all."""
        if self.status == "creator":
            return name != "is_anonymous" or self.rights.get("is_anonymous", False)
        return self.status == "administrator" and bool(self.rights.get(name, False))



def rights_for(chat_type: str, given: dict[str, Any] | None = None) -> dict[str, bool]:
    """An administrator's full rights in a chat of ``chat_type``: defaults, then ``given``."""
    rights = dict(_PROMOTION_DEFAULTS)
    rights.update(_CHANNEL_DEFAULTS if chat_type == "channel" else _GROUP_DEFAULTS)
    for name, value in (given or {}).items():
        if name in ALL_RIGHTS:
            rights[name] = bool(value)
    return rights


def make_member(chat_type: str, status: str, options: dict[str, Any]) -> Member:
    """Build a Member from a test's ``set_member`` keywords; ValueError on misuse."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if status == "restricted" and chat_type != "supergroup":
        raise ValueError("only supergroups have restricted members")
    allowed = {
        "creator": {"is_anonymous", "custom_title"},
        "administrator": set(ALL_RIGHTS) | {"custom_title", "can_be_edited"},
        "member": {"until_date"},
        "restricted": set(PERMISSIONS) | {"is_member", "until_date"},
        "left": set(),
        "kicked": {"until_date"},
    }[status]
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"{status!r} members take no {', '.join(unknown)}")
    member = Member(status, custom_title=options.get("custom_title"))
    if status == "creator":
        member.rights = {"is_anonymous": bool(options.get("is_anonymous", False))}
    elif status == "administrator":
        member.rights = rights_for(chat_type, options)
        member.can_be_edited = bool(options.get("can_be_edited", False))
    elif status == "restricted":
        member.rights = {name: bool(options.get(name, False)) for name in PERMISSIONS}
        member.is_member = bool(options.get("is_member", True))
        member.until_date = int(options.get("until_date", 0))
    elif status == "kicked":
        member.until_date = int(options.get("until_date", 0))
    elif status == "member" and options.get("until_date") is not None:
        member.until_date = int(options["until_date"])
    return member


def chat_member(user: dict[str, Any], member: Member, chat_type: str) -> dict[str, Any]:
    """The ``ChatMember`` object Telegram returns for ``member`` (fields in the docs' order)."""
    result: dict[str, Any] = {"status": member.status, "user": copy.deepcopy(user)}
    if member.status == "creator":
        result["is_anonymous"] = member.rights.get("is_anonymous", False)
    elif member.status == "administrator":
        result["can_be_edited"] = member.can_be_edited
        for name in REQUIRED_RIGHTS:
            result[name] = member.rights.get(name, False)
        for name in CHANNEL_RIGHTS if chat_type == "channel" else GROUP_RIGHTS:
            result[name] = member.rights.get(name, False)
    elif member.status == "restricted":
        result["is_member"] = member.is_member
        for name in PERMISSIONS:
            result[name] = member.rights.get(name, False)
        result["until_date"] = member.until_date or 0
    elif member.status == "kicked":
        result["until_date"] = member.until_date or 0
    elif member.status == "member" and member.until_date is not None:
        result["until_date"] = member.until_date
    if member.custom_title and member.status in ADMINS:
        result["custom_title"] = member.custom_title
    return result


def _kind(state: Any) -> str:
    return {"group": "group", "supergroup": "supergroup"}.get(state.type, "channel")


def check_access(state: Any, bot: Member, access: str) -> None:
    """Refuse like the Bot API server when the bot is not (or no longer) in the chat.

    ``access`` is ``"read"`` (getChat, getChatMember...), ``"edit"`` (editMessage*) or
    ``"write"`` (send*, deleteMessage).
    """
    if state.type == "private" or bot.present:
        return
    changes = access in ("edit", "write")
    kind = _kind(state)
    if state.type == "group":
        if changes:
            raise _removed(bot, kind)
        return
    if bot.status == "kicked":
        raise forbidden(f"bot was kicked from the {kind} chat")
    if changes or not state.chat.get("username"):
        raise forbidden(f"bot is not a member of the {kind} chat")


def _removed(bot: Member, kind: str) -> ApiError:
    if bot.status == "kicked":
        return forbidden(f"bot was kicked from the {kind} chat")
    return forbidden(f"bot is not a member of the {kind} chat")


def check_can_send(state: Any, bot: Member) -> None:
    """What TDLib refuses once the bot is in the chat: channel posting rights, restrictions."""
    if state.type == "channel" and not bot.right("can_post_messages"):
        raise bad_request("need administrator rights in the channel chat")
    if bot.status == "restricted" and not bot.rights.get("can_send_messages", False):
        raise bad_request("not enough rights to send text messages to the chat")


def member_update(
    chat: dict[str, Any],
    actor: dict[str, Any],
    date: int,
    old: dict[str, Any],
    new: dict[str, Any],
) -> dict[str, Any]:
    """A ``ChatMemberUpdated`` (the payload of my_chat_member / chat_member updates)."""
    return {
        "chat": copy.deepcopy(chat),
        "from": copy.deepcopy(actor),
        "date": date,
        "old_chat_member": old,
        "new_chat_member": new,
    }
