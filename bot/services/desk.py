"""The editor's desk: every editorial use case, answering with the messages to show.

Chat commands and buttons (and, later, any other front end) call one method each and send
what it returns. Refusals are answers too: a rule an edit breaks, a content file that does not
validate, a confirmation that expired — each becomes a message naming the problem.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.actors import Actor
from bot.domain.catalogue import Catalogue
from bot.domain.validation import ContentError
from bot.domain.views import QuoteView, SnippetRecord, SnippetView
from bot.presentation import render
from bot.presentation.editorial import (
    confirm_buttons,
    render_link_refusal,
    draft_buttons,
    render_drafts,
    render_history,
    render_ingest_preview,
    render_reactions,
)
from bot.presentation.html import split_html
from bot.presentation.reply import Markup, Reply
from bot.presentation.texts import t
from bot.services import importing
from bot.services.editorial import (
    AddFigure,
    ApplyFile,
    EditError,
    Editorial,
    EditText,
    Publish,
    RemoveFigure,
    RemoveQuote,
    Retire,
    SetQuote,
    SnippetChange,
    copied_kind,
)
from bot.services.importing import ContentIntake
from bot.services.ingest.reading import PageMetadata
from bot.services.web.addresses import LinkError, parse_url
from bot.services.web.fetch import Fetcher
from bot.services.web.pages import fetch_page
from bot.storage.content_repository import ContentRepository

MAX_DRAFTS_LISTED = 20
C = TypeVar("C", RemoveFigure, SetQuote, RemoveQuote)
Replies = list[Reply]


def say(text: str, keyboard: Markup | None = None) -> Reply:
    return Reply.of(text, keyboard)


def refusal(exc: EditError | ContentError, lang: str) -> Replies:
    if isinstance(exc, EditError):
        return [say(t(lang, exc.key, **exc.values))]
    return [say(t(lang, "reload_failed", error=str(exc)[:3000]))]


@dataclass(frozen=True)
class Outcome:
    """What a change came to, for any front end: whether it was taken, the message saying so
    (Telegram HTML, the same texts as in chat), what readers will see, and the token of a
    change waiting for Apply."""

    ok: bool
    message: str
    preview: tuple[str, ...] = ()
    token: str | None = None

    @classmethod
    def refused(cls, exc: EditError, lang: str) -> Outcome:
        return cls(False, t(lang, exc.key, **exc.values))


def _must_be_a_draft(record: SnippetRecord) -> None:
    """Publishing or discarding is for drafts: say what the snippet is instead."""
    if record.status != "draft":
        raise EditError("edit_already_published" if record.status == "published" else "edit_retired", id=record.id)


def _with(parts: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    """A preview's parts, then more as messages of their own (the preview stays exactly what
    readers' copies become)."""
    return (*parts, *extra)


def _preview(heading: str, parts: tuple[str, ...], keyboard: Markup | None) -> Replies:
    return [say(heading), Reply(parts, keyboard=keyboard)]


