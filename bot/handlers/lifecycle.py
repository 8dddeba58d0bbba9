"""The bot's own membership: added, removed, blocked, promoted; groups becoming supergroups.

Removal pauses a chat's deliveries (its subscriptions are kept); coming back resumes them.
A group that is added gets a greeting with how to subscribe; a channel that is added is
registered to the administrator who added it, who gets its topic buttons in private.
"""

from __future__ import annotations

import logging

from telegram import ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ChatMemberHandler, MessageHandler, filters

from bot.telegram.context import BriefingContext
from bot.telegram.permissions import check_channel
from bot.handlers.subscriptions import connected_message
from bot.telegram.sending.outgoing import send_html
from bot.domain.chats import PAUSED
from bot.presentation.texts import language_of, t

log = logging.getLogger(__name__)

GONE = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})


def _reason(chat_type: str, status: str) -> str:
    if chat_type == ChatType.PRIVATE:
        return "blocked by the user"
    return "bot was kicked" if status == ChatMemberStatus.BANNED else "bot was removed"


async def my_chat_member(update: Update, context: BriefingContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    chat, member = change.chat, change.new_chat_member
    subscriptions = context.services.subscriptions
    was_gone = change.old_chat_member.status in GONE
    if member.status in GONE:
        if await subscriptions.set_state(chat.id, PAUSED, _reason(chat.type, member.status)) is not None:
            log.info("chat %s paused: %s", chat.id, _reason(chat.type, member.status))
        return
    if chat.type == ChatType.CHANNEL:
        await _channel_membership(update, context, member)
        return
    if await subscriptions.bot_returned(chat.id):
        log.info("chat %s resumed: the bot is back", chat.id)
    if was_gone and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        lang = language_of(change.from_user.language_code if change.from_user else None)
        await subscriptions.ensure(chat.id, chat.type, chat.title or "", lang)
        await send_html(context.bot, chat.id, t(lang, "group_greeting"))


async def _channel_membership(update: Update, context: BriefingContext, member) -> None:
    """In a channel the bot matters only as an administrator allowed to post."""
    change = update.my_chat_member
    chat = change.chat
    subscriptions = context.services.subscriptions
    can_post = isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)
    if not can_post:
        await subscriptions.set_state(chat.id, PAUSED, "no right to post in the channel")
        return
    await subscriptions.bot_returned(chat.id)
    user = change.from_user
    if user is None or user.is_bot:
        return
    if (await check_channel(context.bot, chat.id, user.id)).problem:
        return
    lang = language_of(user.language_code)
    settings = await subscriptions.ensure(chat.id, "channel", chat.title or "", lang, registered_by=user.id)
    text, markup = connected_message(context.services.catalogue, settings, lang)
    try:
        await send_html(context.bot, user.id, text, markup)
    except TelegramError:  # they never opened a chat with the bot: /channel will find it later
        log.info("channel %s connected by %s, who has no private chat with the bot", chat.id, user.id)


async def group_migrated(update: Update, context: BriefingContext) -> None:
    """The service messages of a group's upgrade: both carry the pair of ids."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    if await context.services.subscriptions.migrate(old, new):
        log.info("group %s became supergroup %s; subscriptions moved", old, new)


def register(application: Application) -> None:
    application.add_handlers(
        [
            ChatMemberHandler(my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
            MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated),
        ]
    )
