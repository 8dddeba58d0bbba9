"""Passages tagged with topics (`tag_topics`) and written as a document in the seed format
that the seed loader validates (`drafts_from_article`).

Evidence and quotes are verbatim slices of `Article.text`, and a summary is its passage's
first sentences: a draft says nothing the text does not.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.domain.catalogue import Catalogue
from bot.services.ingest.figures import LABEL_MAX, extract_figures
from bot.services.ingest.passages import DASH, SPEAKER, Article, Passage
from bot.services.ingest.text import Language, sentences, shorten
from bot.domain.models import SLUG, Figure, Person, collapse_whitespace
from bot.domain.faithfulness import number_in
from bot.domain.validation import ContentError

# Topics a passage falls back to when no keyword matches, first present wins.
GENERAL_TOPICS = ("overview", "general", "other")

TITLE_MAX = 100
SOURCE_TITLE_MAX = 150
SUMMARY_MAX = 600
SUMMARY_SENTENCES = 4
QUOTE_MIN, QUOTE_MAX = 40, 200


# --------------------------------------------------------------------------------------------
# Topics


def general_topic(catalogue: Catalogue) -> str | None:
    """The catalogue's catch-all topic, if it has one."""
    return next((slug for slug in GENERAL_TOPICS if catalogue.by_slug(slug)), None)


def tag_topics(passage: Passage | str, catalogue: Catalogue) -> list[str]:
    """Topic slugs by keyword hits (stemmed, via `Catalogue.route`), best first; the general
    topic when no keyword matches; [] when there is none."""
    text = passage if isinstance(passage, str) else passage.text
    slugs = [topic.slug for topic in catalogue.route(text)]
    if slugs:
        return slugs
    general = general_topic(catalogue)
    return [general] if general else []


# --------------------------------------------------------------------------------------------
# Drafts in the seed format


def _spoken(text: str) -> str:
    """An interview paragraph without its leading dash or speaker label (— / Вопрос: / Name:)."""
    text = DASH.sub("", text)
    if match := SPEAKER.match(text):
        text = text[match.end() - 1 :]
    return text


def _passage_title(passage: Passage) -> str:
    """The question's first sentence (usually the context it sets), else the heading, else the
    first sentence of the passage."""
    if passage.question:
        base = sentences(_spoken(passage.question))[0]
    elif passage.heading:
        base = passage.heading
    else:
        base = _passage_sentences(passage)[0]
    return shorten(base.rstrip("."), TITLE_MAX)


def _passage_sentences(passage: Passage) -> list[str]:
    """The passage's sentences, verbatim; an answer's without its leading dash or label."""
    clean = _spoken if passage.question else (lambda paragraph: DASH.sub("", paragraph))
    return [s for paragraph in passage.paragraphs for s in sentences(clean(paragraph))]


def _summary(all_sentences: list[str]) -> str:
    """The first sentences, verbatim (so the summary says nothing the text does not): as many
    as fit in SUMMARY_MAX characters, at most four; a first sentence too long alone is cut."""
    summary = ""
    for sentence in all_sentences[:SUMMARY_SENTENCES]:
        longer = collapse_whitespace(f"{summary} {sentence}")
        if summary and len(longer) > SUMMARY_MAX:
            break
        summary = longer
    return shorten(summary, SUMMARY_MAX)


def _quote(all_sentences: list[str], summary: str) -> str | None:
    """A short sentence of the answer, preferably one the summary does not already repeat."""
    fitting = [s for s in map(collapse_whitespace, all_sentences) if QUOTE_MIN <= len(s) <= QUOTE_MAX]
    fresh = [s for s in fitting if s not in summary]
    return (fresh or fitting or [None])[0]


