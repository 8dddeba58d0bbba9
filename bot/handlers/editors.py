"""Content admins in Telegram: drafts, edits, figures, quotes, publication, retirement, history, roles.

Each callback reads the command's arguments and calls one method of the editor's desk
(`bot/services/desk.py`), which answers with the messages to send. Who may do this is decided
once, by `@editor`; files and `/export` are in `content_files`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.actors import Actor
from bot.handlers import content_files
from bot.handlers.access import editor, send_all
from bot.presentation import callbacks
from bot.presentation.reply import Reply
from bot.presentation.texts import t
from bot.telegram.context import BriefingContext


def _rest_of(update: Update, words: int) -> list[str]:
    """The command's arguments split into `words` pieces, the last keeping its line breaks."""
    text = update.effective_message.text or ""
    parts = text.split(None, words)
    return parts[1:]


def _snippet_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


async def _usage(update: Update, text: str) -> None:
    await send_all(update, [Reply.of(text)])


SPACED_RANGE = re.compile(r"(\d[\d.,]*\s*[-–—‒]\s*\d[\d.,]*)\s+(.+)", re.S)


def _id_and_rest(update: Update, words: int = 1) -> tuple[int, list[str]] | None:
    """For `/<command> <snippet id> [more…]` split into `words` pieces: the id and the rest."""
    args = _rest_of(update, words)
    snippet_id = _snippet_id(args[0].split()[0]) if args else None  # (`/retire 12 …`: the id)
    if snippet_id is None or len(args) < words:
        return None
    return snippet_id, args[1:]


def _position(value: str) -> int | None:
    """A place in a list as the editor counts, from 1."""
    return int(value) if value.isdigit() and len(value) < 4 and int(value) > 0 else None


def _id_and_position(update: Update) -> tuple[int, int] | None:
    """For `/<command> <snippet id> <position>`."""
    found = _id_and_rest(update, words=2)
    position = _position(found[1][0].split()[0]) if found else None
    return (found[0], position) if found and position is not None else None


# --- commands -----------------------------------------------------------------------------------


