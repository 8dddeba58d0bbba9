"""Commands for the bot's owners (`ADMIN_IDS`). Anyone else learns only that it is not for them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.actors import Actor
from bot.handlers.access import editor, send_all
from bot.telegram.context import BriefingContext


@editor(owner=True, refusal="admins_only")
async def deliveries(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """Pending, sent, failed by reason, and the rate of the last minute."""
    await send_all(update, [await context.services.delivery.report(lang)])


def register(application: Application) -> None:
    application.add_handler(
        CommandHandler("deliveries", deliveries, filters=filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE)
    )
