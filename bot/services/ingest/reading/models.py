"""Frozen result types of the reader: articles, passages, people, quotes, figures, drafts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["interview", "article", "news", "opinion"]
Language = Literal["ru", "en"]
DateSource = Literal["header", "dateline", "words", "page"]  # "page": the web page's own metadata


class InputTooLarge(ValueError):
    """The text is longer than the reader accepts (see `MAX_CHARS`)."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class Quote:
    text: str  # a verbatim substring of the passage it was found in
    speaker: Person | None = None


@dataclass(frozen=True)
class Passage:
    """One unit of the article: a question with its answer, or a narrative paragraph."""

    text: str  # the answer (without its dash or speaker label) or the paragraph
    heading: str | None = None  # the section heading the passage stands under
    question: str | None = None  # the interviewer's words, without dash or label
    speaker: Person | None = None  # the interviewee for an answer; None for narrative
    sentences: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    reported: tuple[Quote, ...] = ()  # reported speech (По словам X, …): whose words the piece gives
    unattributed: tuple[str, ...] = ()  # direct speech whose speaker the reader could not tell ("— …, — сказал аким")

    @property
    def is_answer(self) -> bool:
        return self.question is not None


@dataclass(frozen=True)
class Article:
    title: str | None
    date: dt.date | None
    date_found_as: DateSource | None
    date_words: str | None  # the date as written, also when it lacks a year ("12 ноября")
    kind: Kind
    author: Person | None
    interviewee: Person | None
    lead: str | None
    passages: tuple[Passage, ...]
    removed_chrome: tuple[str, ...]
    language: Language
    filename: str | None = None
    speakers: tuple[Person, ...] = ()  # everyone the piece gives words to, directly or in reported speech
    outlet: str | None = None  # who published it, where the page says so (PageMetadata)
    url: str | None = None  # the original's address, for a page read from a link


@dataclass(frozen=True)
class PageMetadata:
    """What a web page says about itself (its markup, not its text): given to `read_article`
    for a page read from a link, it takes precedence over what the reader would guess from the
    plain text. Every field is optional; an absent one leaves the reader's own reading."""

    title: str | None = None  # the headline
    date: dt.date | None = None  # the publication date the page declares
    authors: tuple[str, ...] = ()  # the byline's people, as the page names them
    outlet: str | None = None  # the site's name
    url: str | None = None  # the canonical URL (else the URL it was fetched from)
    language: str | None = None  # as declared (<html lang>); the text's own language is read

    def as_json(self) -> dict:
        return {"title": self.title, "date": self.date.isoformat() if self.date else None,
                "authors": list(self.authors), "outlet": self.outlet, "url": self.url, "language": self.language}

    @classmethod
    def from_json(cls, data: dict) -> PageMetadata:
        date = data.get("date")
        return cls(title=data.get("title"), date=dt.date.fromisoformat(date) if date else None,
                   authors=tuple(data.get("authors") or ()), outlet=data.get("outlet"), url=data.get("url"),
                   language=data.get("language"))


@dataclass(frozen=True)
class FigureCandidate:
    value: Decimal  # the number as written: 4, 1.5, 1200 (not multiplied by its scale)
    unit: str  # "млрд долларов", "%", "тыс. компаний", "млн тонн", "соглашений", "млрд"
    label: str  # what is measured: "товарооборот", "компании с российским участием"
    year: int | None  # a year stated in the same clause
    evidence: str  # the verbatim sentence (or clause) holding the number
    value_to: Decimal | None = None  # a range's upper end ("8-9 млн тонн": value 8, value_to 9)


@dataclass(frozen=True)
class Topic:
    slug: str
    keywords: tuple[str, ...]
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Draft:
    title: str
    summary: str
    topics: tuple[str, ...]  # topic slugs, best first; () when no keyword fits
    figures: tuple[FigureCandidate, ...]
    quotes: tuple[Quote, ...]
    own_title: bool = False  # the title is the bot's own construction, not a source sentence