@editor
async def add(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    args = _rest_of(update, 2)
    if len(args) < 2:
        await _usage(update, t(lang, "add_usage"))
        return
    await send_all(update, await context.services.desk.add(actor, lang, args[0], args[1]))


@editor
async def edit(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    found = _id_and_rest(update, words=2)
    if found is None:
        await _usage(update, t(lang, "edit_id_usage", command="edit") + "\n" + t(lang, "edit_text_usage"))
        return
    snippet_id, (text,) = found
    await send_all(update, await context.services.desk.edit(actor, lang, snippet_id, text))


@editor
async def topic(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """`/topic 12 energy`: the topic of draft 12 (by slug, command or title)."""
    found = _id_and_rest(update, words=2)
    if found is None:
        await _usage(update, t(lang, "topic_usage"))
        return
    snippet_id, (name,) = found
    await send_all(update, await context.services.desk.set_topic(actor, lang, snippet_id, name.strip()))


@editor
async def topic_add(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """`/topic_add agriculture Сельское хозяйство | зерно, урожай, удобрения`."""
    args = _rest_of(update, 2)
    if len(args) < 2:
        await _usage(update, t(lang, "topic_add_usage"))
        return
    title, _, description = args[1].partition("|")
    await send_all(update, await context.services.desk.add_topic(actor, lang, args[0], title.strip(), description.strip()))


@editor
async def figure(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """`/figure 12 28 млрд долларов | товарооборот` (or a one-word unit: `/figure 12 20 тыс. компаний`);
    a range as its value: `/figure 12 8-9 млн тонн | экспорт зерна` (8–9, 8 – 9)."""
    found = _id_and_rest(update, words=3)
    if found is None:
        await _usage(update, t(lang, "figure_usage"))
        return
    snippet_id, (value, rest) = found
    spaced = SPACED_RANGE.match(f"{value} {rest}")  # "8 – 9 млн тонн": the range is the value
    if spaced:
        value, rest = spaced.group(1), spaced.group(2)
    if " | " in rest:
        unit, label = (part.strip() for part in rest.split(" | ", 1))
    else:
        unit, _, label = rest.partition(" ")
    await send_all(update, await context.services.desk.figure(actor, lang, snippet_id, value, unit, label))


@editor
async def figure_remove(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """`/figure_remove 12 2`: the second figure of snippet 12."""
    await _take_out(update, lang, "figure_remove", partial(context.services.desk.remove_figure, actor, lang))


@editor
async def quote_add(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """`/quote_add 12 «words» | Name, role` (without a speaker: the source's author)."""
    await _quote(update, context, actor, lang, in_place=False)


@editor
async def quote_edit(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    """`/quote_edit 12 1 «words» [| Name, role]`: other words in place of the first quote."""
    await _quote(update, context, actor, lang, in_place=True)


async def _quote(update: Update, context: BriefingContext, actor: Actor, lang: str, *, in_place: bool) -> None:
    found = _id_and_rest(update, words=3 if in_place else 2)
    position = (_position(found[1][0]) if in_place else 0) if found else None
    if found is None or position is None:
        await _usage(update, t(lang, "quote_usage"))
        return
    text, _, speaker = found[1][-1].partition(" | ")
    await send_all(update, await context.services.desk.quote(actor, lang, found[0], text, speaker, position))


@editor
async def quote_remove(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    await _take_out(update, lang, "quote_remove", partial(context.services.desk.remove_quote, actor, lang))


async def _take_out(update: Update, lang: str, command: str, remove: Callable[[int, int], Awaitable[list[Reply]]]) -> None:
    """`/<command> <snippet id> <position>`: one of a snippet's figures or quotes taken out."""
    found = _id_and_position(update)
    if found is None:
        await _usage(update, t(lang, "position_usage", command=command))
        return
    await send_all(update, await remove(*found))


@editor
async def publish(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    args = context.args or []
    snippet_id = _snippet_id(args[0]) if args else None
    await send_all(update, await context.services.desk.offer_publish(actor, lang, snippet_id))


@editor
async def retire(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    found = _id_and_rest(update)
    if found is None:
        await _usage(update, t(lang, "edit_id_usage", command="retire"))
        return
    await send_all(update, await context.services.desk.retire(actor, lang, found[0]))


@editor
async def drafts(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    await send_all(update, await context.services.desk.drafts(lang))


@editor
async def history(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    found = _id_and_rest(update)
    if found is None:
        await _usage(update, t(lang, "edit_id_usage", command="history"))
        return
    await send_all(update, await context.services.desk.history(lang, found[0]))


@editor
async def reactions(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    await send_all(update, await context.services.desk.reactions(lang))


@editor
async def reload(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    await send_all(update, await context.services.desk.reload(lang))


def _user_id(context: BriefingContext) -> int | None:
    args = context.args or []
    return int(args[0]) if args and args[0].isdigit() and len(args[0]) < 20 else None


@editor(owner=True)
async def grant(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    await send_all(update, await context.services.desk.set_editor(actor, lang, _user_id(context), grant=True))


@editor(owner=True)
async def revoke(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    await send_all(update, await context.services.desk.set_editor(actor, lang, _user_id(context), grant=False))


# --- buttons ------------------------------------------------------------------------------------


@editor
async def button(update: Update, context: BriefingContext, actor: Actor, lang: str) -> None:
    query = update.callback_query
    press = callbacks.unpack_any(query.data, callbacks.EDITOR_BUTTONS)
    await query.answer()
    desk = context.services.desk
    match press:
        case callbacks.PreviewDraft(snippet_id):
            replies = await desk.preview(lang, snippet_id)
        case callbacks.PublishDraft(snippet_id):
            replies = await desk.offer_publish(actor, lang, snippet_id)
        case callbacks.PublishNow(snippet_id):
            replies = await desk.publish_now(actor, lang, snippet_id)
        case callbacks.DiscardDraft(snippet_id):
            replies = await desk.discard(actor, lang, snippet_id)
        case callbacks.ApplyChange(token):
            replies = await desk.confirm(actor, lang, token, apply=True)
        case callbacks.CancelChange(token):
            replies = await desk.confirm(actor, lang, token, apply=False)
        case _:
            replies = [Reply.of(t(lang, "button_expired"))]
    await send_all(update, replies)


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    commands = {
        "add": add, "edit": edit, "figure": figure, "publish": publish, "retire": retire,
        "drafts": drafts, "history": history, "reload": reload, "grant": grant, "revoke": revoke,
        "reactions": reactions, "figure_remove": figure_remove, "quote_add": quote_add,
        "quote_edit": quote_edit, "quote_remove": quote_remove, "topic": topic, "topic_add": topic_add,
    }  # fmt: skip
    application.add_handlers(
        [CommandHandler(name, callback, filters=new) for name, callback in commands.items()]
        + [CallbackQueryHandler(button, pattern=rf"^{callbacks.EDITOR_PREFIX}:")]
    )
    content_files.register(application)
