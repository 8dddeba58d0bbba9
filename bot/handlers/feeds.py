"""`/feed add URL`, `/feed list`, `/feed remove N`: the feeds whose new items become drafts."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.actors import Actor
from bot.handlers.access import editor, send_all
from bot.presentation.reply import Reply
from bot.presentation.texts import t
from bot.services.web.addresses import one_link
from bot.telegram.context import BriefingContext


@editor
async def feed(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    args = context.args or []
    feeds = context.services.feeds
    action = args[0].lower() if args else ""
    if feeds is not None and action == "add" and len(args) == 2 and (url := one_link(args[1])):
        await send_all(update, await feeds.add(actor, lang, url))
    elif feeds is not None and action == "list" and len(args) == 1:
        await send_all(update, await feeds.list(lang))
    elif feeds is not None and action == "remove" and len(args) == 2 and args[1].isdigit() and len(args[1]) < 12:
        await send_all(update, await feeds.remove(lang, int(args[1])))
    else:
        await send_all(update, [Reply.of(t(lang, "feed_usage"))])


def register(application: Application) -> None:
    application.add_handler(CommandHandler("feed", feed, filters=filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE))
