"""Rendering content as Telegram HTML. Pure functions: content in, markup out.

Every piece of content goes through `escape`; the layout is built for a phone screen: a bold
title, the summary, bullets of key numbers (more than three folded into an expandable
blockquote), a quote in a blockquote with its author, and a source line with the date. A topic
of several snippets opens on a summary across them (`render_summary`); each screen of a
briefing is a `Card`: its HTML, the original for its link preview and the quote its copy
button gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from bot.domain.catalogue import Catalogue
from bot.presentation.dates import reader_date
from bot.presentation.html import MESSAGE_LIMIT, escape, utf16_length, visible_length
from bot.domain.numerals import measure
from bot.domain.models import EDITORS, UNKNOWN_AUTHOR, Figure, Person, Topic, collapse_whitespace
from bot.domain.transliteration import has_cyrillic, romanize
from bot.presentation.fields import (
    field, figure_amount_html, in_russian_only, russian_only, russian_only_inside, summary_mark, title_line,
)
from bot.domain.views import QuoteView, SnippetView, SourceView
from bot.domain.views import SearchHit
from bot.domain.search_text import excerpt
from bot.presentation.texts import t

format_date = reader_date  # "8 декабря 2025", "8 December 2025"


def topic_heading(topic: Topic, lang: str) -> str:
    return f"{topic.emoji} <b>{escape(topic.title.get(lang))}</b>"


def in_language(russian: str, english: str | None, lang: str) -> str:
    """The English text for an English reader where the editors wrote one, else the original."""
    return english if lang == "en" and english else russian


def snippet_title(snippet: SnippetView, lang: str) -> str:
    return in_language(snippet.title, snippet.title_en, lang)


def only_in_russian(snippet: SnippetView, lang: str) -> bool:
    """An English reader is about to read Russian: say so plainly."""
    return lang == "en" and not (snippet.title_en and snippet.summary_en)


def figure_line(figure: Figure, lang: str) -> str:
    year = f", {t(lang, 'year', year=figure.year)}" if figure.year else ""
    label = field(figure.label, figure.label_en, lang)
    value = figure_amount_html(figure, lang, label_marked=in_russian_only(figure.label, figure.label_en, lang))
    notes = []
    if figure.stated_by_name:
        notes.append(t(lang, "stated_by_person", name=escape(person_name(Person(name=figure.stated_by_name), lang))))
    elif figure.stated_by:
        notes.append(t(lang, f"stated_by_{figure.stated_by}"))
    if figure.caveat:
        notes.append(field(figure.caveat, figure.caveat_en, lang, inside_italics=True))
    note = f" <i>({'; '.join(notes)})</i>" if notes else ""
    return f"• {value} — {label}{year}{note}"


def person_name(person: Person, lang: str = "ru") -> str:
    """A name as the reader reads it: for English, in Latin letters (the editors are "the
    editors", never "Редакция"; an author the text does not name is "author not given", never
    a romanised placeholder)."""
    if lang != "en":
        return person.name
    if person.name == EDITORS:
        return t(lang, "kind_note_author")
    if person.name == UNKNOWN_AUTHOR:
        return t(lang, "author_unknown")
    return person.name_en or romanize(person.name)


def person_line(person: Person, lang: str = "ru") -> str:
    role = person.role_in(lang)
    name = escape(person_name(person, lang))
    return f"{name}, {escape(role)}" if role else name


def quote_block(quote: QuoteView, lang: str = "ru") -> str:
    """The words as said (verbatim, in the original language) and, for an English reader, the
    editors' translation marked as one, or the "Russian only" mark where there is none."""
    text = quote.text.strip()
    if not text.startswith(("«", "“", '"')):
        text = f"«{text}»"
    translation = ""
    if lang == "en" and quote.text_en:
        translation = f"\n<i>{t(lang, 'translation')}: {escape(quote.text_en)}</i>"
    elif lang == "en" and has_cyrillic(quote.text):
        translation = f"\n{russian_only(lang)}"
    return f"<blockquote>{escape(text)}{translation}\n— <i>{person_line(quote.author, lang)}</i></blockquote>"


