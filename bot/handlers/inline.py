"""Inline mode: `@bot энергетика` in any chat offers briefings to send there."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, InlineQueryHandler

from bot.telegram.context import BriefingContext
from bot.presentation.texts import language_of

# Results depend on the content (which changes rarely) and on the user's language, hence
# personal results with a five-minute cache.
CACHE_SECONDS = 300


async def inline_query(update: Update, context: BriefingContext) -> None:
    query = update.inline_query
    if query is None:
        return
    lang = language_of(query.from_user.language_code if query.from_user else None)
    items = await context.services.briefings.inline_items(query.query[:256], lang)
    results = [
        InlineQueryResultArticle(
            id=item.id,
            title=item.title,
            description=item.description[:200] or None,
            input_message_content=InputTextMessageContent(
                item.text, parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        for item in items
    ]
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)


def register(application: Application) -> None:
    application.add_handler(InlineQueryHandler(inline_query))
