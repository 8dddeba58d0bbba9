"""Who may change a chat's subscriptions, asked of Telegram at the moment of asking.

Nothing is cached: someone demoted a minute ago is no longer an administrator. A failed
check (the chat is gone, the bot was removed) counts as "no".
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, Chat, ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})


async def is_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in ADMIN_STATUSES


async def sender_is_admin(update: Update, bot: Bot) -> bool:
    """The author of this message administers its chat (always true in a private chat).

    An anonymous administrator posts as the group itself (`sender_chat` is the chat); a post
    from a linked channel or another chat carries that chat instead and is not an admin."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    user = update.effective_user
    return user is not None and await is_admin(bot, chat.id, user.id)


async def bot_can_post(bot: Bot, chat_id: int) -> bool:
    """In a channel, only an administrator with the right to post can."""
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except TelegramError:
        return False
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)


@dataclass(frozen=True)
class ChannelCheck:
    chat: Chat | None
    problem: str | None  # a text key explaining the refusal


async def check_channel(bot: Bot, reference: int | str, user_id: int) -> ChannelCheck:
    """May this user connect/manage this channel here? Both sides are checked: the bot must be
    able to post there, and the user must be one of the channel's administrators."""
    try:
        chat = await bot.get_chat(reference)
    except TelegramError:
        return ChannelCheck(None, "channel_not_found")
    if chat.type != ChatType.CHANNEL:
        return ChannelCheck(chat, "channel_not_channel")
    if not await is_admin(bot, chat.id, user_id):  # first: only its admins learn more of it
        return ChannelCheck(chat, "channel_user_not_admin")
    if not await bot_can_post(bot, chat.id):
        return ChannelCheck(chat, "channel_bot_cannot_post")
    return ChannelCheck(chat, None)