def source_line(source: SourceView, lang: str, *, author_named: bool = False) -> str:
    """Where it comes from: kind, title (linked to the original), outlet, author, date. The
    author is left out where the quote above already names them (once is enough)."""
    if source.kind == "note":  # the editors' own words: cited as theirs, with the date (and their link)
        cited = ""
        if source.url:
            host = source.url.split("//", 1)[-1].split("/", 1)[0]
            cited = f" ({t(lang, 'note_cites')} <a href=\"{escape(source.url)}\">{escape(host)}</a>)"
        return f"<i>{t(lang, 'source')}: {t(lang, 'kind_note')}{cited}, {escape(format_date(source.date, lang))}</i>"
    kind = t(lang, f"kind_{source.kind}")
    title = escape(in_language(source.title, source.title_en, lang))
    if source.url:
        title = f'<a href="{escape(source.url)}">{title}</a>'
    mark = f" {russian_only_inside(lang)}" if in_russian_only(source.title, source.title_en, lang) else ""
    outlet = field(source.outlet, source.outlet_en, lang, inside_italics=True) if source.outlet else None
    where = f", {outlet}" if outlet else ""
    author = "" if author_named else f"{escape(person_name(source.author, lang))}, "
    return f"<i>{t(lang, 'source')}: {escape(kind)} «{title}»{mark}{where}, {author}{escape(format_date(source.date, lang))}</i>"


FIGURES_OPEN = 3  # a list of more figures goes into an expandable blockquote: the briefing stays short


def figures_block(figures: Sequence[Figure], lang: str, more: int = 0) -> str:
    """Key figures under their heading; a long list folded into an expandable blockquote (the
    reader sees its first lines and taps to open it); `more` figures left out are counted."""
    lines = [figure_line(figure, lang) for figure in figures]
    if more:
        lines.append(f"<i>{t(lang, 'figures_more', count=more)}</i>")
    body = "\n".join(lines)
    if len(figures) > FIGURES_OPEN:
        body = f"<blockquote expandable>{body}</blockquote>"
    return f"📊 <b>{t(lang, 'figures_title')}</b>\n{body}"


def render_snippet(snippet: SnippetView, lang: str, with_title: bool = True) -> str:
    blocks = []
    summary = escape(in_language(snippet.summary, snippet.summary_en, lang))
    marker = f"<i>{t(lang, 'in_russian')}</i>\n" if only_in_russian(snippet, lang) else ""
    if with_title:
        blocks.append(f"{marker}<b>{escape(snippet_title(snippet, lang))}</b>\n{summary}")
    else:
        blocks.append(f"{marker}{summary}")
    if snippet.figures:
        blocks.append(figures_block(snippet.figures, lang))
    named = bool(snippet.quotes) and snippet.quotes[0].author.name == snippet.source.author.name
    if snippet.quotes:
        blocks.append(quote_block(snippet.quotes[0], lang))
    blocks.append(source_line(snippet.source, lang, author_named=named))
    return "\n\n".join(blocks)


@dataclass(frozen=True)
class Card:
    """One screen of a topic's briefing: its HTML, the original whose link preview goes with it
    (None: none has a URL), and the quote it shows as the copy button gives it (≤ 256 characters)."""

    html: str
    link: str | None = None
    copy: str | None = None


def briefing_quote(snippets: Sequence[SnippetView]) -> tuple[SnippetView, QuoteView] | None:
    """The one quote a topic's first screen shows: the newest snippet's that has any."""
    return next(((snippet, snippet.quotes[0]) for snippet in snippets if snippet.quotes), None)


def briefing_pages(snippets: Sequence[SnippetView]) -> int:
    """How many screens a topic's briefing has: one for a single snippet; with several, the
    summary across all of them and then each one by itself."""
    return len(snippets) + 1 if len(snippets) > 1 else len(snippets)


def render_briefing(topic: Topic, snippets: Sequence[SnippetView], lang: str, page: int = 0) -> str:
    return briefing_card(topic, snippets, lang, page).html


