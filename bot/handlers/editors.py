"""Content admins in Telegram: drafts, edits, figures, publication, retirement, history, roles.

Every change that readers would see is previewed first; changes to what is on the air wait
for an Apply button. Who may do this is decided in `admin_access`; files are in `content_files`.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.presentation import render
from bot.presentation.reply import Reply
from bot.services.editorial import EditError
from bot.presentation.html import escape, split_html
from bot.domain.validation import ContentError
from bot.telegram.context import BriefingContext
from bot.handlers import content_files
from bot.handlers.admin_access import CALLBACK, admin_actor, confirm_buttons, keyboard, refuse, say
from bot.telegram.people import user_language
from bot.telegram.sending.outgoing import send_reply
from bot.domain.actors import Actor
from bot.domain.views import SnippetView
from bot.domain.views import SnippetRecord
from bot.presentation.texts import t

MAX_DRAFTS_LISTED = 20


def _draft_buttons(lang: str, snippet_id: int) -> dict:
    return keyboard([(t(lang, "btn_publish"), f"{CALLBACK}:pub:{snippet_id}"),
                      (t(lang, "btn_discard"), f"{CALLBACK}:d:{snippet_id}")])  # fmt: skip


def _rest_of(update: Update, words: int) -> list[str]:
    """The command's arguments split into `words` pieces, the last keeping its line breaks."""
    text = update.effective_message.text or ""
    parts = text.split(None, words)
    return parts[1:]


def _snippet_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


async def _show_preview(update: Update, context: BriefingContext, heading: str, parts: tuple[str, ...], keyboard: dict | None) -> None:
    await say(update, heading)
    await send_reply(update, Reply(parts), keyboard)


# --- commands -----------------------------------------------------------------------------------


async def add(update: Update, context: BriefingContext) -> None:
    actor = await admin_actor(update, context)
    if actor is None:
        return
    lang = user_language(update)
    args = _rest_of(update, 2)
    if len(args) < 2:
        await say(update, t(lang, "add_usage"))
        return
    try:
        snippet_id = await context.services.editorial.add(actor, args[0], args[1])
        preview = await context.services.editorial.preview(snippet_id, lang)
    except EditError as exc:
        await refuse(update, exc)
        return
    await _show_preview(update, context, t(lang, "draft_created", id=snippet_id), preview.parts, _draft_buttons(lang, snippet_id))


async def edit(update: Update, context: BriefingContext) -> None:
    found = await _admin_and_id(
        update, context, lambda lang: t(lang, "edit_id_usage", command="edit") + "\n" + t(lang, "edit_text_usage"),
        words=2,
    )
    if found is None:
        return
    actor, _lang, snippet_id, (text,) = found
    editorial = context.services.editorial
    try:
        record, title, summary = await editorial.check_edit(snippet_id, text)
    except EditError as exc:
        await refuse(update, exc)
        return
    await _change_or_confirm(
        update, context, actor, record, "edit", {"text": text},
        apply=lambda: editorial.edit(actor, snippet_id, text),
        changed_view=lambda view: dataclasses.replace(view, title=title, summary=summary),
    )


async def figure(update: Update, context: BriefingContext) -> None:
    """`/figure 12 28 млрд долларов | товарооборот` (or a one-word unit: `/figure 12 20 тыс. компаний`)."""
    found = await _admin_and_id(update, context, lambda lang: t(lang, "figure_usage"), words=3)
    if found is None:
        return
    actor, _lang, snippet_id, (value, rest) = found
    if " | " in rest:
        unit, label = (part.strip() for part in rest.split(" | ", 1))
    else:
        unit, _, label = rest.partition(" ")
    editorial = context.services.editorial
    try:
        record, new_figure = await editorial.check_figure(snippet_id, value, unit, label)
    except EditError as exc:
        await refuse(update, exc)
        return
    await _change_or_confirm(
        update, context, actor, record, "figure", {"value": value, "unit": unit, "label": label},
        apply=lambda: editorial.add_figure(actor, snippet_id, value, unit, label),
        changed_view=lambda view: dataclasses.replace(view, figures=(*view.figures, new_figure)),
    )


async def _change_or_confirm(
    update: Update, context: BriefingContext, actor: Actor, record: SnippetRecord, kind: str, payload: dict,
    *, apply: Callable[[], Awaitable[object]], changed_view: Callable[[SnippetView], SnippetView],
) -> None:
    """A draft changes at once and shows its new preview; a snippet on the air waits for Apply
    under a preview of exactly what its delivered copies will become."""
    lang = user_language(update)
    editorial = context.services.editorial
    if record.status == "draft":
        try:
            await apply()
        except EditError as exc:
            await refuse(update, exc)
            return
        preview = await editorial.preview(record.id, lang)
        await _show_preview(update, context, t(lang, "draft_updated", id=record.id), preview.parts,
                            _draft_buttons(lang, record.id))  # fmt: skip
        return
    [view] = await context.services.content.snippets_by_id([record.id])
    view = changed_view(view)
    topic = context.services.catalogue.by_slug(view.topic)
    parts = (split_html(render.render_corrected(topic, view, lang))[0],)
    token = await editorial.repository.put_pending(actor.id, kind, {"id": record.id, **payload})
    count = await context.services.editorial.delivered_count(record.id)
    await _show_preview(update, context, t(lang, "confirm_edit", id=record.id, count=count), parts,
                        confirm_buttons(lang, token))  # fmt: skip


