"""The uploaded text itself: normalisation, paragraphs, language, metadata and sentences.

The text to store as the source is `Article.text`: the upload with line endings, odd spaces and
Markdown markup normalised, the words untouched. Where the text does not say something (a date,
an author), the answer is None, not a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from bot.domain.models import Person, collapse_whitespace

Language = Literal["ru", "en"]


# --------------------------------------------------------------------------------------------
# Normalisation: line endings, spaces and Markdown markup


@dataclass(frozen=True)
class Block:
    """A paragraph of the normalised text, with what its markup said about it."""

    text: str
    heading: bool = False
    bold: bool = False  # the whole paragraph was bold: how Markdown interviews mark questions


ODD_SPACES = re.compile("[\u00a0\u2007\u2009\u202f\t]")
INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")
ATX_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
SETEXT_UNDERLINE = re.compile(r"^(=+|-{2,})$")
RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
LINK_DEFINITION = re.compile(r"^\[[^\]]+\]:\s+\S+")
INLINE_MARKUP = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: their alt text is not article text
    (re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),
)


def _strip_inline(line: str) -> str:
    """Markdown inline markup off one line; the words stay as written."""
    for pattern, replacement in INLINE_MARKUP:
        line = pattern.sub(replacement, line)
    return line


def _is_bold(raw_lines: list[str]) -> bool:
    """The whole paragraph is one bold span (a dash before it and punctuation after allowed)."""
    raw = re.sub(r"^[–—-]\s*", "", " ".join(raw_lines).strip())
    core = raw.rstrip("?.!:… ")
    return any(
        raw.startswith(mark) and core.endswith(mark) and raw.count(mark) == 2 and len(core) > 4
        for mark in ("**", "__")
    )


def split_blocks(raw: str) -> list[Block]:
    """Paragraphs (blank-line separated; a heading is always its own) with markup removed."""
    text = INVISIBLE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = ODD_SPACES.sub(" ", text)
    blocks: list[Block] = []
    pending: list[str] = []

    def flush(heading: bool = False) -> None:
        lines = [_strip_inline(line) for line in pending]
        joined = "\n".join(line for line in lines if line.strip()).strip()
        if joined:
            blocks.append(Block(joined, heading=heading, bold=not heading and _is_bold(pending)))
        pending.clear()

    for line in (line.strip() for line in text.split("\n")):
        line = re.sub(r"^(?:>\s?)+", "", line)  # block quotes
        if not line:
            flush()
        elif SETEXT_UNDERLINE.match(line) and len(pending) == 1:
            flush(heading=True)
        elif RULE.match(line) or LINK_DEFINITION.match(line):
            flush()
        elif heading := ATX_HEADING.match(line):
            flush()
            pending.append(heading.group(1))
            flush(heading=True)
        else:
            pending.append(line)
    flush()
    return blocks


def detect_language(text: str) -> Language:
    """Russian unless Latin letters outnumber Cyrillic ones."""
    cyrillic = len(re.findall(r"[а-яё]", text, re.IGNORECASE))
    latin = len(re.findall(r"[a-z]", text, re.IGNORECASE))
    return "en" if latin > cyrillic else "ru"


# --------------------------------------------------------------------------------------------
# Metadata: title, date, author

MONTHS = {
    **{m: i for i, m in enumerate(("января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                                   "августа", "сентября", "октября", "ноября", "декабря"), 1)},
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                   "august", "september", "october", "november", "december"), 1)},
}  # fmt: skip
_MONTH_NAMES = "|".join(MONTHS)
MONTH_WORDS = frozenset(MONTHS) | frozenset(
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()
)
DATE_PATTERNS = (
    (re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"), None),
    (re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"), None),
    (re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_NAMES})\s+(?P<y>\d{{4}})(?!\d)", re.I), MONTHS),
    (re.compile(rf"\b(?P<m>{_MONTH_NAMES})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?!\d)", re.I), MONTHS),
)
META_LINE = re.compile(
    r"^(?P<label>автор|author|by|текст|дата|date|опубликовано|published|заголовок|title|"
    r"беседовал[аи]?|беседу вел[аи]?|беседу вёл|интервью записал[аи]?|interviewed by)"
    r"(?:\s*[:：—–-]\s*|\s+)(?P<value>\S.{0,150})$",
    re.IGNORECASE,
)
# A leading "date 2025-11-12" glued to the first paragraph, as in the seed interview's file.
DATE_PREFIX = re.compile(r"^(?:date|дата)\s*:?\s*(?P<date>\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s+", re.I)
NAME_WORD = r"[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?"
PERSON_NAME = rf"{NAME_WORD}(?: {NAME_WORD}){{1,2}}"
NAME_AND_ROLE = re.compile(rf"^(?P<name>{PERSON_NAME})\s+[—–-]\s+(?P<role>[^.!?\n]{{3,200}})")
NAME_IN_TITLE = re.compile(rf"^(?P<name>{PERSON_NAME})\s*:\s+\S")


def parse_date(text: str) -> dt.date | None:
    """The first date written as 2025-11-12, 12.11.2025 or 12 ноября 2025 (or November 12, 2025)."""
    found: list[tuple[int, dt.date]] = []
    for pattern, months in DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match["m"]
            try:
                number = months[month.lower()] if months else int(month)
                value = dt.date(int(match["y"]), number, int(match["d"]))
            except ValueError:
                continue
            found.append((match.start(), value))
    return min(found)[1] if found else None


def _meta(block: Block) -> dict[str, str] | None:
    """A paragraph made only of `Label: value` lines (Автор: …, Дата: …), as a dict; else None."""
    fields: dict[str, str] = {}
    for line in block.text.split("\n"):
        if _is_date_line(line):
            fields["date"] = line
            continue
        match = META_LINE.match(line.strip())
        if not match:
            return None
        label = match["label"].lower()
        if label == "by" and not re.match(NAME_WORD, match["value"]):  # "by the way"
            return None
        fields[label] = match["value"].strip()
    return fields


def _is_date_line(line: str) -> bool:
    """A line that is only a date (a dateline above the text)."""
    line = line.strip().rstrip(".")
    return any(pattern.fullmatch(line) for pattern, _ in DATE_PATTERNS) and parse_date(line) is not None


def parse_person(value: str) -> Person:
    """'Иван Петров, политолог' → name and role."""
    name, _, role = value.partition(",")
    return Person(name=name.strip(), role=role.strip() or None)


def _title_like(block: Block) -> bool:
    """A short single line that does not end like a sentence: a title, not a paragraph. A line
    ending with "?" is taken for an interview's first question, not a title."""
    text = block.text
    return (
        "\n" not in text
        and len(text) <= 200
        and not ends_with_question(text)
        and not text.endswith((".", ",", ";", ":"))
        and not text.startswith(("–", "—", "-"))
    )


def ends_with_question(text: str) -> bool:
    return text.rstrip("»\"”)*_ ").endswith("?")


def split_head(blocks: list[Block]) -> tuple[dict[str, str], str | None, list[Block]]:
    """Metadata lines (above the text or right under its title), the title, and the body."""
    meta: dict[str, str] = {}
    title: str | None = None
    body: list[Block] = []
    for block in blocks:
        fields = None if body else _meta(block)
        if fields is not None:
            meta.update(fields)
        elif title is None and not body and len(blocks) > 1 and (block.heading or _title_like(block)):
            title = block.text
        else:
            body.append(block)
    return meta, title or meta.get("заголовок") or meta.get("title"), body


# --------------------------------------------------------------------------------------------
# Sentences


SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][»\"”)]))\s+(?=[«\"„(\[A-ZА-ЯЁ0-9–—-])|\n\s*\n"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text; a paragraph break always ends one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        spans.append(trim_span(text, start, match.start()))
        start = match.end()
    spans.append(trim_span(text, start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    text = collapse_whitespace(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"