def briefing_card(topic: Topic, snippets: Sequence[SnippetView], lang: str, page: int = 0) -> Card:
    """A topic's briefing, screen `page`: with several snippets, page 0 is the summary across all
    of them (newest first, every fact with its source) and page k is the k-th newest snippet
    whole; a topic with one snippet has that one screen."""
    if not snippets:
        return Card(f"{topic_heading(topic, lang)}\n\n" + escape(t(lang, "no_content", topic=topic.title.get(lang))))
    page = max(0, min(page, briefing_pages(snippets) - 1))
    if len(snippets) > 1 and page == 0:
        return render_summary(topic, snippets, lang)
    snippet = snippets[page - 1] if len(snippets) > 1 else snippets[0]
    where = f"\n\n<i>{t(lang, 'briefing_page', n=page, total=len(snippets))}</i>" if len(snippets) > 1 else ""
    quote = snippet.quotes[0] if snippet.quotes else None
    return Card(f"{topic_heading(topic, lang)}\n\n{render_snippet(snippet, lang)}{where}", snippet.source.url,
                copy_quote_text(quote, snippet.source, lang) if quote else None)


# --- the summary across a topic's snippets ------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"„“(]?[A-ZА-ЯЁ0-9])")
LEAD_CLIP = 170  # the shortest lead: the first sentence, cut at a word near here
LEAD_LEVELS = 4  # 1: the first sentence cut short; 2: it whole; 3: two sentences; 4: all


def sentences(text: str) -> list[str]:
    return [piece for piece in _SENTENCE_END.split(collapse_whitespace(text)) if piece]


def clip(text: str, limit: int) -> str:
    """`text` cut at a word before `limit` characters with "…"; never right after a number
    (a cut "28 млрд долларов" must not read as "28")."""
    if len(text) <= limit:
        return text
    words = text[:limit].split(" ")[:-1]
    while words and (any(ch.isdigit() for ch in words[-1]) or words[-1] in ("—", "–", "-")):
        words.pop()
    return (" ".join(words).rstrip(",;:") or text[: max(limit - 1, 0)]) + "…"


def lead(summary: str, level: int) -> str:
    """A summary's key sentences at a level of detail (the editors write the gist first)."""
    parts = sentences(summary)
    if level <= 0 or not parts:
        return ""
    if level == 1:
        return clip(parts[0], LEAD_CLIP)
    if level == 2:
        return parts[0]
    if level == 3:
        return " ".join(parts[:2])
    return " ".join(parts)


@dataclass
class _Plan:
    """How much of each snippet the summary shows."""

    shown: int = 0  # the newest `shown` snippets have a section
    levels: list[int] = dataclass_field(default_factory=list)  # lead level per snippet
    figures: list[int] = dataclass_field(default_factory=list)  # figures shown per snippet
    quote: bool = False

    def but(self, **changes) -> _Plan:
        plan = _Plan(self.shown, list(self.levels), list(self.figures), self.quote)
        for name, value in changes.items():
            if name in ("level", "figure"):
                index, amount = value
                getattr(plan, f"{name}s")[index] = amount
            else:
                setattr(plan, name, value)
        return plan


