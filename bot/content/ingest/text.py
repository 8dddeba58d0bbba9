"""Turning an uploaded article or interview into draft snippets in the seed format.

An admin sends a text (plain or Markdown, mostly Russian). This module

1. normalises it and finds what metadata it can: title, date, author (`parse_article`);
2. splits it into passages: question-and-answer pairs for an interview, groups of paragraphs
   for an article (`Article.passages`);
3. tags each passage with topics through the catalogue's keyword routing (`tag_topics`);
4. finds the key figures with the words around them (`extract_figures`);
5. writes a document in the seed format that the seed loader validates (`drafts_from_article`).

Faithfulness is the rule throughout. The text to store as the source is `Article.text`: the
upload with line endings, odd spaces and Markdown markup normalised, the words untouched.
Every passage, evidence and quote is a verbatim slice of it, and a figure is reported only
where its number is written in digits in its evidence. Where the text does not say something
(a date, an author), the answer is None, not a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from bot.content.catalogue import Catalogue
from bot.content.models import SLUG, Figure, Person, collapse_whitespace
from bot.content.seeds import number_in
from bot.content.validation import ContentError

Kind = Literal["interview", "article"]
Language = Literal["ru", "en"]

# Topics a passage falls back to when no keyword matches, first present wins.
GENERAL_TOPICS = ("overview", "general", "other")

PASSAGE_TARGET = 700  # an article passage closes once it has about this many characters
TITLE_MAX = 100
SOURCE_TITLE_MAX = 150
SUMMARY_MAX = 600
SUMMARY_SENTENCES = 4
QUOTE_MIN, QUOTE_MAX = 40, 200
EVIDENCE_MAX = 220
LABEL_MAX = 200


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


@dataclass(frozen=True)
class FoundFigure:
    value: Decimal
    unit: str  # "млрд долларов", "%", "тыс. компаний", "млрд"
    label: str  # the words around the number, the number itself replaced by "…"
    year: int | None  # only when the evidence names the year ("в 2024 году")
    evidence: str  # verbatim clause or sentence of the text, containing `number`
    number: str  # the number as written: "4", "1 200", "4,5"


# --------------------------------------------------------------------------------------------
# Normalisation: line endings, spaces and Markdown markup


@dataclass(frozen=True)
class _Block:
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


def _blocks(raw: str) -> list[_Block]:
    """Paragraphs (blank-line separated; a heading is always its own) with markup removed."""
    text = INVISIBLE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = ODD_SPACES.sub(" ", text)
    blocks: list[_Block] = []
    pending: list[str] = []

    def flush(heading: bool = False) -> None:
        lines = [_strip_inline(line) for line in pending]
        joined = "\n".join(line for line in lines if line.strip()).strip()
        if joined:
            blocks.append(_Block(joined, heading=heading, bold=not heading and _is_bold(pending)))
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


def _meta(block: _Block) -> dict[str, str] | None:
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


def _person(value: str) -> Person:
    """'Иван Петров, политолог' → name and role."""
    name, _, role = value.partition(",")
    return Person(name=name.strip(), role=role.strip() or None)


def _title_like(block: _Block) -> bool:
    """A short single line that does not end like a sentence: a title, not a paragraph. A line
    ending with "?" is taken for an interview's first question, not a title."""
    text = block.text
    return (
        "\n" not in text
        and len(text) <= 200
        and not _ends_with_question(text)
        and not text.endswith((".", ",", ";", ":"))
        and not text.startswith(("–", "—", "-"))
    )


# --------------------------------------------------------------------------------------------
# Interview structure: which paragraphs are questions


DASH = re.compile(r"^[–—-]\s*")
SPEAKER = re.compile(r"^(?:[–—-]\s*)?(?P<who>[А-ЯЁA-Z][\w.\-]*(?: [А-ЯЁA-Z][\w.\-]*){0,2})\s*:\s+\S")


def _ends_with_question(text: str) -> bool:
    return text.rstrip("»\"”)*_ ").endswith("?")


def _questions_by_speaker(blocks: list[_Block]) -> set[int]:
    """`Корреспондент: …?` / `Вопрос: …`: the speaker label whose lines mostly ask questions."""
    by_speaker: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        if match := SPEAKER.match(block.text):
            by_speaker.setdefault(match["who"], []).append(i)
    best: set[int] = set()
    for indexes in by_speaker.values():
        asking = sum(_ends_with_question(blocks[i].text) for i in indexes)
        if len(indexes) >= 2 and asking * 2 >= len(indexes) and len(indexes) > len(best):
            best = set(indexes)
    return best


