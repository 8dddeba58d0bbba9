"""Content files and articles from admins: a file in the seed format is checked whole and
applied after Apply; an article becomes a source of drafts; `/export` sends the content back.
"""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.domain.actors import Actor
from bot.handlers.access import editor, send_all
from bot.presentation.reply import Reply
from bot.presentation.texts import t
from bot.services.web.addresses import one_link
from bot.telegram.context import BriefingContext
from bot.telegram.transport import ResponseTooLarge, response_limit


ONE_LINK = r"^\s*<?https?://\S+?>?\s*$"  # the whole message one link (addresses.one_link decides)


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
async def link(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """A message that is one http(s) link, or `/upload URL`: the page read as an article."""
    text = update.effective_message.text or ""
    if text.startswith("/"):
        text = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
    url = one_link(text)
    if url is None:
        await send_all(update, [Reply.of(t(lang, "upload_usage"))])
        return
    try:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    except TelegramError:
        pass  # only a courtesy while the page loads
    await send_all(update, await context.services.desk.upload_link(actor, lang, url))


@editor
async def export(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    for name, content, caption in await context.services.desk.export(lang):
        await context.bot.send_document(update.effective_chat.id, InputFile(content, filename=name), caption=caption)


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    application.add_handlers([
        CommandHandler("export", export, filters=new),
        CommandHandler("upload", link, filters=new & filters.ChatType.PRIVATE),
        MessageHandler(new & filters.ChatType.PRIVATE & filters.TEXT & filters.Regex(ONE_LINK), link),
        MessageHandler(new & filters.ChatType.PRIVATE & filters.Document.ALL, document),
    ])