def render_summary(topic: Topic, snippets: Sequence[SnippetView], lang: str) -> Card:
    """The first screen of a topic with several snippets: a section per snippet, newest first,
    each with its title, its key sentences, its figures and its own source line (one line for
    consecutive snippets of one source); one quote (the newest), under its snippet. Everything
    fits one message: what is kept is chosen in order — every snippet's title and source, the
    quote, a lead sentence each, three figures each, fuller leads, every figure, whole
    summaries — and each step is taken only where it still fits. A snippet that does not fit
    at all is counted ("N more: ◀"). Sections are rendered once per shape and measured as they
    are assembled (a topic of ten full snippets is some seventy trials)."""
    chosen = briefing_quote(snippets)
    count = len(snippets)
    plan = _Plan(0, [0] * count, [0] * count)
    made: dict[tuple, tuple[str, int]] = {}

    def section(index: int, level: int, figures: int, quote: bool, sourced: bool) -> tuple[str, int]:
        key = (index, level, figures, quote, sourced)
        if key not in made:
            markup = _section(snippets[index], lang, level, figures, chosen[1] if quote and chosen else None, sourced)
            made[key] = (markup, visible_length(markup))
        return made[key]

    def assemble(candidate: _Plan) -> tuple[str, int]:
        parts = [section(i, candidate.levels[i], candidate.figures[i],
                         candidate.quote and chosen is not None and chosen[0] is snippets[i],
                         i + 1 == candidate.shown or snippets[i].source.id != snippets[i + 1].source.id)
                 for i in range(candidate.shown)]
        head = f"{topic_heading(topic, lang)}"
        tail = [f"<i>{t(lang, 'summary_more', count=count - candidate.shown)}</i>"] if candidate.shown < count else []
        tail.append(f"<i>{t(lang, 'summary_page', total=count)}</i>")
        markup = "\n\n".join([head, *(p for p, _ in parts), *tail])
        length = visible_length(head) + sum(n for _, n in parts) + sum(visible_length(x) for x in tail)
        return markup, length + 2 * (len(parts) + len(tail))  # the blank lines between them

    def fits(candidate: _Plan) -> bool:
        return assemble(candidate)[1] <= MESSAGE_LIMIT

    for index in range(count):
        if not fits(plan.but(shown=index + 1)):
            break
        plan = plan.but(shown=index + 1)
    shown = range(plan.shown)
    steps: list[dict] = []
    if chosen is not None and snippets.index(chosen[0]) < plan.shown:
        steps.append({"quote": True})
    steps += [{"level": (i, 1)} for i in shown]
    steps += [{"figure": (i, min(FIGURES_OPEN, len(snippets[i].figures)))} for i in shown if snippets[i].figures]
    steps += [{"level": (i, level)} for level in (2, 3) for i in shown]
    steps += [{"figure": (i, len(snippets[i].figures))} for i in shown if len(snippets[i].figures) > FIGURES_OPEN]
    steps += [{"level": (i, LEAD_LEVELS)} for i in shown]
    for step in steps:
        candidate = plan.but(**step)
        if fits(candidate):
            plan = candidate
    link = next((s.source.url for s in snippets[: max(plan.shown, 1)] if s.source.url), None)
    copy = copy_quote_text(chosen[1], chosen[0].source, lang) if chosen and plan.quote else None
    return Card(assemble(plan)[0], link, copy)


def _section(snippet: SnippetView, lang: str, level: int, figures: int, quote: QuoteView | None,
             sourced: bool) -> str:
    """One snippet in a summary: title, lead at `level`, its first `figures` figures, the
    quote (if it is this snippet's), and its source line (`sourced`: the last of its run)."""
    marker = f"<i>{t(lang, 'in_russian')}</i>\n" if only_in_russian(snippet, lang) else ""
    lines = [f"{marker}<b>{escape(snippet_title(snippet, lang))}</b>"]
    text = lead(in_language(snippet.summary, snippet.summary_en, lang), level)
    if text:
        lines.append(escape(text))
    if figures:
        lines.append(figures_block(snippet.figures[:figures], lang, more=len(snippet.figures) - figures))
    if quote is not None:
        lines.append(quote_block(quote, lang))
    if sourced:
        named = quote is not None and quote.author.name == snippet.source.author.name
        lines.append(source_line(snippet.source, lang, author_named=named))
    return "\n".join(lines)


# --- the copy button ----------------------------------------------------------------------------

COPY_LIMIT = 256  # CopyTextButton.text: 1-256 characters


