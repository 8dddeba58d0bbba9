"""An article's drafts in the seed format, from what `reading` found in it.

The seed loader then validates the document against the text stored as the source, like any
content file: every evidence and quote must be found there verbatim and every number written
in a title or summary must occur there. The text stored is the article as read — chrome
removed, Markdown markup gone, the words untouched — so the drafts can only say what it says.
What the text does not say (a date, an author) stays unknown; it is never filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.domain.catalogue import Catalogue
from pydantic import ValidationError

from bot.domain.faithfulness import figure_problem
from bot.domain.models import SLUG, UNKNOWN_AUTHOR, Figure, collapse_whitespace
from bot.domain.validation import ContentError
from bot.domain.voices import Voices
from bot.services.ingest.reading.speech import voices_of
from bot.services.ingest.reading import topics as topic_routing
from bot.services.ingest.reading import (
    Article,
    InputTooLarge,
    PageMetadata,
    Passage,
    Topic,
    draft_passage,
    extract_figures,
    read_article,
)

UNSORTED = "draft"  # the id prefix of a draft that has no topic yet
MAX_DRAFTS = 12
KINDS = {"interview": "interview", "article": "article", "news": "news", "opinion": "opinion"}


@dataclass(frozen=True)
class ArticleDrafts:
    document: dict[str, Any]  # a source and its draft snippets, in the seed format
    text: str  # the text stored as the source; every draft's evidence and quote is in it
    article: Article  # what reading found (and did not find)
    passages: tuple[str, ...] = ()  # each snippet's passage, as read (what a model is shown)
    speakers: tuple[dict | None, ...] = ()  # who speaks in each passage (an interviewee), if anyone
    questions: tuple[str | None, ...] = ()  # each passage's question (the interviewer's words), if any
    voices: Voices = ()  # who says what in the text stored


def catalogue_topics(catalogue: Catalogue) -> list[Topic]:
    return [
        Topic(slug=topic.slug, keywords=tuple(topic.keywords), title=topic.title.ru, description=topic.description.ru)
        for topic in catalogue
    ]


def article_voices(article: Article) -> Voices:
    """Who says what in the article as read (`speech.voices_of`): questions the interviewer's,
    answers the interviewee's, narrative the piece's own, quotations and reported speech their
    speakers'."""
    return voices_of([(p.question, p.text, p.speaker, p.quotes, p.reported) for p in article.passages])


def source_text(article: Article) -> str:
    """The article as read: the lead and every passage (heading, question, answer), verbatim."""
    blocks: list[str] = []
    if article.title:
        blocks.append(article.title)
    heading = None
    for passage in article.passages:
        if passage.heading and passage.heading != heading and passage.heading not in blocks[-1:]:
            blocks.append(passage.heading)
        heading = passage.heading
        if passage.question:
            blocks.append(passage.question)
        blocks.append(passage.text)
    return "\n\n".join(blocks)


def _merged(passages: list[Passage]) -> Passage:
    first = passages[0]
    if len(passages) == 1:
        return first
    return replace(
        first,
        text="\n\n".join(p.text for p in passages),
        sentences=tuple(s for p in passages for s in p.sentences),
        quotes=tuple(q for p in passages for q in p.quotes),
        reported=tuple(q for p in passages for q in p.reported),
        unattributed=tuple(t for p in passages for t in p.unattributed),
    )


