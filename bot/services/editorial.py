"""Editorial rules, shared by Telegram and the command line: who may edit, what an edit may say,
and what readers will see once it is live.

The same faithfulness rules as for seed files hold: a number in a title or summary must occur
in the source's text, a figure's value must be found there, with the sentence around it
kept as evidence, and a quote's words must stand there verbatim.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from dataclasses import dataclass
from typing import TypeVar
import datetime as dt
from decimal import Decimal, InvalidOperation

from bot.presentation import render
from bot.domain.catalogue import Catalogue, editor_topic
from bot.domain.validation import ContentError
from bot.presentation.html import split_html
from pydantic import ValidationError

from bot.domain.models import EDITORS, UNKNOWN_AUTHOR, Figure, Person, Quote, Snippet, collapse_whitespace, editors_source_id, max_length
from bot.services.events import Events
from bot.domain.faithfulness import (
    NumberProblem,
    figure_evidence,
    figure_problem,
    note_link,
    note_problems,
    number_problems,
    snippet_passage,
    verbatim_in,
    verbatim_start,
)
from bot.domain.own_words import Copied, copied_fields, snippet_fields
from bot.domain.voices import Voices, quote_credit_problem
from bot.services.ingest.reading.speech import source_voices
from bot.domain.actors import Actor
from bot.storage.content_repository import ContentRepository
from bot.storage.chats import ChatRepository
from bot.storage.reactions import ReactionRepository
from bot.storage.outbox import Outbox
from bot.storage.editorial import EditorialRepository
from bot.storage.topics import TopicExists, TopicRepository
from bot.domain.views import QuoteView, SnippetRecord, SnippetView

TITLE_LIMIT, SUMMARY_LIMIT = max_length(Snippet, "title"), max_length(Snippet, "summary")
FIGURES_PER_SNIPPET = max_length(Snippet, "figures")
# a quote is held to the content model's limits, as in a seed file
QUOTE_LIMIT, QUOTES_PER_SNIPPET = max_length(Quote, "text"), max_length(Snippet, "quotes")
NAME_LIMIT, ROLE_LIMIT = max_length(Person, "name"), max_length(Person, "role")
OWNER, EDITOR = "owner", "editor"
T = TypeVar("T")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


class EditError(Exception):
    """A refusal to show the admin: a text key of `bot.presentation.texts` and its values."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


_BAR = re.compile(r"(?:^|\s)\|(?:\s|$)")  # "Title | text": a bar between spaces (or at an end)


def split_title(text: str) -> tuple[str, str]:
    """`Title\\nsummary…`, `Title | summary…`, or the first sentence as the title. Refused with
    the usage (`edit_text_usage`): no title or no text, a text that is only its title (one
    sentence and no separator), or a title or text without a letter."""
    text = text.strip()
    if "\n" in text:
        title, summary = text.split("\n", 1)
    elif _BAR.search(text):
        title, summary = _BAR.split(text, 1)
    else:
        title, summary = _SENTENCE_END.split(text, 1)[0], text
    title, summary = title.strip(), collapse_whitespace(summary)
    if not title or not summary or collapse_whitespace(title) == summary:
        raise EditError("edit_text_usage")
    if not any(c.isalpha() for c in title) or not any(c.isalpha() for c in summary):
        raise EditError("edit_text_usage")
    if len(title) > TITLE_LIMIT or len(summary) > SUMMARY_LIMIT:
        raise EditError("edit_too_long", title=TITLE_LIMIT, summary=SUMMARY_LIMIT)
    return title, summary


_ENCLOSING = {"«": "»", "“": "”", "„": "“", '"': '"', "'": "'"}


def unquoted(text: str) -> str:
    """The words of a quote without the quotation marks an editor typed around them (they are
    not the speaker's; the briefing puts its own)."""
    text = collapse_whitespace(text)
    if len(text) >= 2 and _ENCLOSING.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text


# --- changes waiting for an admin's Apply -----------------------------------------------------


@dataclass(frozen=True)
class EditText:
    snippet_id: int
    text: str


