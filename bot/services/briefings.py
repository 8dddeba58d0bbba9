"""What readers ask for, rendered and cached per content version.

Handlers call these methods and send what comes back. Rendered replies are cached under the
content version they were made from; `forget()` drops them (it listens to `Events.content_changed`), so a topic command costs
a dictionary lookup until the content changes.
"""

from __future__ import annotations

import asyncio
import dataclasses

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.presentation import charts, fields, render
from bot.domain.catalogue import Catalogue
from bot.presentation.html import split_html
from bot.presentation.reply import Reply
from bot.domain.models import Topic
from bot.domain.views import QuoteView, SnippetView
from bot.storage.chats import ChatRepository
from bot.storage.content_repository import ContentRepository
from bot.storage.turns import ALL_TOPICS, QuoteTurns
from bot.domain.search_text import MAX_QUERY_WORDS, is_chatter, is_thanks, meaningful_words
from bot.presentation.keyboards import MAX_PAGES, Keyboards
from bot.domain.stemming import words
from bot.presentation.texts import t

SEARCH_RESULTS = 5
T = TypeVar("T")


LATEST_LIMIT = 10
CAPTION_LIMIT = 1000  # Telegram's is 1024 characters after entities are parsed


@dataclass(frozen=True)
class Chart:
    topic: str
    lang: str
    png: bytes
    caption: str  # HTML: the same numbers as the picture, and their sources
    file_id: str | None = None  # set once Telegram has the picture
    panels: tuple[charts.Panel, ...] = ()  # what the picture shows: a chart per unit family


@dataclass(frozen=True)
class InlineItem:
    """One inline-mode result: what the list shows, and the message it sends into the chat."""

    id: str
    title: str
    description: str
    text: str


INLINE_RESULTS = 10


def quote_reply(topic: Topic, snippet: SnippetView, quote: QuoteView, lang: str) -> Reply:
    """A quote as `/quote` sends it: with its source's link preview and its copy button."""
    markup = render.render_quote(topic, snippet, quote, lang)
    return Reply(tuple(split_html(markup)), topic, link=snippet.source.url,
                 copy=render.copy_quote_text(quote, snippet.source, lang))


