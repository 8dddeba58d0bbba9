"""Rendering content as Telegram HTML. Pure functions: content in, markup out.

Every piece of content goes through `escape`; the layout is built for a phone screen: a bold
title, the summary, bullets of key numbers, a quote in a blockquote with its author, and a
source line with the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from bot.domain.catalogue import Catalogue
from bot.presentation.html import escape
from bot.domain.models import EDITORS, Figure, Person, Topic
from bot.domain.transliteration import romanize
from bot.domain.views import QuoteView, SnippetView, SourceView
from bot.domain.views import SearchHit
from bot.domain.search_text import excerpt
from bot.presentation.texts import t

MONTHS_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)


def format_date(date: dt.date | None, lang: str) -> str:
    if date is None:
        return t(lang, "date_unknown")
    if lang == "en":
        return f"{date.day} {date.strftime('%b')} {date.year}"
    return f"{date.day} {MONTHS_RU[date.month - 1]} {date.year}"


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
    unit = in_language(figure.unit, figure.unit_en, lang)
    label = in_language(figure.label, figure.label_en, lang)
    value = escape(f"{figure.value_text} {unit}")
    notes = []
    if figure.stated_by_name:
        notes.append(t(lang, "stated_by_person", name=escape(person_name(Person(name=figure.stated_by_name), lang))))
    elif figure.stated_by:
        notes.append(t(lang, f"stated_by_{figure.stated_by}"))
    caveat = in_language(figure.caveat, figure.caveat_en, lang) if figure.caveat else None
    if caveat:
        notes.append(escape(caveat))
    note = f" <i>({'; '.join(notes)})</i>" if notes else ""
    return f"• <b>{value}</b> — {escape(label)}{year}{note}"


def person_name(person: Person, lang: str = "ru") -> str:
    """A name as the reader reads it: for English, in Latin letters (the editors are "the
    editors", never "Редакция")."""
    if lang != "en":
        return person.name
    if person.name == EDITORS:
        return t(lang, "kind_note_author")
    return person.name_en or romanize(person.name)


def person_line(person: Person, lang: str = "ru") -> str:
    role = person.role_in(lang)
    name = escape(person_name(person, lang))
    return f"{name}, {escape(role)}" if role else name


def quote_block(quote: QuoteView, lang: str = "ru") -> str:
    """The words as said (verbatim, in the original language) and, for an English reader, the
    editors' translation marked as one."""
    text = quote.text.strip()
    if not text.startswith(("«", "“", '"')):
        text = f"«{text}»"
    translation = ""
    if lang == "en" and quote.text_en:
        translation = f"\n<i>{t(lang, 'translation')}: {escape(quote.text_en)}</i>"
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
    outlet = in_language(source.outlet, source.outlet_en, lang) if source.outlet else None
    where = f", {escape(outlet)}" if outlet else ""
    author = "" if author_named else f"{escape(person_name(source.author, lang))}, "
    return f"<i>{t(lang, 'source')}: {escape(kind)} «{title}»{where}, {author}{escape(format_date(source.date, lang))}</i>"


def render_snippet(snippet: SnippetView, lang: str, with_title: bool = True) -> str:
    blocks = []
    summary = escape(in_language(snippet.summary, snippet.summary_en, lang))
    marker = f"<i>{t(lang, 'in_russian')}</i>\n" if only_in_russian(snippet, lang) else ""
    if with_title:
        blocks.append(f"{marker}<b>{escape(snippet_title(snippet, lang))}</b>\n{summary}")
    else:
        blocks.append(f"{marker}{summary}")
    if snippet.figures:
        lines = [f"📊 <b>{t(lang, 'figures_title')}</b>"]
        lines += [figure_line(figure, lang) for figure in snippet.figures]
        blocks.append("\n".join(lines))
    named = bool(snippet.quotes) and snippet.quotes[0].author.name == snippet.source.author.name
    if snippet.quotes:
        blocks.append(quote_block(snippet.quotes[0], lang))
    blocks.append(source_line(snippet.source, lang, author_named=named))
    return "\n\n".join(blocks)


def render_briefing(topic: Topic, snippets: Sequence[SnippetView], lang: str, index: int = 0) -> str:
    """A topic's briefing: one snippet (the newest, or the `index`-th newest) with its figures,
    a quote and its own source line, and where it stands among the topic's snippets."""
    if not snippets:
        return f"{topic_heading(topic, lang)}\n\n" + escape(
            t(lang, "no_content", topic=topic.title.get(lang))
        )
    index = min(index, len(snippets) - 1)
    body = render_snippet(snippets[index], lang)
    where = f"\n\n<i>{t(lang, 'briefing_page', n=index + 1, total=len(snippets))}</i>" if len(snippets) > 1 else ""
    return f"{topic_heading(topic, lang)}\n\n{body}{where}"


def figure_credit(figure: Figure, source: SourceView, lang: str) -> str:
    """Where a figure comes from: the expert's name only for the expert's own numbers; a number
    from the interviewer's question (or an official's) is credited to the publication."""
    date = escape(format_date(source.date, lang))
    if figure.stated_by_name:
        return f"{escape(person_name(Person(name=figure.stated_by_name), lang))}, {date}"
    if figure.stated_by in (None, "expert"):
        return f"{escape(person_name(source.author, lang))}, {date}"
    outlet = in_language(source.outlet, source.outlet_en, lang) if source.outlet else None
    return f"{escape(outlet or in_language(source.title, source.title_en, lang))}, {date}"


def credited_figure_line(figure: Figure, source: SourceView, lang: str) -> str:
    """A figure as /figures and the chart's caption show it: value, label, notes, and whose."""
    return f"{figure_line(figure, lang)} <i>({figure_credit(figure, source, lang)})</i>"


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
            f"{heading}<b>{escape(snippet_title(snippet, lang))}</b>{command}\n{prefix}{marked}{suffix}\n"
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
        outlet = in_language(source.outlet, source.outlet_en, lang) if source.outlet else None
        where = f", {escape(outlet)}" if outlet else ""
        entries.append(
            f"<b>{name}</b>\n{t(lang, f'kind_{source.kind}')}{where}, "
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
            lines.append(f"• <b>{escape(snippet_title(snippet, lang))}</b>{matched}\n{escape(summary)}")
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
        lines.append(f"{head}<b>{escape(snippet_title(snippet, lang))}</b>{command}\n"
                     f"<i>{escape(format_date(snippet.source.date, lang))}</i>")
    return "\n".join(lines)