def _figure_entries(passage: Passage, language: Language) -> list[dict[str, Any]]:
    """The passage's figures as seed entries: one per value, unit and year; a figure from the
    interviewer's question is labelled so. Figures the loader could not confirm (grouped
    digits such as 1 200, which it does not read as 1200) are left out."""
    note = " (from the interviewer's question)" if language == "en" else " (из вопроса интервьюера)"
    found = [(f, note) for f in extract_figures(passage.question, language)] if passage.question else []
    found += [(f, "") for paragraph in passage.paragraphs for f in extract_figures(paragraph, language)]
    entries: list[dict[str, Any]] = []
    seen: set[tuple[Decimal, str, int | None]] = set()
    for figure, suffix in found:
        key = (figure.value, figure.unit, figure.year)
        evidence = collapse_whitespace(figure.evidence)
        model = Figure(value=figure.value, unit=figure.unit, label="-", evidence=evidence)
        if key in seen or not number_in(model.value_text, evidence):
            continue
        seen.add(key)
        value = figure.value.normalize()
        entry: dict[str, Any] = {
            "value": int(value) if value == value.to_integral_value() else str(value),
            "unit": figure.unit,
            "label": shorten(figure.label, LABEL_MAX - len(suffix)) + suffix,
            "evidence": evidence,
        }
        if figure.year:
            entry["year"] = figure.year
        entries.append(entry)
    return entries


def _fallback_title(article: Article) -> str | None:
    """For a text without a title line: the first sentence of its first passage."""
    first = next((s for passage in article.passages for s in _passage_sentences(passage)), None)
    return first.rstrip(".") if first else None


def default_source_id(article: Article) -> str:
    """The upload's file name when it is a usable id (borisov-2025-11-12.txt), else draft-<date>."""
    stem = Path(article.file_name).stem.lower().replace("_", "-").replace(" ", "-")
    if re.match(SLUG, stem) and len(stem) <= 60:
        return stem
    return f"draft-{(article.date or dt.date.today()).isoformat()}"


def drafts_from_article(
    article: Article,
    catalogue: Catalogue,
    source_id: str | None = None,
    *,
    text_path: str | None = None,
    fallback_date: dt.date | None = None,
) -> dict[str, Any]:
    """A seed-format document (plain data: dates as ISO strings, values as int or str) with one
    draft snippet per passage, for an admin to edit and publish.

    Store `article.text` at `text_path` (default `sources/<source_id>.txt`, relative to the seeds
    folder): the evidence and quotes are slices of it. What the text lacks is filled so the
    document validates, plainly marked for the admin: a missing date becomes `fallback_date`
    (default today), a missing author "Автор не указан", a missing title the lead's first sentence.
    """
    source_id = source_id or default_source_id(article)
    author = article.author or Person(name="Unknown author" if article.language == "en" else "Автор не указан")
    source: dict[str, Any] = {
        "id": source_id,
        "title": shorten(article.title or _fallback_title(article) or source_id, SOURCE_TITLE_MAX),
        "date": (article.date or fallback_date or dt.date.today()).isoformat(),
        "kind": article.kind,
        "language": article.language,
        "author": {"name": author.name, **({"role": author.role} if author.role else {})},
        "text": text_path or f"sources/{source_id}.txt",
    }
    snippets: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for passage in article.passages:
        body = _passage_sentences(passage)
        if not body:
            continue
        topics = tag_topics(passage, catalogue) or [catalogue.topics[0].slug]
        counts[topics[0]] = counts.get(topics[0], 0) + 1
        summary = _summary(body)
        snippet: dict[str, Any] = {
            "id": f"{topics[0].replace('_', '-')}-{counts[topics[0]]}",
            "topic": topics[0],
            "title": _passage_title(passage),
            "summary": summary,
            "figures": _figure_entries(passage, article.language),
            "quotes": [],
        }
        # The lead of an interview is the journalist's text: not a quote of the interviewee.
        quote = None if article.kind == "interview" and passage.question is None else _quote(body, summary)
        if quote:
            snippet["quotes"].append({"text": quote})
        snippets.append(snippet)
    if not snippets:
        raise ContentError(f"{source_id}: no passages to make drafts from")
    return {"source": source, "snippets": snippets}