async def publish(update: Update, context: BriefingContext) -> None:
    actor = await admin_actor(update, context)
    if actor is None:
        return
    args = context.args or []
    await _offer_publish(update, context, actor, _snippet_id(args[0]) if args else None)


async def _offer_publish(update: Update, context: BriefingContext, actor: Actor, snippet_id: int | None) -> None:
    lang = user_language(update)
    if snippet_id is None:
        await say(update, t(lang, "edit_id_usage", command="publish"))
        return
    editorial = context.services.editorial
    try:
        record = await editorial.snippet(snippet_id)
        if record.status != "draft":
            raise EditError("edit_already_published" if record.status == "published" else "edit_retired", id=snippet_id)
        preview = await editorial.preview(snippet_id, lang)
    except EditError as exc:
        await refuse(update, exc)
        return
    token = await editorial.repository.put_pending(actor.id, "publish", {"id": snippet_id})
    await _show_preview(update, context, t(lang, "confirm_publish", id=snippet_id), preview.parts, confirm_buttons(lang, token))


async def _admin_and_id(
    update: Update, context: BriefingContext, usage: Callable[[str], str], words: int = 1
) -> tuple[Actor, str, int, list[str]] | None:
    """For `/<command> <snippet id> [more…]` split into `words` pieces: the admin, their
    language, the id and the other pieces; None once answered (a refusal or the usage)."""
    actor = await admin_actor(update, context)
    if actor is None:
        return None
    lang = user_language(update)
    args = _rest_of(update, words)
    snippet_id = _snippet_id(args[0].split()[0]) if args else None  # (`/retire 12 …`: the id)
    if snippet_id is None or len(args) < words:
        await say(update, usage(lang))
        return None
    return actor, lang, snippet_id, args[1:]


async def retire(update: Update, context: BriefingContext) -> None:
    found = await _admin_and_id(update, context, lambda lang: t(lang, "edit_id_usage", command="retire"))
    if found is None:
        return
    actor, lang, snippet_id, _rest = found
    editorial = context.services.editorial
    try:
        record = await editorial.snippet(snippet_id)
        if record.status == "draft":
            await editorial.retire(actor, snippet_id)
            await say(update, t(lang, "discarded", id=snippet_id))
            return
        if record.status == "retired":
            raise EditError("edit_retired", id=snippet_id)
    except EditError as exc:
        await refuse(update, exc)
        return
    token = await editorial.repository.put_pending(actor.id, "retire", {"id": snippet_id})
    count = await context.services.editorial.delivered_count(snippet_id)
    await _show_preview(update, context, t(lang, "confirm_retire", id=snippet_id, count=count),
                        (render.render_withdrawn(record.title, lang),), confirm_buttons(lang, token))


async def drafts(update: Update, context: BriefingContext) -> None:
    actor = await admin_actor(update, context)
    if actor is None:
        return
    lang = user_language(update)
    found = await context.services.editorial.repository.drafts(MAX_DRAFTS_LISTED)
    if not found:
        await say(update, t(lang, "drafts_empty"))
        return
    catalogue = context.services.catalogue
    lines = [t(lang, "drafts_title")]
    rows = []
    for draft in found:
        topic = catalogue.by_slug(draft.topic)
        lines.append(f"#{draft.id} {topic.emoji if topic else ''} {escape(draft.title)}")
        rows.append([(f"👁 #{draft.id}", f"{CALLBACK}:p:{draft.id}"), ("✅", f"{CALLBACK}:pub:{draft.id}"),
                     ("🗑", f"{CALLBACK}:d:{draft.id}")])  # fmt: skip
    await say(update, "\n".join(lines), keyboard(*rows))


async def history(update: Update, context: BriefingContext) -> None:
    found = await _admin_and_id(update, context, lambda lang: t(lang, "edit_id_usage", command="history"))
    if found is None:
        return
    _actor, lang, snippet_id, _rest = found
    entries = await context.services.editorial.repository.history(snippet_id)
    lines = [t(lang, "history_title", id=snippet_id)]
    if not entries:
        lines.append(t(lang, "history_empty"))
    for entry in entries:
        lines.append(f"\n<b>{escape(entry.at.replace('T', ' ')[:16])}</b> · {escape(entry.actor)} ({escape(entry.via)}) · {escape(entry.action)}")
        lines += [f"  {line}" for line in _differences(entry.before, entry.after)]
    await say(update, "\n".join(lines))


