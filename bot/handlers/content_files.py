"""Content files and articles from admins: a file in the seed format is checked whole and
applied after Apply; an article becomes a source of drafts; `/export` sends the content back.
"""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.domain.actors import Actor
from bot.handlers.access import editor, send_all
from bot.presentation.reply import Reply
from bot.presentation.texts import t
from bot.telegram.context import BriefingContext
from bot.telegram.transport import ResponseTooLarge, response_limit


@editor
async def document(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """A content file (checked whole, then Apply/Cancel) or an article (turned into drafts)."""
    document = update.effective_message.document
    name = document.file_name or "upload"
    desk = context.services.desk
    refused = desk.refuse_before_download(lang, name, document.file_size)
    if refused:
        await send_all(update, refused)
        return
    try:
        with response_limit(desk.MAX_FILE_BYTES):  # whatever size Telegram declared, read no more
            data = bytes(await (await document.get_file()).download_as_bytearray())
    except ResponseTooLarge as exc:
        await send_all(update, [Reply.of(t(lang, "import_refused", error=f"{name}: too large ({exc.message}; at most "
                                                                         f"{desk.MAX_FILE_BYTES:,})"))])
        return
    except TelegramError as exc:  # the download failed (too big for the Bot API, gone)
        await send_all(update, [Reply.of(t(lang, "import_refused", error=f"{name}: {exc.message}"))])
        return
    await send_all(update, await desk.upload(actor, lang, name, data))


@editor
async def export(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    for name, content, caption in await context.services.desk.export(lang):
        await context.bot.send_document(update.effective_chat.id, InputFile(content, filename=name), caption=caption)


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    application.add_handlers([
        CommandHandler("export", export, filters=new),
        MessageHandler(new & filters.ChatType.PRIVATE & filters.Document.ALL, document),
    ])
