"""Content files and articles from admins: a file in the seed format is checked whole and
applied after Apply; an article becomes a source of drafts; `/export` sends the content back.
"""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.services import importing
from bot.domain.validation import ContentError
from bot.telegram.context import BriefingContext
from bot.handlers.admin_access import admin_actor, confirm_buttons, say
from bot.telegram.people import user_language
from bot.domain.actors import Actor
from bot.presentation.texts import t


async def document(update: Update, context: BriefingContext) -> None:
    """A content file (checked whole, then Apply/Cancel) or an article (turned into drafts)."""
    actor = await admin_actor(update, context)
    if actor is None:
        return
    lang = user_language(update)
    document = update.effective_message.document
    name = document.file_name or "upload"
    services = context.services
    try:
        importing.kind_of(name, document.file_size)  # refuse before downloading
        data = bytes(await (await document.get_file()).download_as_bytearray())
        upload = await _read(services, data, name)
        report = await services.intake.apply(upload, actor, dry_run=True)
    except ContentError as exc:
        await say(update, t(lang, "import_refused", error=str(exc)[:3000]))
        return
    except TelegramError as exc:  # the download failed (too big for the Bot API, gone)
        await say(update, t(lang, "import_refused", error=f"{name}: {exc.message}"))
        return
    if not report.changed_anything:
        await say(update, t(lang, "import_nothing", name=name))
        return
    token = await services.editorial.repository.put_pending(
        actor.id, "file", {"name": name, "data": data.decode("utf-8-sig")}
    )
    if upload.drafts:
        snippets = upload.item.content.snippets
        topics = ", ".join(sorted({snippet.topic for snippet in snippets}))
        text = t(lang, "ingest_summary", title=upload.item.content.source.title, count=len(snippets),
                 topics=topics, figures=sum(len(snippet.figures) for snippet in snippets))  # fmt: skip
    else:
        text = t(lang, "import_summary", name=name, **importing.describe(report))
    await say(update, text, confirm_buttons(lang, token))


async def _read(services, data: bytes, name: str) -> importing.Upload:
    return await services.intake.read(data, name)


async def apply_file(update: Update, context: BriefingContext, actor: Actor, payload: dict) -> None:
    """Apply: the file is checked again (content may have changed since the summary)."""
    lang = user_language(update)
    services = context.services
    try:
        upload = await _read(services, payload["data"].encode(), payload["name"])
        report = await services.intake.apply(upload, actor)
    except ContentError as exc:
        await say(update, t(lang, "import_refused", error=str(exc)[:3000]))
        return
    if upload.drafts:
        message = t(lang, "ingest_applied", count=len(report.added) + len(report.changed))
    else:
        message = t(lang, "import_applied", name=payload["name"], added=len(report.added),
                    changed=len(report.changed), retired=len(report.retired))  # fmt: skip
    await say(update, message)


async def export(update: Update, context: BriefingContext) -> None:
    actor = await admin_actor(update, context)
    if actor is None:
        return
    lang = user_language(update)
    services = context.services
    for name, text in await importing.export_documents(services.content, services.settings.seeds_dir):
        await context.bot.send_document(
            update.effective_chat.id, InputFile(text.encode(), filename=name),
            caption=t(lang, "export_caption", name=name),
        )


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    application.add_handlers([
        CommandHandler("export", export, filters=new),
        MessageHandler(new & filters.ChatType.PRIVATE & filters.Document.ALL, document),
    ])