class EditorDesk:
    MAX_FILE_BYTES = importing.MAX_FILE_BYTES  # the most a file may hold, declared or downloaded

    def __init__(
        self, editorial: Editorial, intake: ContentIntake, content: ContentRepository, catalogue: Catalogue,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.editorial = editorial
        self.fetcher = fetcher or Fetcher()  # pages editors link to, every address checked
        self.intake = intake
        self.content = content
        self.catalogue = catalogue

    # --- drafts and edits ------------------------------------------------------------------

    async def add(self, actor: Actor, lang: str, topic_name: str, text: str) -> Replies:
        try:
            snippet_id = await self.editorial.add(actor, topic_name, text)
            preview = await self.editorial.preview(snippet_id, lang)
        except EditError as exc:
            return refusal(exc, lang)
        return await self._publishable(lang, t(lang, "draft_created", id=snippet_id), preview.parts, snippet_id)

    async def set_topic(self, actor: Actor, lang: str, snippet_id: int, name: str) -> Replies:
        """`/topic 12 energy`: a draft's topic (an article that fitted none comes without one)."""
        try:
            slug = await self.editorial.set_topic(actor, snippet_id, name)
            preview = await self.editorial.preview(snippet_id, lang)
        except EditError as exc:
            return refusal(exc, lang)
        topic = self.catalogue.by_slug(slug)
        heading = t(lang, "topic_set", id=snippet_id, topic=f"{topic.emoji} {topic.title.get(lang)}" if topic else slug)
        return await self._publishable(lang, heading, preview.parts, snippet_id)

    async def add_topic(self, actor: Actor, lang: str, slug: str, title: str, description: str) -> Replies:
        """`/topic_add slug Название | description`: a topic beside the catalogue's."""
        try:
            added = await self.editorial.add_topic(actor, slug, title, description)
        except EditError as exc:
            return refusal(exc, lang)
        waiting = [record.id for record in await self.editorial.drafts(50) if not record.topic]
        text = t(lang, "topic_added", slug=added, title=title)
        if waiting:
            text += "\n" + t(lang, "topic_waiting", ids=", ".join(f"#{i}" for i in waiting[:20]), slug=added)
        return [say(text)]

    async def edit(self, actor: Actor, lang: str, snippet_id: int, text: str) -> Replies:
        return self._in_chat(lang, snippet_id, await self.change_text(actor, lang, snippet_id, text))

    async def figure(self, actor: Actor, lang: str, snippet_id: int, value: str, unit: str, label: str) -> Replies:
        return self._in_chat(lang, snippet_id, await self.change_figure(actor, lang, snippet_id, value, unit, label))

    async def remove_figure(self, actor: Actor, lang: str, snippet_id: int, position: int) -> Replies:
        return self._in_chat(lang, snippet_id, await self.drop_figure(actor, lang, snippet_id, position))

    async def quote(
        self, actor: Actor, lang: str, snippet_id: int, text: str, speaker: str = "", position: int = 0,
    ) -> Replies:
        outcome = await self.change_quote(actor, lang, snippet_id, text, speaker, position)
        return self._in_chat(lang, snippet_id, outcome)

    async def remove_quote(self, actor: Actor, lang: str, snippet_id: int, position: int) -> Replies:
        return self._in_chat(lang, snippet_id, await self.drop_quote(actor, lang, snippet_id, position))

    @staticmethod
    def _in_chat(lang: str, snippet_id: int, outcome: Outcome) -> Replies:
        """An outcome as chat messages: a refusal, a changed draft's new preview under its
        buttons, or the correction's preview under Apply and Cancel."""
        if not outcome.ok:
            return [say(outcome.message)]
        buttons = confirm_buttons(lang, outcome.token) if outcome.token else draft_buttons(lang, snippet_id)
        return _preview(outcome.message, outcome.preview, buttons)

    async def change_text(self, actor: Actor, lang: str, snippet_id: int, text: str) -> Outcome:
        try:
            record, title, summary = await self.editorial.check_edit(snippet_id, text)
        except EditError as exc:
            return Outcome.refused(exc, lang)
        return await self._change_or_confirm(
            actor, lang, record, EditText(snippet_id, text),
            changed_view=lambda view: dataclasses.replace(view, title=title, summary=summary),
        )

    async def change_figure(self, actor: Actor, lang: str, snippet_id: int, value: str, unit: str, label: str) -> Outcome:
        try:
            record, new_figure = await self.editorial.check_figure(snippet_id, value, unit, label)
        except EditError as exc:
            return Outcome.refused(exc, lang)
        return await self._change_or_confirm(
            actor, lang, record, AddFigure(snippet_id, value, unit, label),
            changed_view=lambda view: dataclasses.replace(view, figures=(*view.figures, new_figure)),
        )

    async def drop_figure(self, actor: Actor, lang: str, snippet_id: int, position: int) -> Outcome:
        return await self._listed_change(
            actor, lang, "figures", self.editorial.check_remove_figure, RemoveFigure(snippet_id, position))

    async def change_quote(
        self, actor: Actor, lang: str, snippet_id: int, text: str, speaker: str = "", position: int = 0,
    ) -> Outcome:
        """A quote added (position 0) or put in place of the one at `position` (from 1); the
        preview shows it as readers will get it (`/quote`), whatever place it takes."""
        return await self._listed_change(
            actor, lang, "quotes", self.editorial.check_quote, SetQuote(snippet_id, text, speaker, position),
            shown=lambda items, change: items[change.position - 1] if change.position else items[-1])

    async def drop_quote(self, actor: Actor, lang: str, snippet_id: int, position: int) -> Outcome:
        return await self._listed_change(
            actor, lang, "quotes", self.editorial.check_remove_quote, RemoveQuote(snippet_id, position))

    async def _listed_change(
        self, actor: Actor, lang: str, field: str,
        check: Callable[[C], Awaitable[tuple[SnippetRecord, C, tuple]]], change: C,
        shown: Callable[[tuple, C], QuoteView] | None = None,
    ) -> Outcome:
        """A change to a snippet's figures or quotes: checked (the check names the item it
        means and gives the list after it), then made or held like any edit. `shown`: the quote
        the change puts in, previewed on its own as readers get it."""
        try:
            record, change, items = await check(change)
        except EditError as exc:
            return Outcome.refused(exc, lang)
        extra: tuple[str, ...] = ()
        if shown is not None and items and shown(items, change) is not items[0]:
            # the message shows a snippet's first quote only: the one put in, as /quote shows it
            [view] = await self.content.snippets_by_id([record.id])
            card = render.render_quote(self.catalogue.by_slug(view.topic), view, shown(items, change), lang)
            extra = tuple(split_html(f"{t(lang, 'quote_as_readers_see')}\n\n{card}"))
        return await self._change_or_confirm(
            actor, lang, record, change, changed_view=lambda view: dataclasses.replace(view, **{field: items}),
            extra=extra,
        )

    async def _change_or_confirm(
        self, actor: Actor, lang: str, record: SnippetRecord, change: SnippetChange,
        *, changed_view: Callable[[SnippetView], SnippetView], extra: tuple[str, ...] = (),
    ) -> Outcome:
        """A draft changes at once and shows its new preview; a snippet on the air waits for
        Apply under a preview of exactly what its delivered copies will become."""
        if record.status == "draft":
            try:
                await self.editorial.apply(actor, change)
                preview = await self.editorial.preview(record.id, lang)
            except EditError as exc:
                return Outcome.refused(exc, lang)
            note = await self.own_words_note(lang, record.id)
            message = t(lang, "draft_updated", id=record.id)
            return Outcome(True, f"{message}\n\n{note}" if note else message, _with(preview.parts, extra))
        [view] = await self.content.snippets_by_id([record.id])
        view = changed_view(view)
        topic = self.catalogue.by_slug(view.topic)
        parts = _with((split_html(render.render_corrected(topic, view, lang))[0],), extra)
        token = await self.editorial.hold(actor, change)
        count = await self.editorial.delivered_count(record.id)
        return Outcome(True, t(lang, "confirm_edit", id=record.id, count=count), parts, token)

    async def offer_publish(self, actor: Actor, lang: str, snippet_id: int | None) -> Replies:
        if snippet_id is None:
            return [say(t(lang, "edit_id_usage", command="publish"))]
        try:
            record = await self.editorial.snippet(snippet_id)
            _must_be_a_draft(record)
            self.editorial.check_topic(record)
            await self.editorial.check_own_words(snippet_id)
            preview = await self.editorial.preview(snippet_id, lang)
        except EditError as exc:
            return refusal(exc, lang)
        return await self._publishable(lang, t(lang, "confirm_publish", id=snippet_id), preview.parts, snippet_id)

    async def own_words_note(self, lang: str, snippet_id: int) -> str | None:
        """What a draft's preview says when the draft could not be published as it stands: the
        field that repeats its source's words and those words (None when it is in its own)."""
        copied = await self.editorial.copied_words(snippet_id)
        if not copied:
            return None
        kind, position = copied_kind(copied[0])
        where = t(lang, f"own_words_where_{kind}", position=position)
        return t(lang, "own_words_draft", where=where, count=copied[0].count, words=copied[0].words)

    async def _publishable(self, lang: str, heading: str, parts: tuple[str, ...], snippet_id: int) -> Replies:
        """A draft's preview under its heading, with how many chats will get it and the one
        press that publishes it."""
        count = await self.editorial.recipients(snippet_id)
        return _preview(f"{heading} {t(lang, 'will_reach', count=count)}", parts, draft_buttons(lang, snippet_id))

    async def publish_now(self, actor: Actor, lang: str, snippet_id: int) -> Replies:
        """The Publish button under a draft's preview: on the air at once (the preview it sits
        under was the confirmation)."""
        return [say((await self.publish_draft(actor, lang, snippet_id)).message)]

    async def publish_draft(self, actor: Actor, lang: str, snippet_id: int) -> Outcome:
        try:
            _must_be_a_draft(await self.editorial.snippet(snippet_id))
            count = await self.editorial.apply(actor, Publish(snippet_id))
        except EditError as exc:
            return Outcome.refused(exc, lang)
        return Outcome(True, t(lang, "applied_publish", id=snippet_id, count=count))

    async def retire(self, actor: Actor, lang: str, snippet_id: int) -> Replies:
        outcome = await self.withdraw(actor, lang, snippet_id)
        if not outcome.token:
            return [say(outcome.message)]
        return _preview(outcome.message, outcome.preview, confirm_buttons(lang, outcome.token))

    async def withdraw(self, actor: Actor, lang: str, snippet_id: int) -> Outcome:
        """A draft is discarded at once; a snippet on the air waits for Apply."""
        try:
            record = await self.editorial.snippet(snippet_id)
            if record.status == "draft":
                await self.editorial.retire(actor, snippet_id)
                return Outcome(True, t(lang, "discarded", id=snippet_id))
            if record.status == "retired":
                raise EditError("edit_retired", id=snippet_id)
        except EditError as exc:
            return Outcome.refused(exc, lang)
        token = await self.editorial.hold(actor, Retire(snippet_id))
        count = await self.editorial.delivered_count(snippet_id)
        return Outcome(True, t(lang, "confirm_retire", id=snippet_id, count=count),
                       (render.render_withdrawn(record.title, lang),), token)

    async def discard(self, actor: Actor, lang: str, snippet_id: int) -> Replies:
        """The 🗑 button: only a draft can be discarded this way."""
        try:
            record = await self.editorial.snippet(snippet_id)
            _must_be_a_draft(record)
            await self.editorial.retire(actor, record.id)
        except EditError as exc:
            return refusal(exc, lang)
        return [say(t(lang, "discarded", id=record.id))]

    async def preview(self, lang: str, snippet_id: int) -> Replies:
        try:
            preview = await self.editorial.preview(snippet_id, lang)
        except EditError as exc:
            return refusal(exc, lang)
        if preview.snippet.status != "draft":
            return [Reply(preview.parts)]
        note = await self.own_words_note(lang, snippet_id)
        return [*([say(note)] if note else []), Reply(preview.parts, keyboard=draft_buttons(lang, snippet_id))]

    # --- listings ----------------------------------------------------------------------------

    async def drafts(self, lang: str) -> Replies:
        found = await self.editorial.drafts(MAX_DRAFTS_LISTED)
        if not found:
            return [say(t(lang, "drafts_empty"))]
        text, buttons = render_drafts(self.catalogue, found, lang)
        return [say(text, buttons)]

    async def reactions(self, lang: str) -> Replies:
        """What readers react to: the delivered briefings with the most reactions."""
        return [say(render_reactions(await self.editorial.top_reactions(), lang))]

    async def history(self, lang: str, snippet_id: int) -> Replies:
        entries = await self.editorial.history(snippet_id)
        return [say(render_history(snippet_id, entries, lang))]

    # --- confirmations -----------------------------------------------------------------------

    async def confirm(self, actor: Actor, lang: str, token: str, *, apply: bool) -> Replies:
        change = await self.editorial.take(actor, token)
        if change is None:
            return [say(t(lang, "change_expired"))]
        if not apply:
            return [say(t(lang, "cancelled"))]
        if isinstance(change, ApplyFile):
            return await self.apply_file(actor, lang, change)
        return [say((await self._apply(actor, lang, change)).message)]

    async def settle(self, actor: Actor, lang: str, token: str, *, apply: bool) -> Outcome:
        """Apply or Cancel of a change held for this editor (not a content file: those are
        confirmed in chat, where they were sent)."""
        change = await self.editorial.take(actor, token)
        if change is None or isinstance(change, ApplyFile):
            return Outcome(False, t(lang, "change_expired"))
        if not apply:
            return Outcome(True, t(lang, "cancelled"))
        return await self._apply(actor, lang, change)

    async def _apply(self, actor: Actor, lang: str, change: SnippetChange | Publish | Retire) -> Outcome:
        try:
            count = await self.editorial.apply(actor, change)
        except EditError as exc:
            return Outcome.refused(exc, lang)
        key = {Publish: "applied_publish", Retire: "applied_retire"}.get(type(change), "applied_edit")
        return Outcome(True, t(lang, key, id=change.snippet_id, count=count))

    # --- content files and articles ----------------------------------------------------------

    def refuse_before_download(self, lang: str, name: str, size: int | None) -> Replies | None:
        """A file the bot will not take (type, size) is refused before it is downloaded."""
        try:
            importing.kind_of(name, size)
        except ContentError as exc:
            return [say(t(lang, "import_refused", error=str(exc)[:3000]))]
        return None

    async def upload_link(self, actor: Actor, lang: str, url: str) -> Replies:
        """A link: the page fetched (its address checked first) and read like an uploaded
        article, its own metadata over the reader's guesses; the same preview and Apply."""
        try:
            parse_url(url)
            page = await fetch_page(self.fetcher, url)
        except LinkError as exc:
            return [say(render_link_refusal(exc.key, exc.values, lang))]
        return await self.upload(actor, lang, page.name, page.text.encode(), page.metadata)

    async def upload(
        self, actor: Actor, lang: str, name: str, data: bytes, metadata: PageMetadata | None = None,
    ) -> Replies:
        """Check a file whole and show what Apply will change (a rolled-back trial run)."""
        try:
            upload = await self.intake.read(data, name, expect="article" if metadata else None, metadata=metadata)
            report = await self.intake.apply(upload, actor, dry_run=True)
        except ContentError as exc:
            return [say(t(lang, "import_refused", error=str(exc)[:3000]))]
        if not report.changed_anything:
            return [say(t(lang, "import_nothing", name=name))]
        page = metadata.as_json() if metadata else None
        token = await self.editorial.hold(actor, ApplyFile(name, data.decode("utf-8-sig"), upload.drafting, page))
        if upload.drafts:
            text = render_ingest_preview(self.catalogue, upload.item.content, lang, upload.notes)
        else:
            text = t(lang, "import_summary", name=name, **importing.describe(report))
        return [say(text, confirm_buttons(lang, token))]

    async def apply_file(self, actor: Actor, lang: str, change: ApplyFile) -> Replies:
        """Apply: the file is checked again (content may have changed since the summary); an
        article's drafts are those the preview showed, the language model not asked again."""
        try:
            metadata = PageMetadata.from_json(change.page) if change.page else None
            upload = await self.intake.read(change.data.encode(), change.name, drafting=change.drafting,
                                            metadata=metadata)
            report = await self.intake.apply(upload, actor)
        except ContentError as exc:
            return [say(t(lang, "import_refused", error=str(exc)[:3000]))]
        if upload.drafts:
            text = t(lang, "ingest_applied", count=len(report.added) + len(report.changed))
            if any(snippet.topic is None for snippet in upload.item.content.snippets):
                waiting = [record.id for record in await self.editorial.drafts(50) if not record.topic]
                text += "\n\n" + t(lang, "ingest_no_topic_applied", ids=", ".join(f"#{i}" for i in waiting[:20]))
            return [say(text)]
        return [say(t(lang, "import_applied", name=change.name, added=len(report.added),
                      changed=len(report.changed), retired=len(report.retired)))]  # fmt: skip

    async def export(self, lang: str) -> list[tuple[str, bytes, str]]:
        """(file name, content, caption) for every live source, in the seed format."""
        documents = await importing.export_documents(self.content, self.intake.seeds_dir)
        return [(name, text.encode(), t(lang, "export_caption", name=name)) for name, text in documents]

    # --- the desk itself -----------------------------------------------------------------------

    async def reload(self, lang: str) -> Replies:
        try:
            report = await self.intake.reload_seeds()
        except ContentError as exc:
            return refusal(exc, lang)
        return [say(t(lang, "reload_done", added=len(report.added), changed=len(report.changed), retired=len(report.retired)))]

    async def set_editor(self, actor: Actor, lang: str, user_id: int | None, *, grant: bool) -> Replies:
        if user_id is None:
            return [say(t(lang, "grant_usage"))]
        changed = await self.editorial.set_editor(actor, user_id, grant=grant)
        key = ("granted" if changed else "already_editor") if grant else ("revoked" if changed else "not_editor")
        return [say(t(lang, key, id=user_id))]