@dataclass(frozen=True)
class AddFigure:
    snippet_id: int
    value: str
    unit: str
    label: str


@dataclass(frozen=True)
class RemoveFigure:
    snippet_id: int
    position: int  # from 1, as listed to the editor
    label: str = ""  # the figure meant: an Apply after the list changed takes out no other


@dataclass(frozen=True)
class SetQuote:
    snippet_id: int
    text: str
    speaker: str = ""  # "Name, role"; empty: the replaced quote's speaker, or the source's author
    position: int = 0  # the quote it replaces, from 1; 0 adds one
    replaces: str = ""  # that quote's words: an Apply after the list changed replaces no other


@dataclass(frozen=True)
class RemoveQuote:
    snippet_id: int
    position: int
    text: str = ""  # the quote meant


@dataclass(frozen=True)
class Publish:
    snippet_id: int


@dataclass(frozen=True)
class Retire:
    snippet_id: int


@dataclass(frozen=True)
class ApplyFile:
    name: str
    data: str  # the file's text, checked again on Apply
    drafting: str = ""  # an article's: what the model proposed and the guard kept, shown in the preview
    page: dict | None = None  # for a page read from a link: its metadata (PageMetadata.as_json)


SnippetChange = EditText | AddFigure | RemoveFigure | SetQuote | RemoveQuote
R = TypeVar("R", RemoveFigure, RemoveQuote)
PendingChange = SnippetChange | Publish | Retire | ApplyFile
# how each kind is stored (kind, payload); the payload keys are those of earlier releases, so
# confirmations made before an upgrade still apply after it
_KINDS: dict[str, type] = {
    "edit": EditText, "figure": AddFigure, "publish": Publish, "retire": Retire, "file": ApplyFile,
    "figure_remove": RemoveFigure, "quote": SetQuote, "quote_remove": RemoveQuote,
}  # fmt: skip


def _stored(change: PendingChange) -> tuple[str, dict]:
    kind = next(name for name, cls in _KINDS.items() if isinstance(change, cls))
    payload = dict(vars(change))
    if "snippet_id" in payload:
        payload["id"] = payload.pop("snippet_id")
    return kind, payload


def _restored(kind: str, payload: dict) -> PendingChange | None:
    cls = _KINDS.get(kind)
    if cls is None or not isinstance(payload, dict):
        return None
    values = dict(payload)
    if "id" in values:
        values["snippet_id"] = values.pop("id")
    try:
        return cls(**values)
    except TypeError:
        return None


@dataclass(frozen=True)
class Preview:
    snippet: SnippetRecord
    parts: tuple[str, ...]  # exactly what subscribers would get


