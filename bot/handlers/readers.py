"""Commands and buttons for readers. Each callback reads the update, asks `Briefings` for a
reply and sends it; nothing here knows how content is stored or rendered."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.presentation.reply import Reply
from bot.domain.models import Topic
from bot.handlers.access import reader
from bot.telegram.context import BriefingContext
from bot.presentation import keyboards
from bot.presentation.reply import Markup
from bot.telegram.sending.outgoing import edit_or_send, send_chart, send_reply
from bot.presentation.texts import t


async def related_keyboard(
    context: BriefingContext, topic: Topic, lang: str, showing: str = keyboards.BRIEFING,
    page: tuple[int, int] | None = None, copy: str | None = None,
) -> Markup:
    """The buttons under a topic's reply; no "figures" button where there are none; the
    summary and each snippet where the topic has several; the copy button of the quote shown."""
    with_figures = await context.services.briefings.has_figures(topic)
    return context.keyboards.related(topic, lang, showing, with_figures, page, copy)


def command_args(context: BriefingContext) -> str:
    return " ".join(context.args or []).strip()


@reader
async def start(update: Update, context: BriefingContext, lang: str) -> None:
    """`/start` and deep links: `t.me/<bot>?start=energy` opens that topic."""
    briefings = context.services.briefings
    topic = context.services.catalogue.find(command_args(context)) if context.args else None
    if topic:
        reply = await briefings.topic(topic, lang)
        await send_reply(update, reply, await related_keyboard(context, topic, lang, page=reply.page, copy=reply.copy))
        return
    await send_reply(
        update, Reply((t(lang, "welcome"),)), context.keyboards.topic_menu(lang)
    )


@reader
async def help_command(update: Update, context: BriefingContext, lang: str) -> None:
    """Everyone gets the same help; editors and owners (in private) also see their commands."""
    reply = context.services.briefings.help(lang)
    user, chat = update.effective_user, update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        role = await context.services.editorial.role(user.id if user else None)
        if role is not None:
            extra = t(lang, "editor_help") + (t(lang, "owner_help") if role == "owner" else "")
            reply = Reply((*reply.parts, extra))
    await send_reply(update, reply)


@reader
async def topics_command(update: Update, context: BriefingContext, lang: str) -> None:
    briefings = context.services.briefings
    await send_reply(update, briefings.topics(lang), context.keyboards.topic_menu(lang))


@reader
async def topic_command(update: Update, context: BriefingContext, lang: str) -> None:
    """One handler for every topic command: the command's name picks the topic."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0]
    topic = context.services.catalogue.by_command(command)
    if topic is None:
        return
    reply = await context.services.briefings.topic(topic, lang)
    await send_reply(update, reply, await related_keyboard(context, topic, lang, page=reply.page, copy=reply.copy))


async def _topic_from_args(update: Update, context: BriefingContext, lang: str):
    """(found, topic): no argument is (True, None); an unknown name answers and is (False, None)."""
    name = command_args(context)
    if not name:
        return True, None
    catalogue = context.services.catalogue
    topic = catalogue.find(name)
    if topic is None:
        names = ", ".join(topic.command for topic in catalogue)
        await send_reply(update, Reply((t(lang, "unknown_topic", name=name[:40], topics=names),)))
        return False, None
    return True, topic


def reader_of(update: Update) -> int | None:
    """Whose turn a quote is: the user's, or the chat's where no user sends (a channel)."""
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat else None


async def topic_view(briefings, action: str, topic: Topic | None, lang: str, reader: int | None = None) -> Reply:
    """A topic's briefing, figures or a quote (the `reader`'s next): what buttons and
    /figures, /quote show."""
    if action == keyboards.FIGURES:
        return await briefings.figures(lang, topic)
    if action == keyboards.QUOTE:
        return await briefings.quote(lang, topic, reader)
    return await briefings.topic(topic, lang)


async def view_command(update: Update, context: BriefingContext, action: str, lang: str) -> None:
    """`/figures [topic]` and `/quote [topic]`: without a topic, across all topics."""
    found, topic = await _topic_from_args(update, context, lang)
    if not found:
        return
    if action == keyboards.FIGURES and topic is not None and await send_figures_chart(update, context, topic, lang):
        return
    reply = await topic_view(context.services.briefings, action, topic, lang, reader_of(update))
    keyboard = await related_keyboard(context, reply.topic, lang, action, copy=reply.copy) if reply.topic else None
    await send_reply(update, reply, keyboard)


async def send_figures_chart(update: Update, context: BriefingContext, topic: Topic, lang: str) -> bool:
    """A topic's figures as a chart with the numbers in its caption; False where there is no
    chart to show (the figures then go as text)."""
    briefings = context.services.briefings
    chart = await briefings.chart(lang, topic)
    if chart is None:
        return False
    keyboard = await related_keyboard(context, topic, lang, keyboards.FIGURES)
    file_id = await send_chart(update, chart.png, chart.caption, chart.file_id, keyboard)
    if file_id and not chart.file_id:
        briefings.remember_chart(chart, file_id)
    return True