class Briefings:
    def __init__(
        self, catalogue: Catalogue, repository: ContentRepository, keyboards: Keyboards, chats: ChatRepository,
        turns: QuoteTurns,
    ) -> None:
        self.catalogue = catalogue
        self.repository = repository
        self.keyboards = keyboards
        self.chats = chats  # a reader's last visit, for /latest
        self.turns = turns  # each reader's turn among a topic's quotes
        self._turns: dict[tuple[int | None, str], int] = {}  # the same, while the database refuses writes
        self._file_ids: dict[tuple[str, str], str] = {}  # (topic, language) -> a chart Telegram has
        self._cache: dict[tuple[str, ...], Any] = {}

    def forget(self) -> None:
        """Content changed (subscribed to `Events.content_changed`): render again."""
        self._cache.clear()
        self._file_ids.clear()

    async def _cached(self, key: tuple[str, ...], make: Callable[[], Awaitable[T]]) -> T:
        """Everything derived from content goes through here, so one `clear()` forgets it all."""
        if key not in self._cache:
            self._cache[key] = await make()
        return self._cache[key]

    async def has_figures(self, topic: Topic) -> bool:
        """Whether the topic has any key figure (so a "figures" button leads somewhere)."""
        return topic.slug in await self._cached(("with_figures",), self.repository.topics_with_figures)

    async def topic(self, topic: Topic, lang: str, index: int = 0) -> Reply:
        """The topic's briefing, screen `index`: with several snippets, the summary across them
        first, then each one (the buttons page through them); the card's original and the
        quote its copy button gives ride along."""

        async def make() -> Reply:
            snippets = await self.repository.published_snippets(topic.slug, MAX_PAGES)
            screens = render.briefing_pages(snippets)
            shown = min(index, max(screens - 1, 0))
            card = render.briefing_card(topic, snippets, lang, shown)
            return Reply(tuple(split_html(card.html)), topic, page=(shown, screens) if snippets else None,
                         link=card.link, copy=card.copy)

        return await self._cached(("topic", topic.slug, lang, str(index)), make)

    async def figures(self, lang: str, topic: Topic | None = None) -> Reply:
        async def make() -> Reply:
            snippets = await self.repository.published_snippets(topic.slug if topic else None)
            markup = render.render_figures(self.catalogue, snippets, lang, only=topic)
            return Reply(tuple(split_html(markup)), topic)

        return await self._cached(("figures", topic.slug if topic else "", lang), make)

    async def chart(self, lang: str, topic: Topic) -> Chart | None:
        """The topic's key figures as a picture (a chart per unit family, its values as bars),
        with every number in its caption too; None where a picture would not help. Rendered
        once per content version; once Telegram has it, sent again by its file_id
        (`remember_chart`)."""

        async def make() -> Chart | None:
            snippets = await self.repository.published_snippets(topic.slug, MAX_PAGES)
            rows = [(figure, snippet) for snippet in snippets for figure in snippet.figures]
            drawn = charts.panels([
                (charts.Bar(render.in_language(f.label, f.label_en, lang), f.value,
                            fields.figure_amount(f, lang),
                            t(lang, f"stated_by_{f.stated_by}") if f.stated_by == "interviewer" else "",
                            fields.figure_unit(f, lang) or f.unit, f.value_to),
                 f.unit)
                for f, _snippet in rows
            ])  # fmt: skip
            if not drawn:
                return None
            title = f"{topic.title.get(lang)}: {t(lang, 'figures_title').lower()}"
            png = await asyncio.to_thread(charts.render_panels, title, drawn)
            caption = render.chart_caption(topic, [(f, s.source) for f, s in rows], drawn, lang, CAPTION_LIMIT)
            return Chart(topic.slug, lang, png, caption, panels=tuple(drawn))

        chart = await self._cached(("chart", topic.slug, lang), make)
        file_id = self._file_ids.get((topic.slug, lang)) if chart is not None else None
        return dataclasses.replace(chart, file_id=file_id) if file_id else chart

    def remember_chart(self, chart: Chart, file_id: str) -> None:
        """Telegram stored the picture: the next reader gets it by file_id, no render, no upload."""
        self._file_ids[(chart.topic, chart.lang)] = file_id

    async def quote(self, lang: str, topic: Topic | None = None, reader: int | None = None) -> Reply:
        """A quote on the topic (or any topic), in turns per reader: the one its briefing already
        shows comes last in the turn (first only where it is the only one), the next one at each ask of this reader
        (`reader`: a user id, or the chat's where no user sends it, as in a channel)."""
        choices = await self._quotes(lang, topic)
        if not choices:
            return Reply((t(lang, "no_quotes"),), topic)
        if len(choices) == 1:
            return choices[0]
        slug = topic.slug if topic else ALL_TOPICS
        turn = await self.turns.take(reader, slug) if reader is not None else None
        if turn is None:  # nobody to record it for, or not recorded: turns kept here meanwhile
            turn = self._turns.get((reader, slug), 0)
            self._turns[(reader, slug)] = turn + 1
        return choices[turn % len(choices)]

    async def _quotes(self, lang: str, topic: Topic | None) -> tuple[Reply, ...]:
        """Every quote on the topic (or on all), rendered once per content version; for a topic,
        the quote under its briefing last."""

        async def make() -> tuple[Reply, ...]:
            snippets = await self.repository.published_snippets(topic.slug if topic else None)
            rendered = []
            on_screen = render.briefing_quote(snippets) if topic else None
            shown = on_screen[1] if on_screen else None
            for snippet in snippets:
                quote_topic = self.catalogue.by_slug(snippet.topic)
                for quote in snippet.quotes if quote_topic else ():
                    if quote == shown:
                        continue
                    rendered.append(quote_reply(quote_topic, snippet, quote, lang))
            if on_screen is not None:  # the briefing's own quote comes last in the turn (or is the only one)
                snippet, quote = on_screen
                rendered.append(quote_reply(topic, snippet, quote, lang))
            return tuple(rendered)

        return await self._cached(("quotes", topic.slug if topic else "", lang), make)

    async def search(self, query: str, lang: str) -> Reply:
        if len(words(query)) > MAX_QUERY_WORDS * 2:
            return Reply((t(lang, "search_too_long", words=MAX_QUERY_WORDS),))
        if not meaningful_words(query):
            return Reply((t(lang, "search_nothing_meaningful", query=query.strip()[:80]),))
        results = await self.repository.search(query, SEARCH_RESULTS)
        topic = self.catalogue.by_slug(results[0][0].topic) if results else None
        markup = render.render_search(query, results, self.catalogue, lang)
        return Reply(tuple(split_html(markup)), topic)

    async def answer_text(self, text: str, lang: str) -> Reply:
        """Free text: the briefing of the topic its words point to, or else search results;
        thanks get a short thanks, a greeting the topic menu."""
        if is_thanks(text):
            return Reply((t(lang, "thanks_reply"),))
        if is_chatter(text):
            return Reply((t(lang, "chatter_reply"),), keyboard=self.keyboards.topic_menu(lang))
        routed = self.catalogue.route(text)
        if routed:
            return await self.topic(routed[0], lang)
        return await self.search(text, lang)

    async def inline_items(self, query: str, lang: str) -> list[InlineItem]:
        """`@bot words`: the matching topics' briefings, figures and a quote, then search hits;
        an empty query offers every topic. Each message is one part, within the limit."""
        query = query.strip()
        if not query:
            return [await self._topic_item(topic, lang) for topic in self.catalogue]
        items: dict[str, InlineItem] = {}
        for topic in self.catalogue.route(query)[:3]:
            for item in await self._topic_items(topic, lang):
                items.setdefault(item.id, item)
        for snippet, _hit in await self.repository.search(query, INLINE_RESULTS):
            topic = self.catalogue.by_slug(snippet.topic)
            if topic is not None:
                item = await self._topic_item(topic, lang)
                items.setdefault(item.id, item)
        return list(items.values())[:INLINE_RESULTS]

    async def _topic_item(self, topic: Topic, lang: str) -> InlineItem:
        reply = await self.topic(topic, lang)
        return InlineItem(f"t:{topic.slug}", f"{topic.emoji} {topic.title.get(lang)}",
                          topic.description.get(lang), reply.parts[0])

    async def _topic_items(self, topic: Topic, lang: str) -> list[InlineItem]:
        """A topic's briefing, figures and first quote as inline results, built once."""

        async def make() -> list[InlineItem]:
            items = [await self._topic_item(topic, lang)]
            snippets = await self.repository.published_snippets(topic.slug, MAX_PAGES)
            figures = [figure for snippet in snippets for figure in snippet.figures]
            if figures:
                reply = await self.figures(lang, topic)
                described = "; ".join(fields.figure_amount(f, lang) for f in figures[:3])
                items.append(InlineItem(f"f:{topic.slug}", f"📊 {topic.title.get(lang)}", described, reply.parts[0]))
            quotes = await self._quotes(lang, topic)
            first = next((q for snippet in snippets for q in snippet.quotes), None)
            if quotes and first:
                items.append(InlineItem(f"q:{topic.slug}", f"💬 {topic.title.get(lang)}",
                                        f"«{first.text[:90]}»", quotes[0].parts[0]))
            return items

        return await self._cached(("inline", topic.slug, lang), make)

    async def latest(self, chat_id: int, kind: str, title: str, lang: str) -> Reply:
        """What was published since this chat's last /latest (the newest few the first time);
        from now on, that counts as seen."""
        await self.chats.ensure(chat_id, kind, title, lang)
        previous = await self.chats.visit(chat_id)
        snippets = await self.repository.published_since(previous, LATEST_LIMIT)
        markup = render.render_latest(self.catalogue, snippets, lang, first_visit=previous is None)
        return Reply(tuple(split_html(markup)), keyboard=self.keyboards.topic_menu(lang) if not snippets else None)

    async def about(self, lang: str) -> Reply:
        async def make() -> Reply:
            sources = await self.repository.live_sources()
            return Reply(tuple(split_html(render.render_about(sources, lang))))

        return await self._cached(("about", lang), make)

    def topics(self, lang: str) -> Reply:
        return Reply((render.render_topics(self.catalogue, lang),))

    def help(self, lang: str) -> Reply:
        return Reply(tuple(split_html(render.render_help(self.catalogue, lang))))
