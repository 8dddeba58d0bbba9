"""Who is asking, written once: the reader's language and the editor's check as decorators.

`@reader` hands the callback the language to answer in. `@editor` also decides who may use a
command or button: owners are `ADMIN_IDS`, editors are granted by owners; anyone else gets one
short refusal that reveals nothing, and admin commands work in private chats only (a preview
in a group would show drafts to everyone).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Concatenate

from telegram import Update
from telegram.constants import ChatType

from bot.domain.actors import Actor
from bot.presentation.reply import Reply
from bot.presentation.texts import t
from bot.services.editorial import OWNER
from bot.telegram.context import BriefingContext
from bot.telegram.people import user_language
from bot.telegram.sending.outgoing import send_reply

Handler = Callable[[Update, BriefingContext], Awaitable[None]]


def reader(callback: Callable[[Update, BriefingContext, str], Awaitable[None]]) -> Handler:
    @functools.wraps(callback)
    async def handler(update: Update, context: BriefingContext) -> None:
        await callback(update, context, user_language(update))

    return handler


def editor(
    callback: Callable[Concatenate[Update, BriefingContext, Actor, str, ...], Awaitable[None]] | None = None,
    *, owner: bool = False, refusal: str = "admin_refusal",
):
    """The callback runs only for an editor (or, with `owner`, an owner) in a private chat,
    and gets who they are (the `Actor` every change is recorded with) and their language."""

    def wrap(callback):
        @functools.wraps(callback)
        async def handler(update: Update, context: BriefingContext, *args, **kwargs) -> None:
            lang = user_language(update)
            actor = await admin_actor(update, context, owner=owner)
            if actor is None:
                if update.callback_query:
                    await update.callback_query.answer(t(lang, refusal))
                else:
                    await send_reply(update, Reply.of(t(lang, refusal)))
                return
            await callback(update, context, actor, lang, *args, **kwargs)

        return handler

    return wrap(callback) if callback is not None else wrap


async def admin_actor(update: Update, context: BriefingContext, *, owner: bool = False) -> Actor | None:
    """The editor (or owner) behind this update in a private chat, or None."""
    user = update.effective_user
    chat = update.effective_chat
    role = await context.services.editorial.role(user.id if user else None)
    if role is None or (owner and role != OWNER) or chat is None or chat.type != ChatType.PRIVATE:
        return None
    return Actor(user.id, user.full_name or str(user.id), "telegram")


async def send_all(update: Update, replies: list[Reply]) -> None:
    """Send a service's answer: each reply in turn, its keyboard under its last part."""
    for reply in replies:
        await send_reply(update, reply)
