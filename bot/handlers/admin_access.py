"""What the admin handlers share: who may use them, and the few pieces of UI they all use.

Owners are `ADMIN_IDS`; editors are granted by owners. Anyone else gets one short refusal that
reveals nothing. Admin commands work in private chats only (a preview in a group would show
drafts to everyone).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.presentation.reply import Reply
from bot.services.editorial import OWNER, EditError
from bot.presentation.html import split_html
from bot.domain.validation import ContentError
from bot.telegram.context import BriefingContext
from bot.telegram.people import user_language
from bot.telegram.sending.outgoing import send_reply
from bot.domain.actors import Actor
from bot.presentation.texts import t

CALLBACK = "ed"  # prefix of every admin button's callback data


async def say(update: Update, text: str, keyboard: dict | None = None) -> None:
    await send_reply(update, Reply(tuple(split_html(text))), keyboard)


async def admin_actor(update: Update, context: BriefingContext, *, owner: bool = False) -> Actor | None:
    """The editor (or owner) behind this update, or None after the standard refusal."""
    user = update.effective_user
    chat = update.effective_chat
    role = await context.services.editorial.role(user.id if user else None)
    if role is None or (owner and role != OWNER) or chat is None or chat.type != ChatType.PRIVATE:
        if update.callback_query:
            await update.callback_query.answer(t(user_language(update), "admin_refusal"))
        else:
            await say(update, t(user_language(update), "admin_refusal"))
        return None
    return Actor(user.id, user.full_name or str(user.id), "telegram")


def keyboard(*rows: list[tuple[str, str]]) -> dict:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    ).to_dict()


def confirm_buttons(lang: str, token: str) -> dict:
    return keyboard([(t(lang, "btn_apply"), f"{CALLBACK}:ap:{token}"), (t(lang, "btn_cancel"), f"{CALLBACK}:cx:{token}")])


async def refuse(update: Update, exc: EditError | ContentError) -> None:
    lang = user_language(update)
    if isinstance(exc, EditError):
        await say(update, t(lang, exc.key, **exc.values))
    else:
        await say(update, t(lang, "reload_failed", error=str(exc)[:3000]))