def copy_quote_text(quote: QuoteView, source: SourceView, lang: str) -> str:
    """A quote as the copy button gives it: the words, who said them, where and when — within
    256 characters (counted in UTF-16 units, the stricter reading). The speaker's role goes
    first, then the source's title for its outlet, then the words are cut with "…"; the speaker
    and the source stay. An English reader copies the editors' translation, marked as one."""
    translated = lang == "en" and bool(quote.text_en)
    words = collapse_whitespace(quote.text_en if translated else quote.text)
    prefix = f"{t(lang, 'translation')}: " if translated else ""
    name = person_name(quote.author, lang)
    role = quote.author.role_in(lang)
    outlet = in_language(source.outlet, source.outlet_en, lang) if source.outlet else None
    title = t(lang, "kind_note") if source.kind == "note" else in_language(source.title, source.title_en, lang)
    date = format_date(source.date, lang)
    speakers = ([f"{name}, {role}"] if role else []) + [name]
    places = ([f"{title}, {outlet}, {date}"] if outlet else []) + [f"{outlet or title}, {date}"]
    opening, closing = ("“", "”") if lang == "en" else ("«", "»")
    if words.startswith(("«", "“", '"')):  # quoted as written (as `quote_block` shows it)
        opening = closing = ""
    for speaker in speakers:
        for place in places:
            text = f"{prefix}{opening}{words}{closing} — {speaker} ({place})"
            if utf16_length(text) <= COPY_LIMIT:
                return text
    tail = f"{closing} — {clip(name, 60)} ({clip(outlet or title, 60)}, {date})"
    room = COPY_LIMIT - utf16_length(f"{prefix}{opening}{tail}")
    cut = clip(words, room)
    while utf16_length(cut) > room:  # characters beyond the Basic Plane count twice
        cut = clip(words, len(cut) - 2)
    return f"{prefix}{opening}{cut}{tail}"


def figure_credit(figure: Figure, source: SourceView, lang: str) -> str:
    """Where a figure comes from: the expert's name only for the expert's own numbers; a number
    from the interviewer's question (or an official's), or from a text that names no author, is
    credited to the publication."""
    date = escape(format_date(source.date, lang))
    if figure.stated_by_name:
        return f"{escape(person_name(Person(name=figure.stated_by_name), lang))}, {date}"
    if figure.stated_by in (None, "expert") and source.author.name != UNKNOWN_AUTHOR:
        return f"{escape(person_name(source.author, lang))}, {date}"
    if source.outlet:
        return f"{field(source.outlet, source.outlet_en, lang, inside_italics=True)}, {date}"
    return f"{field(source.title, source.title_en, lang, inside_italics=True)}, {date}"


def credited_figure_line(figure: Figure, source: SourceView, lang: str) -> str:
    """A figure as /figures and the chart's caption show it: value, label, notes, and whose."""
    return f"{figure_line(figure, lang)} <i>({figure_credit(figure, source, lang)})</i>"


def chart_caption(topic: Topic, rows: Sequence[tuple[Figure, SourceView]], panels: Sequence, lang: str,
                  limit: int) -> str:
    """The caption of a topic's chart: every figure with whose it is, under the chart (unit
    family) it is drawn on, then those on none — a figure whose unit is a bare scale ("28 млрд":
    no currency stated) with its caveat, or "unit not stated" where the editors gave none.
    Within `limit` characters: the credits go first, then lines from the end ("…")."""
    on_chart = {position for panel in panels for position in panel.members}

    def line(position: int, credited: bool) -> str:
        figure, source = rows[position]
        text = credited_figure_line(figure, source, lang) if credited else figure_line(figure, lang)
        if measure(figure.value, figure.unit).family is None and not figure.caveat:
            text += f" <i>({t(lang, 'chart_unit_unstated')})</i>"
        return text

    def lines(credited: bool) -> list[tuple[bool, str]]:  # (is a heading, text)
        out: list[tuple[bool, str]] = []
        for panel in panels:
            out.append((True, f"<b>{t(lang, 'chart_on', unit=panel.title)}</b>"))
            out += [(False, line(position, credited)) for position in panel.members]
        apart = [position for position in range(len(rows)) if position not in on_chart]
        if apart:
            out.append((True, f"<b>{t(lang, 'chart_apart')}</b>"))
            out += [(False, line(position, credited)) for position in apart]
        return out

    heading = f"📊 {topic_heading(topic, lang)}"
    if any(panel.has_range for panel in panels):  # how a range is drawn, never cut from the caption
        heading += f"\n<i>{t(lang, 'chart_range')}</i>"
    for credited in (True, False):
        body = lines(credited)
        caption = "\n".join([heading, *(text for _, text in body)])
        if len(caption) <= limit:
            return caption
    while body and len("\n".join([heading, *(text for _, text in body), "…"])) > limit:
        body.pop()
        while body and body[-1][0]:
            body.pop()  # no heading without its lines
    return "\n".join([heading, *(text for _, text in body), "…"])


