"""Commands for the bot's owners (`ADMIN_IDS`). Anyone else learns only that it is not for them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.presentation.reply import Reply
from bot.presentation.html import escape
from bot.telegram.context import BriefingContext
from bot.telegram.people import user_language
from bot.telegram.sending.outgoing import send_reply
from bot.domain.chats import PAUSED
from bot.presentation.texts import t


def is_owner(update: Update, context: BriefingContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admin_ids


async def deliveries(update: Update, context: BriefingContext) -> None:
    """Pending, sent, failed by reason, and the rate of the last minute."""
    lang = user_language(update)
    if not is_owner(update, context):
        await send_reply(update, Reply((t(lang, "admins_only"),)))
        return
    stats = await context.services.outbox.stats()
    subscribers = await context.services.chats.subscriber_counts()
    states = await context.services.chats.state_counts()
    lines = [
        t(lang, "deliveries_title"),
        t(lang, "deliveries_body", pending=stats.pending, due=stats.due_now, sent=stats.sent,
          rate=f"{stats.rate_per_second:.1f}", subscribers=sum(subscribers.values()),
          paused=states.get(PAUSED, 0)),
        "",
    ]  # fmt: skip
    if stats.failed:
        lines.append(t(lang, "deliveries_failed"))
        lines += [f"• {escape(reason or '—')}: {count}" for reason, count in list(stats.failed.items())[:15]]
    else:
        lines.append(t(lang, "deliveries_no_failures"))
    await send_reply(update, Reply(("\n".join(lines),)))


def register(application: Application) -> None:
    application.add_handler(
        CommandHandler("deliveries", deliveries, filters=filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE)
    )