def _differences(before: dict | None, after: dict | None) -> list[str]:
    """What an audit entry changed, field by field, escaped for HTML."""
    before, after = before or {}, after or {}
    lines = []
    for field in ("status", "topic", "title", "summary", "figures"):
        old, new = before.get(field), after.get(field)
        if old != new:
            old_text = html.escape(str(old)[:150]) if old is not None else "—"
            lines.append(f"{field}: <s>{old_text}</s> → {html.escape(str(new)[:150])}")
    return lines


async def reload(update: Update, context: BriefingContext) -> None:
    actor = await admin_actor(update, context)
    if actor is None:
        return
    lang = user_language(update)
    try:
        report = await context.services.intake.reload_seeds()
    except ContentError as exc:
        await refuse(update, exc)
        return
    await say(update, t(lang, "reload_done", added=len(report.added), changed=len(report.changed), retired=len(report.retired)))


async def grant(update: Update, context: BriefingContext) -> None:
    await _role_change(update, context, grant=True)


async def revoke(update: Update, context: BriefingContext) -> None:
    await _role_change(update, context, grant=False)


async def _role_change(update: Update, context: BriefingContext, *, grant: bool) -> None:
    actor = await admin_actor(update, context, owner=True)
    if actor is None:
        return
    lang = user_language(update)
    args = context.args or []
    user_id = int(args[0]) if args and args[0].isdigit() and len(args[0]) < 20 else None
    if user_id is None:
        await say(update, t(lang, "grant_usage"))
        return
    repository = context.services.editorial.repository
    if grant:
        key = "granted" if await repository.grant(user_id, actor) else "already_editor"
    else:
        key = "revoked" if await repository.revoke(user_id, actor) else "not_editor"
    await say(update, t(lang, key, id=user_id))


# --- buttons ------------------------------------------------------------------------------------


async def button(update: Update, context: BriefingContext) -> None:
    query = update.callback_query
    actor = await admin_actor(update, context)
    if actor is None:
        return
    lang = user_language(update)
    action, _, argument = (query.data or "").removeprefix(f"{CALLBACK}:").partition(":")
    await query.answer()
    editorial = context.services.editorial
    try:
        if action == "p":
            preview = await editorial.preview(int(argument), lang)
            await send_reply(update, Reply(preview.parts), _draft_buttons(lang, int(argument)) if preview.snippet.status == "draft" else None)
        elif action == "pub":
            await _offer_publish(update, context, actor, _snippet_id(argument))
        elif action == "d":
            record = await editorial.snippet(int(argument))
            if record.status != "draft":
                raise EditError("edit_already_published" if record.status == "published" else "edit_retired", id=record.id)
            await editorial.retire(actor, record.id)
            await say(update, t(lang, "discarded", id=record.id))
        elif action in ("ap", "cx"):
            await _confirmed(update, context, actor, argument, apply=action == "ap")
        else:
            await say(update, t(lang, "button_expired"))
    except (EditError, ValueError) as exc:
        if isinstance(exc, EditError):
            await refuse(update, exc)
        else:
            await say(update, t(lang, "button_expired"))


async def _confirmed(update: Update, context: BriefingContext, actor: Actor, token: str, *, apply: bool) -> None:
    lang = user_language(update)
    pending = await context.services.editorial.repository.take_pending(token, actor.id)
    if pending is None:
        await say(update, t(lang, "change_expired"))
        return
    if not apply:
        await say(update, t(lang, "cancelled"))
        return
    kind, payload = pending
    editorial = context.services.editorial
    snippet_id = payload.get("id")
    if kind == "file":
        await content_files.apply_file(update, context, actor, payload)
        return
    if kind == "edit":
        count = await editorial.edit(actor, snippet_id, payload["text"])
        key = "applied_edit"
    elif kind == "figure":
        count = await editorial.add_figure(actor, snippet_id, payload["value"], payload["unit"], payload["label"])
        key = "applied_edit"
    elif kind == "publish":
        await editorial.publish(actor, snippet_id)
        count = await context.services.editorial.queued_for(snippet_id)
        key = "applied_publish"
    else:
        count = await editorial.retire(actor, snippet_id)
        key = "applied_retire"
    await say(update, t(lang, key, id=snippet_id, count=count))


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    commands = {
        "add": add, "edit": edit, "figure": figure, "publish": publish, "retire": retire,
        "drafts": drafts, "history": history, "reload": reload, "grant": grant, "revoke": revoke,
    }  # fmt: skip
    application.add_handlers(
        [CommandHandler(name, callback, filters=new) for name, callback in commands.items()]
        + [CallbackQueryHandler(button, pattern=rf"^{CALLBACK}:")]
    )
    content_files.register(application)