def render_figures(
    catalogue: Catalogue, snippets: Iterable[SnippetView], lang: str, only: Topic | None = None
) -> str:
    """All key numbers, grouped by topic in catalogue order, each with its source date."""
    by_topic: dict[str, list[tuple[Figure, SnippetView]]] = {}
    for snippet in snippets:
        for figure in snippet.figures:
            by_topic.setdefault(snippet.topic, []).append((figure, snippet))
    sections = []
    for topic in catalogue:
        if only is not None and topic.slug != only.slug:
            continue
        rows = by_topic.get(topic.slug)
        if not rows:
            continue
        lines = [topic_heading(topic, lang)]
        for figure, snippet in rows:
            lines.append(credited_figure_line(figure, snippet.source, lang))
        sections.append("\n".join(lines))
    title = f"📊 <b>{t(lang, 'figures_title')}</b>"
    if not sections:
        return f"{title}\n\n{t(lang, 'figures_empty')}"
    return title + "\n\n" + "\n\n".join(sections)


def render_quote(topic: Topic, snippet: SnippetView, quote: QuoteView, lang: str) -> str:
    return (
        f"{topic_heading(topic, lang)} · {t(lang, 'quote_title')}\n\n"
        f"{quote_block(quote, lang)}\n\n{source_line(snippet.source, lang)}"
    )


def render_search(
    query: str,
    results: Sequence[tuple[SnippetView, SearchHit]],
    catalogue: Catalogue,
    lang: str,
) -> str:
    """Ranked results with a highlighted excerpt and the command that opens each topic."""
    shown_query = query.strip()[:80]
    if not results:
        return t(lang, "search_empty", query=shown_query)
    lines = [f"🔎 <b>{t(lang, 'search_title', query=shown_query)}</b>"]
    for snippet, _hit in results:
        topic = catalogue.by_slug(snippet.topic)
        passage = excerpt(snippet_text(snippet, lang), query)
        marked = "".join(f"<b>{escape(text)}</b>" if hit else escape(text) for text, hit in passage.pieces)
        prefix = "…" if passage.truncated_start else ""
        suffix = "…" if passage.truncated_end else ""
        heading = f"{topic.emoji} " if topic else ""
        command = f" — /{topic.command}" if topic else ""
        lines.append(
            f"{heading}{title_line(snippet, lang)}{command}\n{prefix}{marked}{suffix}{summary_mark(snippet, lang)}\n"
            f"<i>{escape(person_name(snippet.source.author, lang))}, {escape(format_date(snippet.source.date, lang))}</i>"
        )
    return "\n\n".join(lines)


def snippet_text(snippet: SnippetView, lang: str = "ru") -> str:
    """The text a search excerpt is cut from: summary, then quotes (an English reader's
    excerpt comes from the English text where there is one)."""
    quotes = [in_language(q.text, q.text_en, lang) for q in snippet.quotes]
    return " ".join([in_language(snippet.summary, snippet.summary_en, lang), *(f"«{q}»" for q in quotes)])


def render_about(sources: Sequence[tuple[SourceView, int]], lang: str) -> str:
    title = f"📚 <b>{t(lang, 'sources_title')}</b>"
    if not sources:
        return f"{title}\n\n{t(lang, 'no_sources')}"
    entries = []
    for source, count in sources:
        name = escape(in_language(source.title, source.title_en, lang))
        if source.url:
            name = f'<a href="{escape(source.url)}">{name}</a>'
        mark = f" {russian_only(lang)}" if in_russian_only(source.title, source.title_en, lang) else ""
        outlet = field(source.outlet, source.outlet_en, lang) if source.outlet else None
        where = f", {outlet}" if outlet else ""
        entries.append(
            f"<b>{name}</b>{mark}\n{t(lang, f'kind_{source.kind}')}{where}, "
            f"{escape(format_date(source.date, lang))}\n{person_line(source.author, lang)}\n"
            f"<i>{t(lang, 'snippets_count', count=count)}</i>"
        )
    return title + "\n\n" + "\n\n".join(entries)


