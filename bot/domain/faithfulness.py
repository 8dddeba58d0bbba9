"""The faithfulness rules: content may state only what its source states.

Every figure's evidence and every quote must be found verbatim in the source's text, and every
number written in a title, summary or label must occur there. Seed files, uploads and edits in
Telegram are all held to these same functions.
"""

from __future__ import annotations

import re

from bot.domain.models import SourceFile, collapse_whitespace
from bot.domain.validation import ContentError

DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def check_faithful(content: SourceFile, text: str, name: str) -> None:
    """Every figure, quote and number must be traceable to the source text."""
    flat = collapse_whitespace(text)
    known = source_numbers(flat)

    def fail(snippet_id: str, field: str, message: str) -> None:
        raise ContentError(f"{name}: snippet {snippet_id!r}, field {field!r}: {message}")

    for snippet in content.snippets:
        for i, figure in enumerate(snippet.figures):
            evidence = collapse_whitespace(figure.evidence)
            if evidence not in flat:
                fail(snippet.id, f"figures[{i}].evidence", "not found verbatim in the source text")
            if not number_in(figure.value_text, evidence):
                fail(snippet.id, f"figures[{i}].value", f"{figure.value_text} is not in its evidence")
            if figure.year is not None and str(figure.year) not in flat:
                fail(snippet.id, f"figures[{i}].year", f"{figure.year} is not in the source text")
        for i, quote in enumerate(snippet.quotes):
            if collapse_whitespace(quote.text) not in flat:  # the source collapsed once, not per quote
                fail(snippet.id, f"quotes[{i}].text", "not found verbatim in the source text")
        for field in ("title", "summary", "title_en", "summary_en"):
            for number in numbers_not_in(known, getattr(snippet, field) or ""):
                fail(snippet.id, field, f"the number {number} is not in the source text")
        for i, figure in enumerate(snippet.figures):
            written = (figure.label, figure.unit, figure.label_en, figure.unit_en, figure.caveat, figure.caveat_en)
            for number in numbers_not_in(known, " ".join(text for text in written if text)):
                fail(snippet.id, f"figures[{i}].label", f"the number {number} is not in the source")
        for i, quote in enumerate(snippet.quotes):
            for number in numbers_not_in(known, quote.text_en or ""):
                fail(snippet.id, f"quotes[{i}].text_en", f"the number {number} is not in the source")


def verbatim_in(words: str, source_text: str) -> bool:
    """Whether `words` stand in the source exactly as written (line breaks and runs of spaces
    count as one space): a quote, in a seed file or added by an editor."""
    return collapse_whitespace(words) in collapse_whitespace(source_text)


def verbatim_start(words: str, source_text: str) -> str:
    """The longest run of `words`' first words that the source holds verbatim ("" if not even
    the first word), so a refusal can say where a quote stops matching its source."""
    split, flat = collapse_whitespace(words).split(" "), collapse_whitespace(source_text)
    found, missing = 0, len(split) + 1  # a prefix found implies every shorter one is found
    while missing - found > 1:
        middle = (found + missing) // 2
        if " ".join(split[:middle]) in flat:
            found = middle
        else:
            missing = middle
    return " ".join(split[:found])


GROUPED_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")


def source_numbers(source_text: str) -> frozenset[str]:
    return frozenset(DIGITS.findall(collapse_whitespace(source_text)))


def numbers_not_in(known: frozenset[str], *texts: str) -> list[str]:
    """Numbers written in `texts` that the source (its `source_numbers`) never writes:
    content may only repeat the source's numbers (seed files and edits in Telegram alike)."""
    return [number for text in texts for number in DIGITS.findall(text) if number not in known]


def number_in(value_text: str, evidence: str) -> bool:
    """Whether a number (4, 1,5, 1200) stands in the text as a whole number, not inside
    another; thousands may be grouped with a space as Russian text does ("1 200")."""
    evidence = GROUPED_THOUSANDS.sub("", evidence)
    variants = {value_text, value_text.replace(",", ".")}
    if value_text.isdigit() and len(value_text) > 3:
        variants.add(f"{int(value_text):,}")  # English groups thousands with commas: 21,000
    return any(re.search(rf"(?<![\d.,]){re.escape(v)}(?![\d]|[.,]\d)", evidence) for v in variants)


def evidence_for(value_text: str, source_text: str) -> str | None:
    """The sentence of the source that states this number, as written there."""
    for sentence in _SENTENCE_END.split(collapse_whitespace(source_text)):
        if number_in(value_text, sentence):
            return sentence[:400]
    return None




def snippet_passage(source_text: str, anchors: list[str]) -> str | None:
    """The part of the source a snippet is about: the paragraphs holding any of its anchors (its
    quotes, its figures' evidence, sentences of its summary found verbatim), with the paragraph
    before and after each (an interview's question, an answer's continuation). None when no
    anchor is found: the snippet cannot say where in the source it comes from."""
    paragraphs = [collapse_whitespace(p) for p in re.split(r"\n\s*\n", source_text) if p.strip()]
    marks = [collapse_whitespace(a) for a in anchors if a and len(collapse_whitespace(a)) >= 12]
    found = sorted({i for i, paragraph in enumerate(paragraphs) for mark in marks if mark in paragraph})
    if not found:
        return None
    keep = sorted({j for i in found for j in (i - 1, i, i + 1) if 0 <= j < len(paragraphs)})
    return "\n\n".join(paragraphs[j] for j in keep)
