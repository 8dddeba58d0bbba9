"""`/desk`: the editor's desk, a Mini App, opened from a button in the editor's private chat.

An editor gets a message with a `web_app` button, and their private chat's menu button opens
the desk too (set per chat, so readers see neither). In a group the editor is told to ask in a
private chat: Telegram allows `web_app` inline buttons only there. An editor who is later
revoked keeps the menu button until Telegram forgets it, but the desk refuses them at once
(it asks for the role at every call).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, Update, WebAppInfo
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, filters

from bot.handlers.access import reader
from bot.presentation.reply import Reply
from bot.presentation.texts import t
from bot.telegram.context import BriefingContext
from bot.telegram.sending.outgoing import send_reply

log = logging.getLogger(__name__)


def desk_keyboard(lang: str, url: str) -> dict:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "desk_button"), web_app=WebAppInfo(url))]]).to_dict()


@reader
async def desk(update: Update, context: BriefingContext, lang: str) -> None:
    user, chat = update.effective_user, update.effective_chat
    if await context.services.editorial.role(user.id if user else None) is None:
        await send_reply(update, Reply.of(t(lang, "admin_refusal")))
        return
    if chat is None or chat.type != ChatType.PRIVATE:
        await send_reply(update, Reply.of(t(lang, "desk_private_only")))
        return
    url = context.services.settings.desk_url
    if not url:
        await send_reply(update, Reply.of(t(lang, "desk_not_configured")))
        return
    await send_reply(update, Reply.of(t(lang, "desk_open"), desk_keyboard(lang, url)))
    try:
        await context.bot.set_chat_menu_button(chat.id, MenuButtonWebApp(t(lang, "desk_button"), WebAppInfo(url)))
    except TelegramError as exc:  # the button in the message works without it
        log.warning("could not set the desk's menu button in chat %s: %s", chat.id, exc)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("desk", desk, filters=filters.UpdateType.MESSAGE))