def render_topics(catalogue: Catalogue, lang: str) -> str:
    lines = [t(lang, "topics")]
    for topic in catalogue:
        lines.append(
            f"{topic.emoji} /{topic.command} — {escape(topic.title.get(lang))}: "
            f"{escape(topic.description.get(lang))}"
        )
    return "\n".join(lines)


def render_help(catalogue: Catalogue, lang: str) -> str:
    commands = "\n".join(f"/{topic.command} — {topic.title.get(lang)}" for topic in catalogue)
    return t(lang, "help", topic_commands=commands) + "\n\n" + t(lang, "sub_help")


def alert_names(alerts: Sequence[str]) -> str:
    """The alerts that matched, as the chat typed them: «Балхаш», «АЭС Курчатов»."""
    return ", ".join(f"«{escape(words)}»" for words in alerts)


def render_new_snippet(topic: Topic, snippet: SnippetView, lang: str, alerts: Sequence[str] = ()) -> str:
    """A snippet delivered to subscribers the moment it is published; one that came by the
    chat's alerts says which."""
    key = "alert_matched_one" if len(alerts) == 1 else "alert_matched_many"
    matched = f"🔔 <i>{t(lang, key)}</i> {alert_names(alerts)}\n" if alerts else ""
    return f"{matched}🆕 {topic_heading(topic, lang)}\n\n{render_snippet(snippet, lang)}"


def render_digest(
    catalogue: Catalogue, snippets: Sequence[SnippetView], lang: str,
    alerts: Mapping[int, Sequence[str]] | None = None,
) -> str:
    """The daily digest: what is new, grouped by topic in catalogue order, one line of gist
    each; an item the chat's alerts brought says which."""
    alerts = alerts or {}
    sections = []
    for topic in catalogue:
        items = [snippet for snippet in snippets if snippet.topic == topic.slug]
        if not items:
            continue
        lines = [topic_heading(topic, lang)]
        for snippet in items:
            summary = in_language(snippet.summary, snippet.summary_en, lang)
            matched = f"\n🔔 {alert_names(alerts[snippet.id])}" if alerts.get(snippet.id) else ""
            lines.append(f"• {title_line(snippet, lang)}{matched}\n{escape(summary)}{summary_mark(snippet, lang)}")
        lines.append(f"/{topic.command}")
        sections.append("\n".join(lines))
    title = f"🗞 <b>{t(lang, 'digest_title')}</b> · {t(lang, 'digest_count', count=len(snippets))}"
    return title + "\n\n" + "\n\n".join(sections)


def render_corrected(topic: Topic | None, snippet: SnippetView, lang: str, alerts: Sequence[str] = ()) -> str:
    """What a delivered copy becomes after an edit: marked as corrected, then the new version
    (still naming the alerts that brought it)."""
    body = render_new_snippet(topic, snippet, lang, alerts) if topic else render_snippet(snippet, lang)
    return f"✏️ <i>{t(lang, 'correction_edited')}</i>\n\n{body}"


def render_withdrawn(title: str, lang: str) -> str:
    """What a delivered copy becomes when its snippet is retired."""
    return f"🚫 <b>{t(lang, 'correction_retired')}</b>\n<s>{escape(title)}</s>"


def render_latest(catalogue: Catalogue, snippets: Sequence[SnippetView], lang: str, first_visit: bool) -> str:
    """What is new since the reader's last /latest (the newest few, on a first visit)."""
    if not snippets:
        return f"🆕 <b>{t(lang, 'latest_title')}</b>\n\n{t(lang, 'latest_nothing')}"
    lines = [f"🆕 <b>{t(lang, 'latest_title')}</b>", t(lang, "latest_first" if first_visit else "latest_since"), ""]
    for snippet in snippets:
        topic = catalogue.by_slug(snippet.topic)
        head = f"{topic.emoji} " if topic else ""
        command = f" — /{topic.command}" if topic else ""
        lines.append(f"{head}{title_line(snippet, lang)}{command}\n"
                     f"<i>{escape(format_date(snippet.source.date, lang))}</i>")
    return "\n".join(lines)
