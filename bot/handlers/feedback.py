"""Readers' reactions to delivered briefings: recorded per snippet for the editors (/reactions)."""

from __future__ import annotations

from telegram import ReactionTypeEmoji, Update
from telegram.ext import Application, MessageReactionHandler

from bot.telegram.context import BriefingContext


async def reaction(update: Update, context: BriefingContext) -> None:
    change = update.message_reaction
    if change is None or change.user is None:  # anonymous (a channel's) reactions arrive as counts
        return
    emoji = [r.emoji for r in change.new_reaction if isinstance(r, ReactionTypeEmoji)]
    await context.services.editorial.record_reaction(change.chat.id, change.message_id, change.user.id, emoji)


def register(application: Application) -> None:
    application.add_handler(MessageReactionHandler(reaction))