def _find_questions(blocks: list[_Block]) -> set[int]:
    """Indexes of question paragraphs, by the first convention the text follows consistently:
    speaker labels, bold paragraphs, dash-led paragraphs ending with "?", then (stricter, as
    an article may ask the odd rhetorical question) short paragraphs ending with "?"."""
    strategies = (
        (_questions_by_speaker(blocks), 2),
        ({i for i, b in enumerate(blocks) if b.bold}, 2),
        ({i for i, b in enumerate(blocks) if DASH.match(b.text) and _ends_with_question(b.text)}, 2),
        ({i for i, b in enumerate(blocks) if _ends_with_question(b.text) and len(b.text) <= 400}, 3),
    )
    for found, minimum in strategies:
        answered = {i for i in found if i + 1 < len(blocks) and i + 1 not in found}
        if len(found) >= minimum and len(answered) >= minimum:
            return found
    return set()


# --------------------------------------------------------------------------------------------
# Passages


def _interview_passages(body: list[_Block], questions: set[int]) -> list[Passage]:
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


def _article_passages(body: list[_Block]) -> list[Passage]:
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
    blocks = _blocks(text)
    if not blocks:
        raise ContentError(f"{file_name or 'upload'}: the text is empty")
    normalised = "\n\n".join(block.text for block in blocks) + "\n"
    meta, title, body = _head(blocks)
    date = next((parse_date(meta[k]) for k in ("дата", "date", "опубликовано", "published") if k in meta), None)
    if body and (prefix := DATE_PREFIX.match(body[0].text)):
        # "date 2025-11-12" glued to the first paragraph: metadata, not part of the passage
        date = date or parse_date(prefix["date"])
        body[0] = _Block(body[0].text[prefix.end() :], body[0].heading, body[0].bold)
    date = date or parse_date(f"{title or ''}\n{normalised[:200]}")

    questions = _find_questions(body)
    kind: Kind = "interview" if questions else "article"
    passages = _interview_passages(body, questions) if questions else _article_passages(body)
    author = next((_person(meta[k]) for k in ("автор", "author", "текст", "by") if k in meta), None)
    if kind == "interview":
        author = _interviewee(title, passages) or author
    interviewer = next((v for k, v in meta.items() if k.startswith(("бесед", "интервью", "interviewed"))), None)
    language = detect_language(normalised)
    return Article(normalised, title, date, author, interviewer, kind, language, tuple(passages), file_name)


