"""Sending HTML messages, with as little work per message as the Bot API allows.

`Bot.send_message` builds a `Message` object from Telegram's answer (entities, keyboard and
all) and serialises the keyboard object again for every call; under load that is a third of
the bot's time per reply. Replies here go through `do_api_request` with a keyboard that was
serialised once, and come back as plain dicts. They still pass through the Application's rate
limiter and python-telegram-bot's error mapping.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot, InputFile, Update
from telegram.error import BadRequest
from telegram.warnings import PTBUserWarning

from bot.presentation.reply import Markup, Reply

# do_api_request("sendMessage") suggests send_message (and likewise for edits); that is exactly
# what we chose not to use.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.\w+'", category=PTBUserWarning)

NO_PREVIEW = {"is_disabled": True}


def preview_of(link: str | None) -> dict[str, Any]:
    """A card's link preview: its original source, under the text, its picture small (the
    briefing is what the reader came for; the preview says where it comes from). No link: none."""
    return {"url": link, "prefer_small_media": True} if link else NO_PREVIEW


async def send_html(
    bot: Bot,
    chat_id: int | str,
    text: str,
    keyboard: dict[str, Any] | None = None,
    thread_id: int | None = None,
    preview: dict[str, Any] = NO_PREVIEW,
) -> dict[str, Any]:
    """Send one HTML message (no link preview unless one is given); returns Telegram's Message
    as a dict."""
    params: dict[str, Any] = {
        "chat_id": chat_id,
        "text": text,
        "parse_mode": "HTML",
        "link_preview_options": preview,
    }
    if keyboard is not None:
        params["reply_markup"] = keyboard
    if thread_id is not None:
        params["message_thread_id"] = thread_id
    return await bot.do_api_request("sendMessage", api_kwargs=params)


def _thread_of(update: Update) -> int | None:
    """The forum thread the update came from: the answer goes there too."""
    message = update.effective_message
    return message.message_thread_id if message and message.is_topic_message else None


async def send_reply(update: Update, reply: Reply, keyboard: Markup | None = None) -> list[dict]:
    """Send every part into the chat (and forum thread) the update came from; the keyboard
    (given here, or the reply's own) goes under the last part, the card's link preview with the
    first."""
    chat = update.effective_chat
    if chat is None:
        return []
    thread_id = _thread_of(update)
    keyboard = keyboard if keyboard is not None else reply.keyboard
    sent = []
    for index, part in enumerate(reply.parts):
        last = index == len(reply.parts) - 1
        preview = preview_of(reply.link) if index == 0 else NO_PREVIEW
        sent.append(await send_html(chat.get_bot(), chat.id, part, keyboard if last else None, thread_id, preview))
    return sent


async def edit_or_send(update: Update, reply: Reply, keyboard: Markup | None = None) -> None:
    """A button's answer in place of the message the button is under, where that is a message
    of one part this bot sent; otherwise (a long answer, an inline message, an edit Telegram
    refuses) as new messages."""
    query = update.callback_query
    message = query.message if query else None
    keyboard = keyboard if keyboard is not None else reply.keyboard
    if message is not None and len(reply.parts) == 1 and getattr(message, "text", None) is not None:
        params: dict[str, Any] = {
            "chat_id": message.chat.id, "message_id": message.message_id, "text": reply.parts[0],
            "parse_mode": "HTML", "link_preview_options": preview_of(reply.link),
        }  # fmt: skip
        if keyboard is not None:
            params["reply_markup"] = keyboard
        try:
            await update.get_bot().do_api_request("editMessageText", api_kwargs=params)
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return  # the same view pressed again: nothing to change
    await send_reply(update, reply, keyboard)


async def send_chart(update: Update, png: bytes, caption: str, file_id: str | None, keyboard: Markup | None) -> str | None:
    """A chart as a photo with its caption (by file_id when Telegram already has it); returns
    the file_id Telegram gave it, to send it again without an upload."""
    chat = update.effective_chat
    if chat is None:
        return None
    thread_id = _thread_of(update)
    photo = file_id or InputFile(png, filename="figures.png")
    sent = await chat.get_bot().send_photo(
        chat.id, photo, caption=caption, parse_mode="HTML", reply_markup=keyboard, message_thread_id=thread_id,
    )
    return sent.photo[-1].file_id if sent.photo else None