@reader
async def figures_command(update: Update, context: BriefingContext, lang: str) -> None:
    await view_command(update, context, keyboards.FIGURES, lang)


@reader
async def quote_command(update: Update, context: BriefingContext, lang: str) -> None:
    await view_command(update, context, keyboards.QUOTE, lang)


@reader
async def search_command(update: Update, context: BriefingContext, lang: str) -> None:
    query = command_args(context)
    if not query:
        await send_reply(update, Reply((t(lang, "search_usage"),)))
        return
    reply = await context.services.briefings.search(query, lang)
    await send_reply(update, reply)


@reader
async def about_command(update: Update, context: BriefingContext, lang: str) -> None:
    await send_reply(update, await context.services.briefings.about(lang))


@reader
async def latest_command(update: Update, context: BriefingContext, lang: str) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    title = chat.title or chat.first_name or ""
    await send_reply(update, await context.services.briefings.latest(chat.id, chat.type, title, lang))


@reader
async def private_text(update: Update, context: BriefingContext, lang: str) -> None:
    """Plain text in a private chat is a question: answer with the matching briefing."""
    message = update.effective_message
    if message is None or not message.text:
        return
    reply = await context.services.briefings.answer_text(message.text, lang)
    keyboard = await related_keyboard(context, reply.topic, lang, page=reply.page, copy=reply.copy) if reply.topic else None
    await send_reply(update, reply, keyboard)


@reader
async def unknown_command(update: Update, context: BriefingContext, lang: str) -> None:
    """A hint for commands the bot does not know; in groups only when addressed to this bot."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not message.text:
        return
    if chat.type != ChatType.PRIVATE:
        entity = next((e for e in message.entities if e.type == MessageEntityType.BOT_COMMAND and e.offset == 0), None)
        command = message.parse_entity(entity) if entity else ""
        if "@" not in command or command.split("@", 1)[1].lower() != context.bot.username.lower():
            return
    await send_reply(update, Reply((t(lang, "unknown_command"),)))


@reader
async def button(update: Update, context: BriefingContext, lang: str) -> None:
    """Every inline button: answer the callback first (the spinner stops), then the content."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    press = keyboards.parse_callback(query.data, services.catalogue)
    if press is None:
        await query.answer(t(lang, "button_expired"), show_alert=False)
        return
    await query.answer()
    if update.effective_chat is None:
        return
    briefings = services.briefings
    # Menu and navigation edit the message they belong to (Telegram's convention); a quote or
    # the figures are something new, and arrive as a message of their own.
    if press.action == keyboards.MENU or press.topic is None:
        await edit_or_send(update, briefings.topics(lang), context.keyboards.topic_menu(lang))
        return
    if press.action in (keyboards.BRIEFING, keyboards.PAGE):
        reply = await briefings.topic(press.topic, lang, press.index)
        await edit_or_send(update, reply, await related_keyboard(context, press.topic, lang, page=reply.page, copy=reply.copy))
        return
    if press.action == keyboards.FIGURES and await send_figures_chart(update, context, press.topic, lang):
        return
    reply = await topic_view(briefings, press.action, press.topic, lang, reader_of(update))
    await send_reply(update, reply, await related_keyboard(context, press.topic, lang, press.action, copy=reply.copy))


def register_commands(application: Application) -> None:
    """Topic and reader commands: most of the traffic, so they are tried first."""
    services = application.bot_data.services
    topic_commands = [topic.command for topic in services.catalogue]
    new = filters.UpdateType.MESSAGE  # an edited "/energy" is not a new request
    # `/start <topics>` in a group is the startgroup deep link: subscriptions handle it
    start_here = new & ~(filters.ChatType.GROUPS & filters.Regex(r"^/start\S*\s+\S"))
    commands = {
        "help": help_command,
        "topics": topics_command,
        "figures": figures_command,
        "quote": quote_command,
        "search": search_command,
        "about": about_command,
        "latest": latest_command,
    }
    application.add_handlers(
        [CommandHandler(topic_commands, topic_command, filters=new), CommandHandler("start", start, filters=start_here)]
        + [CommandHandler(name, callback, filters=new) for name, callback in commands.items()]
    )


def register_fallbacks(application: Application) -> None:
    """Catch-alls, after every other handler: any other button, free text, unknown commands."""
    new = filters.UpdateType.MESSAGE
    application.add_handlers(
        [
            CallbackQueryHandler(button),
            MessageHandler(new & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, private_text),
            MessageHandler(new & filters.COMMAND, unknown_command),
        ]
    )
