"""What readers and editors are shown of stored content: plain values, made by storage,
rendered by presentation, never written back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.models import Figure, Person


@dataclass(frozen=True)
class SourceView:
    id: str
    title: str
    date: dt.date | None
    kind: str
    author: Person
    url: str | None
    language: str = "ru"
    title_en: str | None = None
    outlet: str | None = None
    outlet_en: str | None = None


@dataclass(frozen=True)
class QuoteView:
    text: str
    author: Person
    text_en: str | None = None  # a translation of `text`, shown as one


@dataclass(frozen=True)
class SnippetView:
    id: int
    key: str
    topic: str
    title: str
    summary: str
    source: SourceView
    figures: tuple[Figure, ...] = ()
    quotes: tuple[QuoteView, ...] = ()
    title_en: str | None = None
    summary_en: str | None = None


@dataclass(frozen=True)
class SnippetRecord:
    """A snippet as the editorial workflow sees it: its words, topic, status and origin."""

    id: int
    source_id: str
    topic: str
    title: str
    summary: str
    status: str
    origin: str


@dataclass(frozen=True)
class SearchHit:
    snippet_id: int
    score: float
