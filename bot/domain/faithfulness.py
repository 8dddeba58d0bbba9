"""The faithfulness rules: content may state only what its source states.

Every figure's evidence and every quote must be found verbatim in the source's text, and every
number written in a title, summary or label must occur there. Seed files, uploads and edits in
Telegram are all held to these same functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.models import Figure, SourceFile, collapse_whitespace
from bot.domain.own_words import quoted_spans
from bot.domain.numerals import CURRENCIES, Number, read_numbers
from bot.domain.validation import ContentError
from bot.domain.voices import Voices, quote_credit_problem, stated_by_problem

DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def check_faithful(content: SourceFile, text: str, name: str, voices: Voices | None = None) -> None:
    """Every figure, quote and number must be traceable to the source text: a figure's evidence
    and every quote verbatim, and every number written in a title, summary, label or figure held
    to the snippet's own passage by `number_problems` (scale, unit, range, period, year). With
    the source's `voices` (who says what in it), a quote must be said by whom it is credited to
    (no author: the source's author) and a figure's `stated_by` must be who states it."""
    flat = collapse_whitespace(text)
    known = source_numbers(flat)

    def fail(snippet_id: str, field: str, message: str) -> None:
        raise ContentError(f"{name}: snippet {snippet_id!r}, field {field!r}: {message}")

    for snippet in content.snippets:
        for i, figure in enumerate(snippet.figures):
            evidence = collapse_whitespace(figure.evidence)
            if evidence not in flat:
                fail(snippet.id, f"figures[{i}].evidence", "not found verbatim in the source text")
            problem = figure_problem(figure, evidence)
            if problem is not None:
                fail(snippet.id, f"figures[{i}].value", problem.message("en"))
        for i, quote in enumerate(snippet.quotes):
            if collapse_whitespace(quote.text) not in flat:  # the source collapsed once, not per quote
                fail(snippet.id, f"quotes[{i}].text", "not found verbatim in the source text")
            credited = (quote.author or content.source.author).name
            credit = quote_credit_problem(quote.text, credited, voices)
            if credit is not None:
                fail(snippet.id, f"quotes[{i}].author", credit.message("en"))
        for i, figure in enumerate(snippet.figures):
            states = stated_by_problem(figure.stated_by, figure.evidence, voices)
            if states is not None:
                fail(snippet.id, f"figures[{i}].stated_by",
                     f"{figure.stated_by!r}, but in the source {states if figure.stated_by_name else 'the ' + states} "
                     "states this number")
        passage = snippet_passage(text, snippet_anchors(snippet)) or text
        for field in ("title", "summary", "title_en", "summary_en"):
            problems = number_problems(getattr(snippet, field) or "", passage, text)
            if problems:
                fail(snippet.id, field, problems[0].message("en"))
        for i, figure in enumerate(snippet.figures):
            for written in (figure.label, figure.label_en, figure.unit, figure.unit_en):
                problems = number_problems(written or "", passage, text)
                if problems:
                    fail(snippet.id, f"figures[{i}].label", problems[0].message("en"))
            for number in numbers_not_in(known, " ".join(t for t in (figure.caveat, figure.caveat_en) if t)):
                fail(snippet.id, f"figures[{i}].caveat", f"the number {number} is not in the source")
        for i, quote in enumerate(snippet.quotes):
            for number in numbers_not_in(known, quote.text_en or ""):
                fail(snippet.id, f"quotes[{i}].text_en", f"the number {number} is not in the source")


def snippet_anchors(snippet) -> list[str]:
    """What ties a snippet to its place in the source: its quotes, its figures' evidence and
    the sentences of its summary (those found verbatim)."""
    anchors = [q.text for q in snippet.quotes] + [f.evidence for f in snippet.figures]
    return anchors + _SENTENCE_END.split(snippet.summary)


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


# --------------------------------------------------------------------------------------------
# Which number: an editor's or a model's numbers held to the source's


@dataclass(frozen=True)
class NumberProblem:
    """Why a written number does not stand in the source as written, and what the source says.

    kind: missing (not in the source at all), elsewhere (in the source, not in this snippet's
    passage), scale (млрд ≠ млн), currency (the source states none), unit (another unit: % ≠
    п.п.), range (the source gives a range: another, or one whose end the number is), norange
    (a range written where the source states one number), period (the source states none), year_other (the
    year is another figure's), year_missing (the source gives this figure no year), note (an
    editors' note states a number without a link to its source)."""

    kind: str
    written: str
    found: str = ""

    def message(self, lang: str = "ru") -> str:
        template = _MESSAGES["en" if lang == "en" else "ru"][self.kind]
        return template.format(written=self.written, found=self.found)


_MESSAGES = {
    "ru": {
        "missing": "{written}: такого числа в источнике нет",
        "elsewhere": "{written}: в этой части источника такого числа нет; в источнике оно — «{found}»",
        "scale": "{written}: в источнике «{found}» — другой порядок",
        "currency": "{written}: в источнике «{found}» без валюты",
        "unit": "{written}: в источнике «{found}» — другая единица",
        "nounit": "{written}: в источнике «{found}» без этой единицы",
        "range": "{written}: в источнике диапазон — «{found}»",
        "norange": "{written}: в источнике не диапазон — «{found}»",
        "times": "{written}: в источнике нет такой кратности; это число там — «{found}»",
        "period": "{written}: в источнике «{found}» без периода",
        "year_other": "{written} в источнике — год другой цифры («{found}»)",
        "year_missing": "{written}: в источнике у «{found}» год не указан",
        "note": "{written}: в заметке редакции цифры — только со ссылкой на источник (добавьте её в текст: https://…)",
    },
    "en": {
        "missing": "{written}: the source has no such number",
        "elsewhere": "{written}: not in this part of the source; the source has it as «{found}»",
        "scale": "{written}: the source says «{found}», another scale",
        "currency": "{written}: the source says «{found}», with no currency",
        "unit": "{written}: the source says «{found}», another unit",
        "nounit": "{written}: the source says «{found}», without that unit",
        "range": "{written}: the source gives a range, «{found}»",
        "norange": "{written}: the source gives no range, «{found}»",
        "times": "{written}: the source states no such multiple; it has this number as «{found}»",
        "period": "{written}: the source says «{found}», with no period",
        "year_other": "{written} is another figure's year in the source («{found}»)",
        "year_missing": "{written}: the source gives «{found}» no year",
        "note": "{written}: an editors' note states numbers only with a link to their source (add it to the text: https://…)",
    },
}


@dataclass(frozen=True)
class _Read:
    number: Number
    year: int | None  # the year written beside it, in its sentence
    sentence: str


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…;])\s+(?=[«\"„“(–—-]?\s*[A-ZА-ЯЁ\d])|\n\s*\n")
_CLAUSE_MARK = re.compile(r"[,;:()—–]")


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offsets; an abbreviation's dot ("куб. м", "млрд. долл.") ends none."""
    out, at = [], 0
    for found in _SENTENCE_BREAK.finditer(text):
        out.append((at, text[at:found.start()]))
        at = found.end()
    out.append((at, text[at:]))
    return out


def _read(text: str) -> tuple[list[_Read], dict[int, int]]:
    """The numbers of a text with the year beside each, and for each year written beside a
    number (by the year's start) the start of that number. A year goes with the nearest number
    of its clause, else with the nearest of its sentence."""
    reads: list[_Read] = []
    beside: dict[int, int] = {}
    for offset, sentence in _sentences(text):
        numbers = read_numbers(sentence)
        measured = [n for n in numbers if n.measured and not n.name and not n.year]
        clause = [0]
        for mark in _CLAUSE_MARK.finditer(sentence):
            clause.append(mark.start())

        def clause_of(at: int) -> int:
            return sum(1 for c in clause[1:] if c < at)

        years: dict[int, int] = {}  # number start → year
        for year in (n for n in numbers if n.year):
            if not measured:
                continue
            near = [n for n in measured if clause_of(n.start) == clause_of(year.start)] or measured
            nearest = min(near, key=lambda n: min(abs(n.start - year.end), abs(year.start - n.end)))
            if nearest.start not in years:
                years[nearest.start] = int(year.value)
                beside[offset + year.start] = offset + nearest.start
        for n in numbers:
            shifted = Number(**{**n.__dict__, "start": n.start + offset, "end": n.end + offset})
            reads.append(_Read(shifted, years.get(n.start), sentence))
    return reads, beside


def _excerpt(read: _Read, width: int = 70) -> str:
    """The source's words around a number: the clause holding it, at most `width` characters
    either side."""
    sentence = collapse_whitespace(read.sentence)
    at = sentence.find(collapse_whitespace(read.number.text))
    if at < 0 or len(sentence) <= 2 * width:
        return sentence.rstrip(".;")
    left = max(0, at - width)
    left = sentence.rfind(" ", 0, left) + 1 if left else 0
    right = min(len(sentence), at + len(read.number.text) + width)
    right = sentence.find(" ", right) if sentence.find(" ", right) != -1 else len(sentence)
    return ("…" if left else "") + sentence[left:right].strip().rstrip(".;") + ("…" if right < len(sentence) else "")


def _same_amount(a: Number, b: Number) -> bool:
    return a.times == b.times and a.magnitude == b.magnitude and (a.upper or None) == (b.upper or None)


def _same_number(a: Number, b: Number) -> bool:
    """A bare number (no scale or unit) is found as any number of the same value."""
    return a.value == b.value or a.magnitude == b.magnitude or b.value_to is not None and a.value == b.value_to


def _verbatim_quotes_aside(written: str, source: str) -> str:
    """The written text with its quotations of the source blanked out (same length): words quoted
    verbatim state the source's numbers as the source does ("Из материала: «…в 2026 году …»";
    sentences the source does not write side by side are joined by " (…) ")."""
    spans = [(a, b) for a, b in quoted_spans(written) if b - a > 2
             and all(verbatim_in(piece, source) for piece in written[a + 1 : b - 1].split(" (…) "))]
    if not spans:
        return written
    out, at = [], 0
    for a, b in sorted(spans):
        if a < at:
            continue
        out.append(written[at:a])
        out.append(" " * (b - a))
        at = b
    out.append(written[at:])
    return "".join(out)


def number_problems(written: str, passage: str, source: str | None = None) -> list[NumberProblem]:
    """Every number `written` (a title, summary, label, a figure as "28 млрд долларов") that its
    source does not state as written, checked against the snippet's own `passage` (and the
    whole `source`, to say where else it stands). A number must be found there with the same
    scale (млрд ≠ млн), range and multiplier (вдвое is "в два раза", not a 2 of something else),
    and, where it names one, the same unit family (млрд долларов ≠ млрд of no stated currency;
    % ≠ п.п.) and period ("в год"); a year written beside it must be its year in the source.
    Numbers in words are read like digits; names (Су-35, 5G, №5), dates and counting words
    (двух стран) are not figures and pass."""
    if not any(c.isdigit() for c in written) and not _has_number_words(written):
        return []
    written = _verbatim_quotes_aside(written, source or passage)
    theirs, _ = _read(passage)
    everywhere = _read(source)[0] if source is not None and source != passage else theirs
    mine, beside = _read(written)
    years_beside = set(beside)
    problems: list[NumberProblem] = []
    for read in mine:
        n = read.number
        if not n.checked or n.start in years_beside:
            continue
        shown = _shown(n)
        if n.year or not n.measured:
            if not any(_same_number(n, t.number) for t in theirs if not t.number.name):
                problems.append(_absent(n, shown, everywhere, _same_number))
            continue
        found = [t for t in theirs if not t.number.name and not t.number.year and _same_amount(n, t.number)]
        problem = _unmatched(n, shown, theirs, everywhere) if not found else None
        if found and n.unit:
            with_unit = [t for t in found if t.number.unit == n.unit]
            if not with_unit:
                other = found[0]
                kind = "nounit" if other.number.unit is None else "unit"
                if kind == "nounit" and n.unit in CURRENCIES:
                    kind = "currency"
                problem = NumberProblem(kind, shown, collapse_whitespace(other.number.text))
            found = with_unit
        if found and problem is None and n.period and not any(t.number.period == n.period for t in found):
            problem = NumberProblem("period", shown, collapse_whitespace(found[0].number.text))
        if problem is not None:
            problems.append(problem)
        if read.year is not None:  # the year beside it: this number's year in the source?
            stated = found or [t for t in everywhere if not t.number.name and _same_amount(n, t.number)]
            if not any(t.year == read.year for t in stated):
                other = next((t for t in everywhere if t.year == read.year), None)
                if other is not None:
                    problems.append(NumberProblem("year_other", str(read.year), _excerpt(other)))
                elif stated:
                    problems.append(NumberProblem("year_missing", str(read.year), collapse_whitespace(stated[0].number.text)))
                else:
                    problems.append(NumberProblem("missing", str(read.year)))
    return problems


def _absent(n: Number, shown: str, everywhere: list[_Read], same) -> NumberProblem:
    elsewhere = next((t for t in everywhere if not t.number.name and same(n, t.number)), None)
    return NumberProblem("elsewhere", shown, _excerpt(elsewhere)) if elsewhere else NumberProblem("missing", shown)


def _unmatched(n: Number, shown: str, theirs: list[_Read], everywhere: list[_Read]) -> NumberProblem:
    """What the passage says instead of a measured number it does not state."""
    usable = [t for t in theirs if not t.number.name and not t.number.year]
    for t in usable:
        m = t.number
        if m.value == n.value and m.times == n.times and m.scale != n.scale and n.value_to == m.value_to:
            return NumberProblem("scale", shown, collapse_whitespace(m.text))
        if m.value_to is not None and n.magnitude in (m.magnitude, m.upper) and n.upper != m.upper:
            return NumberProblem("range", shown, collapse_whitespace(m.text))  # one end, or another range
        if n.value_to is not None and m.value_to is None and m.times == n.times \
                and m.magnitude in (n.magnitude, n.upper):
            return NumberProblem("norange", shown, collapse_whitespace(m.text))
        if n.times and not m.times and m.value == n.value:
            return NumberProblem("times", shown, _excerpt(t))
    if n.times:
        other = next((t for t in everywhere if not t.number.name and t.number.value == n.value and not t.number.times), None)
        if other is not None:
            return NumberProblem("times", shown, _excerpt(other))
    return _absent(n, shown, everywhere, _same_amount)


def _has_number_words(text: str) -> bool:
    return any(n.words and n.checked for n in read_numbers(text))


def figure_problem(figure: Figure, evidence: str) -> NumberProblem | None:
    """A figure (value, unit, year) held to its own evidence, as written text is held to a passage:
    "28" with unit "млрд долларов" is refused where the evidence says "(28 млрд)"."""
    written = f"{figure.value_text} {figure.unit}"  # a range as one: "8–9 млн тонн"
    problems = number_problems(written, evidence)
    if problems:
        return problems[0]
    if figure.value_to is None:
        end = _range_end_only(written, evidence)
        if end is not None:
            return end
    if figure.year is not None:
        years = {int(n.value) for n in read_numbers(evidence) if n.year}
        if figure.year not in years:
            return NumberProblem("year_missing", str(figure.year), collapse_whitespace(evidence)[:120])
    return None


def _range_end_only(written: str, evidence: str) -> NumberProblem | None:
    """A single figure whose number the evidence (or passage) states only as an end of a range
    ("8 элеваторов" where it says "от 8 до 10 элеваторов"): a count the lexicon has no unit for
    is read as a bare number, which in a summary may be either end; a figure may not."""
    mine = [r.number for r in _read(written)[0] if r.number.checked]
    if not mine or mine[0].measured:
        return None  # measured numbers are held to the range by `number_problems` already
    n = mine[0]
    theirs = [t for t in _read(evidence)[0] if not t.number.name and not t.number.year]
    if any(t.number.value == n.value and t.number.value_to is None for t in theirs):
        return None
    ends = [t for t in theirs if t.number.value_to is not None and n.value in (t.number.value, t.number.value_to)]
    return NumberProblem("range", collapse_whitespace(written), _excerpt(ends[0])) if ends else None


def figure_evidence(written: str, passage: str, source: str | None = None) -> tuple[str | None, NumberProblem | None]:
    """For a figure an editor adds ("28 млрд долларов"): the sentence of the passage that
    states it, or the problem naming what the passage (or the whole `source`) says instead."""
    problems = number_problems(written, passage, source)
    if problems:
        return None, problems[0]
    mine = [r.number for r in _read(written)[0] if r.number.checked]
    for read in _read(passage)[0]:
        if mine and not read.number.name and _same_amount(mine[0], read.number) \
                and (mine[0].unit is None or read.number.unit == mine[0].unit):
            return collapse_whitespace(read.sentence)[:400], None
    return None, _range_end_only(written, passage) or NumberProblem("missing", collapse_whitespace(written))


LINK = re.compile(r"https?://[^\s<>«»\"']+[^\s<>«»\"'.,;:!?)]")


def note_link(text: str) -> tuple[str | None, str]:
    """An editors' note's link to where its numbers are stated, and the text without it."""
    found = LINK.search(text)
    if found is None:
        return None, text
    rest = (text[:found.start()] + text[found.end():]).strip()
    return found.group()[:500], re.sub(r"[ \t]+", " ", re.sub(r"\s*\|\s*$", "", rest)).strip()


def note_problems(text: str, link: str | None) -> list[NumberProblem]:
    """An editors' note states numbers only together with the link to the page that states
    them (which the note then cites): each number of a note without one is refused."""
    if link:
        return []
    return [NumberProblem("note", _shown(n)) for n in read_numbers(text) if n.checked]


def _shown(number: Number) -> str:
    """A number as written, for a refusal (a sentence's last dot left off)."""
    return collapse_whitespace(number.text).rstrip(".")