class Editorial:
    def __init__(
        self, repository: EditorialRepository, content: ContentRepository, catalogue: Catalogue,
        owners: frozenset[int], events: Events, outbox: Outbox, chats: ChatRepository,
        reactions: ReactionRepository, topics: TopicRepository | None = None,
    ) -> None:
        self.repository = repository
        self.topics = topics  # topics the editors add, beside the catalogue's
        self.content = content
        self.catalogue = catalogue
        self.owners = owners
        self.events = events  # every committed change readers may see is announced
        self.outbox = outbox
        self.chats = chats
        self.reactions = reactions  # what readers value, for the editors

    async def role(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id in self.owners:
            return OWNER
        return EDITOR if await self.repository.is_editor(user_id) else None

    # --- reading ----------------------------------------------------------------------------

    async def snippet(self, snippet_id: int) -> SnippetRecord:
        record = await self.repository.snippet(snippet_id)
        if record is None:
            raise EditError("edit_no_snippet", id=snippet_id)
        return record

    async def preview(self, snippet_id: int, lang: str) -> Preview:
        record = await self.snippet(snippet_id)
        [view] = await self.content.snippets_by_id([snippet_id])
        topic = self.catalogue.by_slug(record.topic)
        text = render.render_new_snippet(topic, view, lang) if topic else render.render_snippet(view, lang)
        return Preview(record, tuple(split_html(text)))

    async def delivered_count(self, snippet_id: int) -> int:
        """Messages that carried this snippet: what a correction will touch."""
        return await self.outbox.delivered_count(snippet_id)

    async def recipients(self, snippet_id: int) -> int:
        """Chats that will receive this snippet the moment it is published (by its topic or
        by their alerts)."""
        record = await self.snippet(snippet_id)
        return await self.chats.recipients(record.topic, snippet_id)

    async def queued_for(self, snippet_id: int) -> int:
        return await self.outbox.queued_for(snippet_id)

    # --- checks -----------------------------------------------------------------------------

    async def _check_numbers(self, snippet_id: int, source_id: str, *texts: str) -> None:
        """Every number in `texts` stated in the snippet's own passage of its source, with its
        scale, unit, period and year (`faithfulness.number_problems`); a note's numbers only
        with the link it cites."""
        source_text = await self.repository.source_text(source_id)
        if not source_text:
            url = await self.repository.source_url(source_id)
            _refuse(await _off_loop(note_problems, " ".join(texts), url))
            return
        passage = await self.source_passage(snippet_id) or source_text
        # reading numbers against a whole source is CPU work: in a worker thread
        _refuse(await _off_loop(lambda: [p for text in texts for p in number_problems(text, passage, source_text)]))

    async def copied_words(self, snippet_id: int, view: SnippetView | None = None) -> list[Copied]:
        """The snippet's fields (title, summary, labels; their English) that repeat eight or
        more of its source's words in a row outside quotation marks: what it may not be
        published with. `view`: the snippet as it would be after a change."""
        record = await self.snippet(snippet_id)
        source_text = await self.repository.source_text(record.source_id)
        if not source_text:
            return []  # an editors' note: no source whose words it could repeat
        if view is None:
            [view] = await self.content.snippets_by_id([snippet_id])
        fields = snippet_fields(view.title, view.summary, [f.label for f in view.figures], view.title_en,
                                view.summary_en, [f.label_en for f in view.figures])  # fmt: skip
        # hashing a long source's runs takes tens of milliseconds: off the event loop
        return await asyncio.to_thread(copied_fields, fields, source_text)

    async def check_own_words(self, snippet_id: int, view: SnippetView | None = None) -> None:
        """Refuse (EditError) a snippet that would reach readers with its source's words as its own."""
        copied = await self.copied_words(snippet_id, view)
        if copied:
            if view is None:
                [view] = await self.content.snippets_by_id([snippet_id])
            raise own_words_refusal(snippet_id, copied[0], _credit(view))

    # --- changes ----------------------------------------------------------------------------

    async def add(self, actor: Actor, topic_name: str, text: str) -> int:
        topic = self.catalogue.find(topic_name)
        if topic is None:
            raise EditError("unknown_topic", name=topic_name[:40], topics=", ".join(t.command for t in self.catalogue))
        link, text = note_link(text)
        try:
            title, summary = split_title(text)
        except EditError as exc:  # /add's own usage, with the topic in front
            raise EditError("add_usage") if exc.key == "edit_text_usage" else exc from None
        # the editors' own words: a number only with the link to where it is stated, cited
        _refuse(await _off_loop(note_problems, f"{title} {summary}", link))
        today = dt.date.today()
        source_id = editors_source_id(today, link)
        await self.repository.ensure_editors_source(source_id, "Заметки редакции", today.isoformat(), EDITORS, url=link)
        return await self.repository.create_draft(actor, source_id, topic.slug, title, summary)

    async def check_edit(self, snippet_id: int, text: str) -> tuple[SnippetRecord, str, str]:
        record = await self.snippet(snippet_id)
        if record.status == "retired":
            raise EditError("edit_retired", id=snippet_id)
        title, summary = split_title(text)
        await self._check_numbers(snippet_id, record.source_id, title, summary)
        if record.status == "published":  # a draft may hold copied words until it is published
            [view] = await self.content.snippets_by_id([snippet_id])
            await self.check_own_words(snippet_id, dataclasses.replace(view, title=title, summary=summary))
        return record, title, summary

    async def edit(self, actor: Actor, snippet_id: int, text: str) -> int:
        _record, title, summary = await self.check_edit(snippet_id, text)
        return self._changed(await self.repository.update_text(actor, snippet_id, title, summary))

    async def check_figure(self, snippet_id: int, value: str, unit: str, label: str) -> tuple[SnippetRecord, Figure]:
        record = await self.snippet(snippet_id)
        if record.status == "retired":
            raise EditError("edit_retired", id=snippet_id)
        number, upper = _figure_number(value)
        if upper is not None and upper <= number:
            raise EditError("figure_range_order", value=value.strip())
        if not unit.strip() or not label.strip():
            raise EditError("figure_usage")
        source_text = await self.repository.source_text(record.source_id)
        if not source_text:
            raise EditError("figure_needs_source", number=value)
        [view] = await self.content.snippets_by_id([snippet_id])
        if len(view.figures) >= FIGURES_PER_SNIPPET:  # what a seed file may hold, so /export loads again
            raise EditError("figure_limit", id=snippet_id, limit=FIGURES_PER_SNIPPET)
        anchors = [q.text for q in view.quotes] + [f.evidence for f in view.figures]
        anchors += re.split(r"(?<=[.!?…])\s+", view.summary)
        passage = await _off_loop(snippet_passage, source_text, anchors)
        if passage is None:
            raise EditError("figure_no_passage", id=snippet_id)
        value_text = Figure(value=number, value_to=upper, unit="x", label="x", evidence="x").value_text  # "8–9"
        evidence, problem = await _off_loop(figure_evidence, f"{value_text} {unit.strip()}", passage, source_text)
        if problem is not None and problem.kind in ("missing", "elsewhere") and not problem.found:
            raise EditError("figure_not_in_passage", number=value, id=snippet_id)
        if evidence is None:
            _refuse([problem or NumberProblem("missing", f"{value} {unit}".strip())])
        await self._check_numbers(snippet_id, record.source_id, label)
        figure = Figure(value=number, value_to=upper, unit=unit.strip()[:40], label=label.strip()[:200], evidence=evidence)
        _refuse([problem] if (problem := figure_problem(figure, evidence)) else [])  # one end of a range is no figure
        if record.status == "published":
            await self.check_own_words(snippet_id, dataclasses.replace(view, figures=(*view.figures, figure)))
        return record, figure

    async def add_figure(self, actor: Actor, snippet_id: int, value: str, unit: str, label: str) -> int:
        _record, figure = await self.check_figure(snippet_id, value, unit, label)
        return self._changed(await self.repository.add_figure(actor, snippet_id, figure))

    async def _editable(self, snippet_id: int) -> SnippetRecord:
        record = await self.snippet(snippet_id)
        if record.status == "retired":
            raise EditError("edit_retired", id=snippet_id)
        return record

    async def check_remove_figure(self, change: RemoveFigure) -> tuple[SnippetRecord, RemoveFigure, tuple[Figure, ...]]:
        """The change naming the figure it means (by its label), and the figures left after it."""
        return await self._without(change, "figures", "label", "figure_no_such")

    async def check_remove_quote(self, change: RemoveQuote) -> tuple[SnippetRecord, RemoveQuote, tuple[QuoteView, ...]]:
        return await self._without(change, "quotes", "text", "quote_no_such")

    async def _without(self, change: R, field: str, meant: str, missing: str) -> tuple[SnippetRecord, R, tuple]:
        record = await self._editable(change.snippet_id)
        [view] = await self.content.snippets_by_id([change.snippet_id])
        items = getattr(view, field)
        item = _listed(items, change.position, meant, getattr(change, meant), missing=missing, snippet_id=change.snippet_id)
        rest = items[:change.position - 1] + items[change.position:]
        return record, dataclasses.replace(change, **{meant: getattr(item, meant)}), rest

    async def check_quote(self, change: SetQuote) -> tuple[SnippetRecord, SetQuote, tuple[QuoteView, ...]]:
        """The seed files' rules for a quote: verbatim in the source's text, within the model's
        limits, said by the source's author (or, for new words in place of a quote, by whoever
        said that one) unless a speaker is named. Returns the change (with the words it
        replaces) and the quotes after it."""
        record = await self._editable(change.snippet_id)
        source_text = await self.repository.source_text(record.source_id)
        if not source_text:
            raise EditError("quote_needs_source")
        words = unquoted(change.text)
        if not words:
            raise EditError("quote_usage")
        [view] = await self.content.snippets_by_id([change.snippet_id])
        speaker = view.source.author
        if change.position:
            replaced = _listed(view.quotes, change.position, "text", change.replaces,
                               missing="quote_no_such", snippet_id=change.snippet_id)  # fmt: skip
            change = dataclasses.replace(change, replaces=replaced.text)
            speaker = replaced.author  # new words of the same person, unless another is named
        elif len(view.quotes) >= QUOTES_PER_SNIPPET:
            raise EditError("quote_limit", id=change.snippet_id, limit=QUOTES_PER_SNIPPET)
        if change.speaker.strip():
            speaker = _speaker(change.speaker)
        try:
            quote = Quote(text=words, author=speaker)
        except ValidationError:
            raise EditError("quote_too_long", limit=QUOTE_LIMIT) from None
        found, start = await _off_loop(_verbatim, quote.text, source_text)
        if not found:
            if not start:
                raise EditError("quote_not_in_source")
            following = quote.text[len(start):].split()[0]
            raise EditError("quote_differs", start=_tail(start), next=following[:40])
        await self._check_numbers(change.snippet_id, record.source_id, speaker.name, speaker.role or "")
        voices = await self.voices(record.source_id, source_text, view)
        credit = await _off_loop(quote_credit_problem, quote.text, speaker.name, voices)
        if credit is not None:
            raise EditError(f"quote_credit_{credit.kind}", speaker=credit.speaker or "", credited=speaker.name)
        new = QuoteView(quote.text, speaker)
        quotes = list(view.quotes)
        if change.position:
            quotes[change.position - 1] = new
        else:
            quotes.append(new)
        return record, change, tuple(quotes)

    async def voices(self, source_id: str, source_text: str, view: SnippetView) -> Voices | None:
        """Who says what in the source: as stored with it, else read now from its text (a source
        stored before voices were kept), without the language models, in a worker thread."""
        stored = await self.content.source_voices(source_id)
        if stored is not None:
            return stored
        source = view.source
        people = [source.author.name] + [q.author.name for q in view.quotes if q.author]
        interviewee = source.author.name if source.kind == "interview" else None
        return await asyncio.to_thread(source_voices, source_text, interviewee, people)

    async def remove_figure(self, actor: Actor, change: RemoveFigure) -> int:
        await self.check_remove_figure(change)
        return self._changed(await self.repository.remove_figure(actor, change.snippet_id, change.position))

    async def set_quote(self, actor: Actor, change: SetQuote) -> int:
        _record, change, quotes = await self.check_quote(change)
        quote = quotes[change.position - 1] if change.position else quotes[-1]
        return self._changed(await self.repository.put_quote(actor, change.snippet_id, quote, change.position))

    async def remove_quote(self, actor: Actor, change: RemoveQuote) -> int:
        await self.check_remove_quote(change)
        return self._changed(await self.repository.remove_quote(actor, change.snippet_id, change.position))

    async def publish(self, actor: Actor, snippet_id: int) -> None:
        record = await self.snippet(snippet_id)
        if record.status == "published":
            raise EditError("edit_already_published", id=snippet_id)
        self.check_topic(record)
        await self.check_own_words(snippet_id)
        self._changed(await self.repository.publish(actor, snippet_id))

    def check_topic(self, record: SnippetRecord) -> None:
        """A draft without a topic (its article fitted none) is not published until an editor
        chooses one: readers find briefings by topic."""
        if not record.topic or self.catalogue.by_slug(record.topic) is None:
            raise EditError("publish_needs_topic", id=record.id)

    async def set_topic(self, actor: Actor, snippet_id: int, name: str) -> str:
        """Put a draft under a topic (by slug, command or title); returns the topic's slug."""
        record = await self.snippet(snippet_id)
        if record.status != "draft":
            raise EditError("topic_only_drafts", id=snippet_id)
        topic = self.catalogue.find(name)
        if topic is None:
            raise EditError("unknown_topic", name=name[:40], topics=", ".join(t.command for t in self.catalogue))
        await self.repository.set_topic(actor, snippet_id, topic.slug)
        self._changed(None)
        return topic.slug

    async def add_topic(self, actor: Actor, slug: str, title: str, description: str) -> str:
        """A new topic beside the catalogue's, stored and usable at once; returns its slug."""
        if self.topics is None:
            raise EditError("topic_add_unavailable")
        try:
            topic = editor_topic(self.catalogue, slug, title, description)
            await self.topics.add(actor, topic)
        except ContentError as exc:
            raise EditError("topic_add_refused", error=str(exc)) from None
        except TopicExists:
            raise EditError("topic_add_refused", error=f"{slug!r} already exists") from None
        self.catalogue.add(topic)
        return topic.slug

    async def retire(self, actor: Actor, snippet_id: int) -> int:
        record = await self.snippet(snippet_id)
        if record.status == "retired":
            raise EditError("edit_retired", id=snippet_id)
        return self._changed(await self.repository.retire(actor, snippet_id))

    # --- confirmations ------------------------------------------------------------------------

    async def hold(self, actor: Actor, change: PendingChange) -> str:
        """Keep a change until its admin presses Apply; the token names it (once, for them)."""
        kind, payload = _stored(change)
        return await self.repository.put_pending(actor.id or 0, kind, payload)

    async def take(self, actor: Actor, token: str) -> PendingChange | None:
        """The change this token stands for, once, and only for the admin who asked for it."""
        found = await self.repository.take_pending(token, actor.id or 0)
        return _restored(*found) if found else None

    async def apply(self, actor: Actor, change: SnippetChange | Publish | Retire) -> int:
        """Carry out a confirmed change; returns the chats it reaches (queued or corrected)."""
        match change:
            case EditText(snippet_id, text):
                return await self.edit(actor, snippet_id, text)
            case AddFigure(snippet_id, value, unit, label):
                return await self.add_figure(actor, snippet_id, value, unit, label)
            case RemoveFigure():
                return await self.remove_figure(actor, change)
            case SetQuote():
                return await self.set_quote(actor, change)
            case RemoveQuote():
                return await self.remove_quote(actor, change)
            case Publish(snippet_id):
                await self.publish(actor, snippet_id)
                return await self.queued_for(snippet_id)
            case Retire(snippet_id):
                return await self.retire(actor, snippet_id)
        raise TypeError(f"not an editorial change: {change!r}")

    async def record_reaction(self, chat_id: int, message_id: int, user_id: int, emoji: list[str]) -> bool:
        """A reader's reactions on a delivered briefing; False for any other message."""
        return await self.reactions.set(chat_id, message_id, user_id, emoji) is not None

    async def top_reactions(self, limit: int = 10):
        return await self.reactions.top(limit)

    async def drafts(self, limit: int) -> list[SnippetRecord]:
        return await self.repository.drafts(limit)

    async def on_the_desk(self, limit: int) -> list[SnippetRecord]:
        """Drafts and live snippets, by topic and status (the Mini App's list)."""
        return await self.repository.on_the_desk(limit)

    async def source_passage(self, snippet_id: int) -> str | None:
        """The part of its source a snippet is about (where its figures' evidence and quotes
        are found), or None for a snippet without a source text."""
        record = await self.snippet(snippet_id)
        source_text = await self.repository.source_text(record.source_id)
        if not source_text:
            return None
        [view] = await self.content.snippets_by_id([snippet_id])
        anchors = [q.text for q in view.quotes] + [f.evidence for f in view.figures]
        anchors += re.split(r"(?<=[.!?…])\s+", view.summary)
        return await _off_loop(snippet_passage, source_text, anchors)

    async def history(self, snippet_id: int):
        return await self.repository.history(snippet_id)

    async def set_editor(self, actor: Actor, user_id: int, *, grant: bool) -> bool:
        """Grant or revoke the editor role; False if nothing changed."""
        if grant:
            return await self.repository.grant(user_id, actor)
        return await self.repository.revoke(user_id, actor)

    def _changed(self, result: T) -> T:
        self.events.content_changed.announce()
        return result


FIGURE_RANGE = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*[-–—‒]\s*(\d+(?:[.,]\d+)?)\s*")


def _figure_number(value: str) -> tuple[Decimal, Decimal | None]:
    """A figure's value as an editor writes it: 28, 1,5, or a range 8-9 / 8–9 / 2,3 – 2,5 (its
    lower and upper end)."""
    found = FIGURE_RANGE.fullmatch(value)
    try:
        if found:
            return Decimal(found.group(1).replace(",", ".")), Decimal(found.group(2).replace(",", "."))
        return Decimal(value.strip().replace(",", ".")), None
    except InvalidOperation:
        raise EditError("figure_usage") from None


def _refuse(problems: list[NumberProblem]) -> None:
    """A refusal naming each number that is not the source's and what the source says instead."""
    if problems:
        raise EditError("edit_numbers", problems_ru="\n".join(f"• {p.message('ru')}" for p in problems[:5]),
                        problems_en="\n".join(f"• {p.message('en')}" for p in problems[:5]))


# --- checks against a source's whole text: CPU work (a source may hold 200,000 characters) for a
# worker thread, so the event loop keeps answering readers meanwhile


async def _off_loop(function, *args):
    return await asyncio.to_thread(function, *args)


def _verbatim(words: str, source_text: str) -> tuple[bool, str]:
    """Whether the words stand in the source verbatim; if not, the part of them that does."""
    if verbatim_in(words, source_text):
        return True, ""
    return False, verbatim_start(words, source_text)


def _listed(items: tuple[T, ...], position: int, attribute: str, meant: str, *, missing: str, snippet_id: int) -> T:
    """The item at `position` (from 1); if the change names the one it meant (its `attribute`),
    that one still."""
    if not 0 < position <= len(items):
        raise EditError(missing, id=snippet_id, position=position, count=len(items))
    item = items[position - 1]
    if meant and getattr(item, attribute) != meant:
        raise EditError("edit_list_changed", id=snippet_id)
    return item


def _speaker(text: str) -> Person:
    """"Name, role" as an editor types it."""
    name, _, role = (part.strip() for part in collapse_whitespace(text).partition(","))
    try:
        return Person(name=name, role=role or None)
    except ValidationError:
        raise EditError("quote_speaker_usage", name=NAME_LIMIT, role=ROLE_LIMIT) from None


def _tail(words: str, limit: int = 80) -> str:
    """The end of a long run of words: where it stops matching is what matters."""
    return words if len(words) <= limit else "…" + words[-limit:].split(" ", 1)[-1]


def own_words_refusal(snippet_id: int, copied: Copied, who: str) -> EditError:
    """The refusal of text that repeats its source's words as its own: which field, the words,
    and the two honest ways (said by the text's key)."""
    kind, position = copied_kind(copied)
    return EditError(f"own_words_{kind}", id=snippet_id, count=copied.count, words=copied.words,
                     who=who, position=position)  # fmt: skip


def copied_kind(copied: Copied) -> tuple[str, int]:
    """("title" | "summary" | "label", the figure's position from 1 for a label)."""
    match = re.match(r"figures\[(\d+)\]", copied.field)
    if match:
        return "label", int(match.group(1)) + 1
    return ("title" if copied.field.startswith("title") else "summary"), 0


def _credit(view: SnippetView) -> str:
    """Whom to credit the source's words to, as a refusal suggests it: the source's author or
    interviewee, else its outlet, else the article's author unnamed."""
    author = view.source.author.name
    if author not in (UNKNOWN_AUTHOR, EDITORS):
        return author
    return view.source.outlet or ("the article" if view.source.language == "en" else "автор материала")