def draft_units(article: Article) -> list[Passage]:
    """The passages one draft each: a question with its answer in an interview; in an article,
    its sections (paragraphs under one heading), or paragraphs in runs when it has none, so an
    editor gets a handful of drafts, not one per paragraph."""
    if any(p.question for p in article.passages):
        lead = [p for p in article.passages if not p.question and p.text]
        answers = [p for p in article.passages if p.question]
        return ([_merged(lead)] if lead else []) + answers
    groups: list[list[Passage]] = []
    for passage in article.passages:
        if groups and passage.speaker != groups[-1][0].speaker:
            groups.append([passage])  # a transcript's turn is a draft of its own: its words are its speaker's
        elif groups and (
            (passage.heading and passage.heading == groups[-1][0].heading)
            or (not passage.heading and not groups[-1][0].heading and len(groups[-1]) < _run_length(article))
        ):
            groups[-1].append(passage)
        elif groups and not passage.heading and _only_quotation(passage):
            groups[-1].append(passage)  # a paragraph that is only someone's words goes with the story it belongs to
        else:
            groups.append([passage])
    return [_merged(group) for group in groups]


def _only_quotation(passage: Passage) -> bool:
    """Is the paragraph someone's quoted words and their attribution, and nothing else (a draft of
    it alone would be a quote and a summary that repeats it)?"""
    rest = passage.text
    for quote in passage.quotes:
        rest = rest.replace(quote.text, " ")
    return bool(passage.quotes) and len(rest.split()) <= 14