def _head(blocks: list[_Block]) -> tuple[dict[str, str], str | None, list[_Block]]:
    """Metadata lines (above the text or right under its title), the title, and the body."""
    meta: dict[str, str] = {}
    title: str | None = None
    body: list[_Block] = []
    for block in blocks:
        fields = None if body else _meta(block)
        if fields is not None:
            meta.update(fields)
        elif title is None and not body and len(blocks) > 1 and (block.heading or _title_like(block)):
            title = block.text
        else:
            body.append(block)
    return meta, title or meta.get("заголовок") or meta.get("title"), body


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
        spans.append(_trim(text, start, match.start()))
        start = match.end()
    spans.append(_trim(text, start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
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


# --------------------------------------------------------------------------------------------
# Figures

SPACE = "[ \u00a0\u202f\u2009]"
# A number standing alone: not part of a date (12.11.2025, 2025-11-12), a time, a range
# (2–3) or a word (COVID19); Russian decimal comma or point; thousands grouped by spaces,
# or by commas in English.
_ALONE_BEFORE = r"(?<![\w.,:/])(?<!\d[-–/])"
_ALONE_AFTER = r"(?!\d)(?![.,:/–-]\d)"
NUMBER = {
    "ru": re.compile(rf"{_ALONE_BEFORE}(?:\d{{1,3}}(?:{SPACE}\d{{3}})+|\d+)(?:[.,]\d+)?{_ALONE_AFTER}"),
    "en": re.compile(
        rf"{_ALONE_BEFORE}(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}(?:{SPACE}\d{{3}})+|\d+)(?:\.\d+)?{_ALONE_AFTER}"
    ),
}
END = r"(?![^\W\d_])"  # the token is not the start of a longer word
SCALES = (  # (pattern, Russian unit, English unit)
    (rf"тысяч[аиу]?{END}|тыс\.|тыс{END}", "тыс.", "thousand"),
    (rf"млн\.?|миллион(?:ов|а)?{END}", "млн", "million"),
    (rf"млрд\.?|миллиард(?:ов|а)?{END}", "млрд", "billion"),
    (rf"трлн\.?|триллион(?:ов|а)?{END}", "трлн", "trillion"),
    (rf"thousand{END}", "тыс.", "thousand"),
    (rf"(?:million|mln|mn){END}", "млн", "million"),
    (rf"(?:billion|bn){END}", "млрд", "billion"),
    (rf"(?:trillion|tn){END}", "трлн", "trillion"),
)
CURRENCIES = (
    (rf"долл(?:ар(?:ов|а|ы)?{END}|\.|{END})(?:\s+США)?|USD{END}|dollars?{END}|\$", "долларов", "dollars"),
    (rf"руб(?:л(?:ей|я|ь){END}|\.|{END})|₽|RUB{END}|roubles?{END}|rubles?{END}", "рублей", "roubles"),
    (rf"тенге{END}|₸|KZT{END}|tenge{END}", "тенге", "tenge"),
    (rf"евро{END}|€|EUR{END}|euros?{END}", "евро", "euros"),
    (rf"юан(?:ей|я|ь){END}|CNY{END}|yuan{END}", "юаней", "yuan"),
)
SIGNS = {  # a currency sign before the number: (Russian unit, English unit)
    "$": ("долларов", "dollars"), "US$": ("долларов", "dollars"), "€": ("евро", "euros"),
    "₽": ("рублей", "roubles"), "₸": ("тенге", "tenge"),
}  # fmt: skip
SIGN_BEFORE = re.compile(r"(US\$|\$|€|₽|₸)\s?$")
PERCENT = re.compile(rf"\s?(?:%|процент(?:ов|а)?{END}|percent{END}|per cent{END})", re.I)
WORD = re.compile(r"\s(?P<word>[^\W\d_][\w-]*)")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)(?=\s*(?:год|г\.|гг))|\b(?:in|by|since)\s+((?:19|20)\d{2})\b")

# Words after a number that do not make it a count: function words, time and calendar words.
NOT_COUNTED = frozenset("""
и или а но в во на по за из от до для с со к ко о об при про через между над под после перед
около против без как что чтобы то же ли не ни уже еще лишь только также более менее почти
год года году годом годах годы годов лет летия гг г месяц месяца месяцев день дня дней сутки
суток неделя недели недель неделю час часа часов минута минуты минут секунда секунды секунд
век века веке веков раз раза квартал квартала кварталов должны должен должна должно нужно может
могут
and or of in on at to for by from with the a an than as is are was were will have has per
year years month months day days week weeks hour hours minute minutes times time
""".split())
VERB_ENDINGS = ("ся", "сь", "ть", "ти", "ут", "ют", "ат", "ят", "ет", "ит", "ли", "ло", "ла", "л")
# After a number an adjective takes the genitive plural (20 крупных компаний); "-ий" is left out
# on purpose: it is also how nouns end there (компаний).
ADJECTIVE_ENDINGS = ("ых", "их")
LEADING_CONJUNCTION = re.compile(r"^(?:и|а|но|and|but)\s+", re.I)


def _match_token(table: tuple, text: str, language: Language) -> tuple[str, int] | None:
    """(unit name, length consumed) for the first table entry matching at the start of text."""
    for pattern, ru, en in table:
        if match := re.match(rf"\s?(?:{pattern})", text, re.IGNORECASE):
            return (en if language == "en" else ru), match.end()
    return None


def _counted(word: str) -> bool:
    """A word that can be what a number counts: not a function, time or calendar word, and
    not shaped like a Russian verb (30 млрд должны…)."""
    lower = word.lower().replace("ё", "е")
    return (
        len(lower) >= 3
        and lower not in NOT_COUNTED
        and lower not in MONTH_WORDS
        and not (re.match(r"[а-я]", lower) and lower.endswith(VERB_ENDINGS))
    )


def _noun_phrase(text: str) -> tuple[str, int] | None:
    """The counted thing after a number: up to two adjectives and a noun (20 крупных компаний)."""
    taken: list[str] = []
    end = 0
    while len(taken) < 3 and (match := WORD.match(text, end)) and _counted(match["word"]):
        taken.append(match["word"])
        end = match.end()
        if not match["word"].lower().endswith(ADJECTIVE_ENDINGS):
            return " ".join(taken), end
    return None


def _parse_number(written: str, language: Language) -> Decimal:
    digits = re.sub(SPACE, "", written)
    digits = digits.replace(",", "") if language == "en" else digits.replace(",", ".")
    return Decimal(digits)


def _clause_cuts(text: str) -> list[int]:
    """Where the comma-, semicolon- and colon-separated clauses of a sentence start."""
    return [0] + [m.end() for m in re.finditer(r"[,;:]\s", text)] + [len(text)]


def _evidence_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Where the evidence for a figure at start:end lies in its sentence: the whole sentence if
    short; else its clause, grown by neighbouring clauses while under EVIDENCE_MAX; a window of
    words around the figure when even the clause is too long."""
    if len(sentence) <= EVIDENCE_MAX:
        return 0, len(sentence)
    cuts = _clause_cuts(sentence)
    first = max(i for i, cut in enumerate(cuts) if cut <= start)
    last = min(i for i, cut in enumerate(cuts) if cut >= end)
    grew = True
    while grew:
        grew = False
        if first > 0 and cuts[last] - cuts[first - 1] <= EVIDENCE_MAX:
            first, grew = first - 1, True
        if last < len(cuts) - 1 and cuts[last + 1] - cuts[first] <= EVIDENCE_MAX:
            last, grew = last + 1, True
    left, right = cuts[first], cuts[last]
    if right - left > EVIDENCE_MAX:
        spare = max(0, EVIDENCE_MAX - (end - start)) // 2
        left, right = max(left, start - spare), min(right, end + spare)
        if left > 0 and not sentence[left - 1].isspace():
            left = min(start, sentence.find(" ", left) + 1)  # start on a whole word
        if right < len(sentence) and not sentence[right].isspace():
            right = max(end, sentence.rfind(" ", end, right))  # end on a whole word
    left, right = _trim(sentence, left, right)
    while right > end and sentence[right - 1] in ",;:":
        right -= 1
    return left, right


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The comma-, semicolon- or colon-separated clause of text around start:end."""
    cuts = _clause_cuts(text)
    return max(cut for cut in cuts if cut <= start), min(cut for cut in cuts if cut >= end)


def _label(evidence: str, start: int, end: int) -> str:
    """The clause around the figure with the figure itself replaced by "…"."""
    left, right = _clause(evidence, start, end)
    clause = evidence[left:start] + "…" + evidence[end:right]
    if len(re.findall(r"\w+", clause)) < 3:
        clause = evidence[:start] + "…" + evidence[end:]
    clause = re.sub(r"\(\s*…\s*\)", "(…)", clause)
    clause = LEADING_CONJUNCTION.sub("", collapse_whitespace(clause)).strip(" ,;:.?!–—-")
    return shorten(clause[:1].upper() + clause[1:], LABEL_MAX)


def _year(evidence: str, start: int, end: int) -> int | None:
    """The year named in the figure's own clause (нарастив в 2024 году … $4 млрд), if just one."""
    left, right = _clause(evidence, start, end)
    years = {int(a or b) for a, b in YEAR.findall(evidence[left:right])}
    return years.pop() if len(years) == 1 else None


def _figure(sentence: str, match: re.Match[str], language: Language) -> FoundFigure | None:
    """The figure a number in a sentence stands for, or None when it is a bare number, a year,
    an ordinal or a date part."""
    start, end = match.span()
    after = sentence[end:]
    if re.match(r"[–-][^\W\d_]", after):  # 21-й, 5-летний
        return None
    sign = SIGN_BEFORE.search(sentence[:start])
    scale = _match_token(SCALES, after, language)
    pos = scale[1] if scale else 0
    currency = None if sign else _match_token(CURRENCIES, after[pos:], language)
    percent = None if sign or currency else PERCENT.match(after, pos)
    noun = None
    if not (sign or currency or percent):
        is_year = not scale and re.fullmatch(r"(?:19|20)\d{2}", match.group())
        noun = None if is_year else _noun_phrase(after[pos:])
    if not (scale or currency or percent or noun or sign):
        return None
    parts = [scale[0] if scale else None]
    if sign:
        parts.append(SIGNS[sign.group(1)][language == "en"])
    elif currency:
        parts.append(currency[0])
        pos += currency[1]
    elif percent:
        parts = ["%"]
        pos = percent.end()
    elif noun:
        parts.append(noun[0])
        pos += noun[1]
    unit = " ".join(part for part in parts if part)
    figure_start = sign.start() if sign else start
    figure_end = end + pos
    left, right = _evidence_span(sentence, figure_start, figure_end)
    evidence = sentence[left:right]
    return FoundFigure(
        value=_parse_number(match.group(), language),
        unit=unit,
        label=_label(evidence, figure_start - left, figure_end - left),
        year=_year(evidence, figure_start - left, figure_end - left),
        evidence=evidence,
        number=match.group(),
    )


def extract_figures(text: str, language: Language | None = None) -> list[FoundFigure]:
    """Money, percentages and counts written in digits, in order of appearance (repeats kept).

    A year is never a figure by itself; it becomes the `year` of a figure whose clause names
    exactly one year. Numbers written in words are not found.
    """
    language = language or detect_language(text)
    found: list[FoundFigure] = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        for match in NUMBER[language].finditer(sentence):
            if figure := _figure(sentence, match, language):
                found.append(figure)
    return found


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
