"""An upload split into passages: question-and-answer pairs for an interview, groups of
paragraphs for an article (`parse_article`, `Article.passages`).

Every passage is a verbatim slice of `Article.text`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from bot.services.ingest.text import (
    DATE_PREFIX,
    NAME_AND_ROLE,
    NAME_IN_TITLE,
    Block,
    Language,
    detect_language,
    ends_with_question,
    parse_date,
    parse_person,
    split_blocks,
    split_head,
)
from bot.domain.models import Person
from bot.domain.validation import ContentError

Kind = Literal["interview", "article"]

PASSAGE_TARGET = 700  # an article passage closes once it has about this many characters


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Passage:
    """One unit of a draft: an interview question with its answer, an interview's lead, or a
    few paragraphs of an article. Every string is a verbatim slice of `Article.text`."""

    paragraphs: tuple[str, ...]
    question: str | None = None  # the interviewer's question; None for a lead or an article
    heading: str | None = None  # the section heading above the passage, if any

    @property
    def text(self) -> str:
        """Everything the passage says, for topic routing."""
        parts = [self.heading, self.question, *self.paragraphs]
        return "\n\n".join(part for part in parts if part)


@dataclass(frozen=True)
class Article:
    text: str  # the normalised text: store this as the source text
    title: str | None
    date: dt.date | None
    author: Person | None  # an interview's interviewee, else the article's named author
    interviewer: str | None
    kind: Kind
    language: Language
    passages: tuple[Passage, ...]
    file_name: str = ""


# --------------------------------------------------------------------------------------------
# Interview structure: which paragraphs are questions


DASH = re.compile(r"^[–—-]\s*")
SPEAKER = re.compile(r"^(?:[–—-]\s*)?(?P<who>[А-ЯЁA-Z][\w.\-]*(?: [А-ЯЁA-Z][\w.\-]*){0,2})\s*:\s+\S")


def _questions_by_speaker(blocks: list[Block]) -> set[int]:
    """`Корреспондент: …?` / `Вопрос: …`: the speaker label whose lines mostly ask questions."""
    by_speaker: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        if match := SPEAKER.match(block.text):
            by_speaker.setdefault(match["who"], []).append(i)
    best: set[int] = set()
    for indexes in by_speaker.values():
        asking = sum(ends_with_question(blocks[i].text) for i in indexes)
        if len(indexes) >= 2 and asking * 2 >= len(indexes) and len(indexes) > len(best):
            best = set(indexes)
    return best


def _find_questions(blocks: list[Block]) -> set[int]:
    """Indexes of question paragraphs, by the first convention the text follows consistently:
    speaker labels, bold paragraphs, dash-led paragraphs ending with "?", then (stricter, as
    an article may ask the odd rhetorical question) short paragraphs ending with "?"."""
    strategies = (
        (_questions_by_speaker(blocks), 2),
        ({i for i, b in enumerate(blocks) if b.bold}, 2),
        ({i for i, b in enumerate(blocks) if DASH.match(b.text) and ends_with_question(b.text)}, 2),
        ({i for i, b in enumerate(blocks) if ends_with_question(b.text) and len(b.text) <= 400}, 3),
    )
    for found, minimum in strategies:
        answered = {i for i in found if i + 1 < len(blocks) and i + 1 not in found}
        if len(found) >= minimum and len(answered) >= minimum:
            return found
    return set()


# --------------------------------------------------------------------------------------------
# Passages


def _interview_passages(body: list[Block], questions: set[int]) -> list[Passage]:
    """The lead, then each question with the paragraphs up to the next question. Consecutive
    questions (a follow-up before any answer) are one question."""
    passages: list[Passage] = []
    question: list[str] = []
    answer: list[str] = []
    heading: str | None = None

    def flush() -> None:
        nonlocal heading
        if question or answer:
            passages.append(Passage(tuple(answer), "\n\n".join(question) or None, heading))
            heading = None
        question.clear()
        answer.clear()

    for i, block in enumerate(body):
        if block.heading:
            flush()
            heading = block.text
        elif i in questions:
            if answer or not question:
                flush()
            question.append(block.text)
        else:
            answer.append(block.text)
    flush()
    return passages


def _article_passages(body: list[Block]) -> list[Passage]:
    """Paragraphs grouped to about PASSAGE_TARGET characters; a heading starts a new passage."""
    passages: list[Passage] = []
    paragraphs: list[str] = []
    heading: str | None = None

    def flush() -> None:
        nonlocal heading
        if paragraphs:
            passages.append(Passage(tuple(paragraphs), None, heading))
            heading = None
        paragraphs.clear()

    for block in body:
        if block.heading:
            flush()
            heading = block.text
            continue
        paragraphs.append(block.text)
        if sum(len(p) for p in paragraphs) >= PASSAGE_TARGET:
            flush()
    flush()
    return passages


def parse_article(text: str, file_name: str = "") -> Article:
    """Normalise an upload, find its metadata and split it into passages.

    The title is a leading heading, a `Заголовок:` line or a short first line; the date a
    `Дата:` line, a dateline, or a date in the opening lines; the author an `Автор:` line or, for
    an interview, the person the lead introduces (`Имя Фамилия — политолог…`) or the title
    names (`Имя Фамилия: …`). Anything not found is None.
    """
    blocks = split_blocks(text)
    if not blocks:
        raise ContentError(f"{file_name or 'upload'}: the text is empty")
    normalised = "\n\n".join(block.text for block in blocks) + "\n"
    meta, title, body = split_head(blocks)
    date = next((parse_date(meta[k]) for k in ("дата", "date", "опубликовано", "published") if k in meta), None)
    if body and (prefix := DATE_PREFIX.match(body[0].text)):
        # "date 2025-11-12" glued to the first paragraph: metadata, not part of the passage
        date = date or parse_date(prefix["date"])
        body[0] = Block(body[0].text[prefix.end() :], body[0].heading, body[0].bold)
    date = date or parse_date(f"{title or ''}\n{normalised[:200]}")

    questions = _find_questions(body)
    kind: Kind = "interview" if questions else "article"
    passages = _interview_passages(body, questions) if questions else _article_passages(body)
    author = next((parse_person(meta[k]) for k in ("автор", "author", "текст", "by") if k in meta), None)
    if kind == "interview":
        author = _interviewee(title, passages) or author
    interviewer = next((v for k, v in meta.items() if k.startswith(("бесед", "интервью", "interviewed"))), None)
    language = detect_language(normalised)
    return Article(normalised, title, date, author, interviewer, kind, language, tuple(passages), file_name)


def _interviewee(title: str | None, passages: list[Passage]) -> Person | None:
    """The person an interview's lead introduces (`Имя Фамилия — политолог…`), else the
    person its title opens with (`Имя Фамилия: …`)."""
    lead = passages[0].paragraphs if passages and passages[0].question is None else ()
    for paragraph in lead:
        if match := NAME_AND_ROLE.match(paragraph):
            return Person(name=match["name"], role=match["role"].strip())
    if title and (match := NAME_IN_TITLE.match(title)):
        return Person(name=match["name"])
    return None