def _run_length(article: Article) -> int:
    """Paragraphs per draft in an article without headings: at most MAX_DRAFTS drafts."""
    count = len(article.passages)
    return max(2, -(-count // MAX_DRAFTS))


def _figure(candidate, passage: Passage) -> dict[str, Any] | None:
    if len(candidate.unit) > 40 or not candidate.label:
        return None
    entry: dict[str, Any] = {"value": _number(candidate.value)}
    if candidate.value_to is not None:
        entry["value_to"] = _number(candidate.value_to)  # a range, "8-9 млн тонн", as one figure
    entry |= {"unit": candidate.unit, "label": candidate.label[:200], "evidence": candidate.evidence[:400]}
    if candidate.year:
        entry["year"] = candidate.year
    try:  # held to its evidence by the same rule as every figure (a misread one is left out)
        if figure_problem(Figure(**entry), entry["evidence"]) is not None:
            return None
    except ValidationError:
        return None
    evidence = collapse_whitespace(candidate.evidence)
    if passage.question and evidence in collapse_whitespace(passage.question):
        entry["stated_by"] = "interviewer"  # the interviewer's number, not the interviewee's
    elif (speaker := stated_by(evidence, passage)) is not None:
        entry["stated_by"] = speaker[:120]
    return entry


def stated_by(evidence: str, passage: Passage) -> str | None:
    """Who states a number in the source: the speaker of the quotation or reported speech that
    holds it, or the interviewee in an answer; None for the piece's own narrative."""
    for said in (*passage.quotes, *passage.reported):
        text = collapse_whitespace(said.text)
        if said.speaker and len(text) >= 12 and (text in evidence or evidence in text):
            return said.speaker.name
    if passage.question and passage.speaker:
        return passage.speaker.name
    return None


def _number(value):
    return int(value) if value == value.to_integral_value() else str(value)


def _person(person) -> dict[str, str]:
    found = {"name": person.name[:120]}
    if person.role:
        found["role"] = person.role[:200]
    return found


def _quote(quote) -> dict[str, Any] | None:
    if quote.speaker is None or len(quote.text) > 300 or len(quote.text) < 12:
        return None  # a quote is attributed, short and whole
    return {"text": quote.text, "author": _person(quote.speaker)}


def _headline_figures(article: Article, snippets: list[dict[str, Any]]) -> None:
    """A figure the headline states and no passage repeats ("Нацбанк сохранил ставку на уровне
    16,5%") goes to the first draft, with the headline as its evidence (it is stored text too)."""
    if not article.title or not any(c.isdigit() for c in article.title):
        return
    def key(figure: dict[str, Any]) -> tuple[str, str, str]:
        return str(figure["value"]), str(figure.get("value_to", "")), figure["unit"]

    known = {key(f) for s in snippets for f in s["figures"]}
    for candidate in extract_figures(article.title):
        entry = _figure(candidate, replace(article.passages[0], question=None))
        if entry and key(entry) not in known and len(snippets[0]["figures"]) < 20:
            snippets[0]["figures"].insert(0, entry)
            known.add(key(entry))


def _narrator(article: Article) -> str | None:
    """Whom an article's own sentences are credited to in a draft: its author when the byline
    names one (an interview's narrative is the outlet's, never the interviewee's)."""
    if article.author and not article.interviewee:
        return article.author.name
    return None


def default_source_id(name: str, article: Article) -> str:
    """The upload's file name when it is a usable id, else `article-<date>` (or `article`)."""
    stem = Path(name).stem.lower().replace("_", "-").replace(" ", "-")
    if re.fullmatch(SLUG, stem) and len(stem) <= 55:
        return stem
    return f"article-{article.date.isoformat()}" if article.date else "article"


def read_drafts(raw: str, name: str, catalogue: Catalogue, metadata: PageMetadata | None = None) -> ArticleDrafts:
    """Read an article and write its drafts (CPU work: run it off the event loop). `metadata`:
    what the web page it came from declares (a link's headline, date, byline, outlet, URL)."""
    try:
        article = read_article(raw, filename=name, metadata=metadata)
    except InputTooLarge as exc:
        raise ContentError(f"{name}: {exc}") from None
    except ValueError as exc:
        raise ContentError(f"{name}: {exc}") from None
    if not article.passages:
        raise ContentError(f"{name}: no paragraphs to make drafts from")
    topics = catalogue_topics(catalogue)
    units = draft_units(article)[:MAX_DRAFTS]
    # the article is routed as a whole; one that fits no topic gets drafts without one (the
    # editor chooses or adds a topic), never a general topic by default
    chosen = topic_routing.article_topics(
        article.title, [part for p in units for part in (p.heading, p.question, p.text) if part], topics)
    snippets: list[dict[str, Any]] = []
    passages: list[str] = []
    speakers: list[dict | None] = []
    questions: list[str | None] = []
    for passage in units:
        draft = draft_passage(passage, topics, language=article.language, narrator=_narrator(article))
        slug = topic_routing.passage_topic("\n\n".join(part for part in (passage.question, passage.text) if part),
                                           chosen, topics, own=passage.question is not None)
        if not draft.summary:
            continue
        figures = [entry for c in draft.figures if (entry := _figure(c, passage))]
        summary = collapse_whitespace(draft.summary)
        quotes = [entry for q in draft.quotes if (entry := _quote(q)) and collapse_whitespace(q.text) not in summary][:3]
        snippets.append({
            "id": f"{(slug or UNSORTED).replace('_', '-')}-{len(snippets) + 1}",
            "topic": slug,
            "title": draft.title[:120],
            "summary": draft.summary[:1200],
            "figures": figures,
            "quotes": quotes,
            "status": "draft",
        })  # fmt: skip
        passages.append("\n\n".join(part for part in (passage.heading, passage.question, passage.text) if part))
        speakers.append(_person(passage.speaker) if passage.speaker else None)
        questions.append(passage.question or None)
    if not snippets:
        raise ContentError(f"{name}: nothing in it to make drafts from")
    _headline_figures(article, snippets)
    author = article.interviewee or article.author
    source: dict[str, Any] = {
        "id": default_source_id(name, article),
        # the page's headline; without one, the first draft's title (never the file's name)
        "title": (article.title or snippets[0]["title"])[:200],
        "kind": KINDS.get(article.kind, "article"),
        "language": article.language,
        "author": _person(author) if author else {"name": UNKNOWN_AUTHOR},
    }
    if article.date:
        source["date"] = article.date
    if article.outlet:
        source["outlet"] = article.outlet[:120]
    if article.url:
        source["url"] = article.url
    return ArticleDrafts({"source": source, "snippets": snippets}, source_text(article), article,
                         tuple(passages), tuple(speakers), tuple(questions), article_voices(article))
