"""The layout stage: from pasted text to metadata lines, a title, and paragraphs grouped into
narrative passages and question-and-answer pairs. No language model is used here, and every
step is linear in the length of the text (see tests/test_performance.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.services.ingest.reading import clean, dates, speech
from bot.services.ingest.reading.clean import DASHES

# --------------------------------------------------------------------------------------------
# Paragraphs


@dataclass
class Para:
    text: str  # the paragraph, markup removed, dash or label kept
    heading: bool = False  # a Markdown heading (ATX or setext)
    bold: bool = False  # the whole paragraph was one bold span
    dash: bool = False  # it opens with a dash: a turn of speech in an interview
    label: str | None = None  # a speaker label: "Вопрос", "Корр.", "А.К."
    body: str = ""  # the text without its dash or label
    list_item: bool = False
    label_role: str | None = None  # the role a transcript's label gives: "Имя ФАМИЛИЯ, МИНИСТР ЭНЕРГЕТИКИ:"
    label_only: bool = False  # a label on a line of its own: the words are in the paragraph after it

    def __post_init__(self) -> None:
        if not self.body:
            self.body = self.text


def _dash_body(text: str) -> str | None:
    """The text after a leading speech dash ("— Да." / "– Да." / "- Да."), else None."""
    if len(text) < 2 or text[0] not in DASHES:
        return None
    rest = text[1:]
    if rest[:1] == " ":
        return rest.lstrip()
    if text[0] in "—–―" and rest[:1] and (rest[0].isalpha() or rest[0] in "«\"("):
        return rest  # "—Да." with the space lost
    if text[0] == "-" and rest[:1].isupper() and rest[:1].isalpha() and len(rest.split()) >= 4:
        return rest  # "-What is the role of …?": a hyphen glued to the turn's first word
    return None


_KNOWN_LABELS = {
    "вопрос": "q", "в": "q", "q": "q", "корр": "q", "корреспондент": "q", "журналист": "q",
    "интервьюер": "q", "ведущий": "q", "ведущая": "q", "ред": "q", "редакция": "q",
    "вопрос журналиста": "q", "interviewer": "q", "ответ": "a", "о": "a", "a": "a", "answer": "a",
    "question": "q",
}  # fmt: skip
_NOT_LABELS = frozenset(
    """фото источник автор теги справка важно напомним итог итоги цитата примечание например кстати
    главное подробнее читайте внимание note цель задача проблема причина результат вывод выводы
    пример дата время место адрес телефон тема вопросы ответы программа повестка""".split()
)


def _period_label(text: str) -> tuple[str, str] | None:
    """('Ирина КОВАЛЁВА', '…') for 'Ирина КОВАЛЁВА. …', ('"ВЕСТНИК"', '…') for '"ВЕСТНИК". …': a
    speaker named in capitals (a surname, a newspaper) and a full stop, as some papers print turns."""
    dot = text.find(". ", 0, 41)
    if dot <= 0:
        return None
    label, rest = text[:dot].strip(), text[dot + 2 :].strip()
    words = label.split()
    if not 1 <= len(words) <= 3 or not rest[:1].isupper():
        return None
    caps = [w.strip('"«»') for w in words if len(w.strip('"«».')) >= 3 and w.strip('"«».').isupper()]
    if not caps or not all(w.strip('"«».').replace("-", "").isalpha() and w.strip('"«»')[:1].isupper() for w in words):
        return None
    return label, rest


INITIALS_SURNAME = re.compile(r"(?:[A-ZА-ЯЁ]\.){1,2}\s?[A-ZА-ЯЁ][a-zа-яё-]+")


def speaker_label(text: str) -> tuple[str, str] | None:
    """("А.К.", "Мы …") for "А.К.: Мы …", ("Вопрос", "…") for "Вопрос: …", ("Ирина КОВАЛЁВА",
    "…") for "Ирина КОВАЛЁВА. …"; None otherwise."""
    by_period = _period_label(text)
    if by_period is not None:
        return by_period
    colon = text.find(":", 0, 41)
    if colon <= 0:
        return None
    label, rest = text[:colon].strip(), text[colon + 1 :].strip()
    if not label or not rest and colon + 1 < len(text):
        return None
    key = label.lower().rstrip(".")
    if key in _KNOWN_LABELS:
        return label, rest
    words = label.split()
    if not 1 <= len(words) <= 3 or words[0].lower().rstrip(".") in _NOT_LABELS:
        return None
    for word in words:
        letters = word.replace(".", "").replace("-", "")
        if not letters.isalpha():
            return None
        if "." in word:  # initials: А.К. / Д. / Корр. / К.Вышинский / А.Н.Бородавкин
            if not (letters[:1].isupper() and (len(letters) <= 5 or INITIALS_SURNAME.fullmatch(word))):
                return None
        elif not word[:1].isupper():
            return None
    return label, rest


def _ends(text: str, chars: str) -> bool:
    return text.rstrip(clean.QUOTE_CLOSERS)[-1:] in chars if text.rstrip(clean.QUOTE_CLOSERS) else False


def ends_question(text: str) -> bool:
    return _ends(text, "?")


def ends_sentence(text: str) -> bool:
    return text[-1:] in ".!?…;:," or _ends(text, ".!?…")


_SPEECH_STEMS = (
    "сказа", "заяв", "отмет", "подчеркн", "добав", "поясн", "рассказ", "говор", "сообщ", "уточн",
    "счита", "призна", "ответ", "продолж", "заключ", "резюмир", "констатир", "убежд", "напомн",
    "уверен", "замет", "указ", "высказ", "выраз", "обрат", "полага", "объясн", "предупред", "пишет",
    "написа", "уверя", "добавля", "отмеча", "подчерки", "говори", "цитир", "said", "says", "added",
    "noted", "told",
)  # fmt: skip


def speech_verb(word: str) -> bool:
    return word.lower().startswith(_SPEECH_STEMS)


def direct_speech(text: str) -> bool:
    """'Мы готовы, — сказал министр.': a quoted remark in a news story, not an interview turn."""
    head = text[:2000]
    for sep in (", — ", ", – ", ", - ", "! — ", "? — ", "… — ", "! – ", "? – ", "… – ", ". — ", ". – "):
        at = head.find(sep)
        while at != -1:
            after = head[at + len(sep) : at + len(sep) + 60].split()
            if after and (speech_verb(after[0]) or len(after) > 1 and speech_verb(after[1])):
                return True
            at = head.find(sep, at + 1)
    return False


# --------------------------------------------------------------------------------------------
# Lines to paragraphs


@dataclass
class _Line:
    text: str
    heading: bool = False
    bold: bool = False
    list_item: bool = False
    blank: bool = False
    rule: bool = False
    table: bool = False  # a row of a table pasted as text: columns lined up with spaces


def _running_headers(lines: list[_Line]) -> frozenset[str]:
    """Short lines printed again and again (a magazine's running header pasted from a PDF):
    the same line of at most 80 characters, with no full stop, three times or more — or twice,
    when it has no lower-case letter or holds a "·"."""
    counts: dict[str, int] = {}
    for line in lines:
        if not line.blank and len(line.text) <= 80 and not line.text.endswith((".", "?", "!")):
            counts[line.text] = counts.get(line.text, 0) + 1
    return frozenset(
        text for text, count in counts.items()
        if count >= 3 or count == 2 and (text.upper() == text or "·" in text)
    )


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    for raw in text.split("\n"):
        line = raw.strip()
        while line.startswith(">"):
            line = line[1:].lstrip()
        if not line:
            out.append(_Line("", blank=True))
            continue
        if clean.is_rule(line):
            if line.replace(" ", "")[0] in "=-" and out and not out[-1].blank and not out[-1].heading \
                    and len(out[-1].text) <= 200:
                out[-1].heading = True  # setext heading
                continue
            out.append(_Line("", blank=True, rule=True))
            continue
        if _table_row(line):
            out.append(_Line(clean.collapse_spaces(line), table=True))
            continue
        list_item = False
        if line[:2] in ("* ", "+ ", "• ", "· ", "▪ ", "● "):
            line, list_item = line[2:].lstrip(), True
        else:
            numbered = _numbered(line)
            if numbered:
                line, list_item = line[numbered:], True
        heading = clean.atx_heading(line)
        if heading:
            text_ = clean.collapse_spaces(clean.strip_inline(heading[1]))
            out.append(_Line(text_, heading=True))
            continue
        bold = clean.bold_line(line) or clean.italic_line(line)
        stripped = clean.collapse_spaces(clean.strip_inline(line))
        if stripped:
            out.append(_Line(stripped, bold=bold, list_item=list_item))
    return out


def _table_row(line: str) -> bool:
    """A row of a table pasted as text ("Карбамид     198 000     221 000     +12%"): three or
    more cells, set apart by runs of two spaces or more. Its cells are read by their column, which
    a sentence reader cannot do, so the row is neither a sentence nor a source of figures."""
    if len(line) > 300:
        return False
    gaps, at = 0, line.find("  ")
    while at != -1 and gaps < 2:
        gaps += 1
        end = at
        while end < len(line) and line[end] == " ":
            end += 1
        at = line.find("  ", end)
    return gaps >= 2


def _numbered(line: str) -> int:
    """The length of an ordered list's marker ("1. ", "2) ") before a capitalised item, else 0."""
    digits = 0
    while digits < len(line) and digits < 3 and line[digits].isdigit():
        digits += 1
    if not 1 <= digits <= 2 or line[digits : digits + 2] not in (". ", ") "):
        return 0
    rest = line[digits + 2 :].lstrip()
    return len(line) - len(rest) if rest[:1].isupper() or rest[:1] in "«\"" else 0


def _hyphenated(line: str, following: str) -> bool:
    """A word broken at the line's end by a hyphen ("способно-" / "сти не хватает")."""
    return len(line) >= 3 and line[-1] == "-" and line[-2].isalpha() and line[-2].islower() \
        and following[:1].isalpha() and following[:1].islower()


def _continued(paras: list[Para]) -> list[Para]:
    """A paragraph cut by a page break (a page number and a running header removed between its
    halves): the first half ends with no full stop or with a hyphenated word, the second opens in
    lower case; the halves are joined again."""
    out: list[Para] = []
    for p in paras:
        if out and not p.heading and not p.dash and not p.label and p.text[:1].islower() and not p.list_item \
                and not out[-1].list_item and (" " in p.text or len(out[-1].text) > 80) \
                and not out[-1].heading and not out[-1].bold and not ends_sentence(out[-1].text):
            last = out[-1]
            joined = last.text[:-1] + p.text if _hyphenated(last.text, p.text) else last.text + " " + p.text
            out[-1] = _para(joined, bold=last.bold)
            continue
        out.append(p)
    return out


def _starts_turn(text: str) -> bool:
    return _dash_body(text) is not None or speaker_label(text) is not None


def _paragraphs(lines: list[_Line]) -> list[Para]:
    """Blank lines, headings and bold lines separate paragraphs. Inside a blank-line block a
    line continues the previous one when the text is hard-wrapped (short lines) or the line
    plainly continues a sentence (previous line without final punctuation, this one in lower
    case); otherwise each line is a paragraph, as web pages paste."""
    paras: list[Para] = []
    block: list[_Line] = []

    def flush() -> None:
        if not block:
            return
        # hard-wrapped text: short lines, most of them ending mid-sentence (web paragraphs pasted
        # one per line end their sentences)
        wrapped = len(block) >= 3 and max(len(b.text) for b in block) <= 100 \
            and sum(ends_sentence(b.text) for b in block) * 2 <= len(block)
        current: list[str] = []
        bold = False
        listed = [False]

        def emit() -> None:
            if current:
                paras.append(_para(" ".join(current), bold=bold))
                paras[-1].list_item = listed[0]
                current.clear()

        for b in block:
            join = bool(current) and not b.bold and not bold and not _starts_turn(b.text) and not b.list_item and (
                (wrapped and not ends_sentence(current[-1]))
                or (not ends_sentence(current[-1]) and b.text[:1].islower()
                    and (" " in b.text or len(current[-1]) > 80))  # a lone word under a short line is a tag
            )
            if not join:
                emit()
                bold = b.bold
                listed[0] = b.list_item
            if current and _hyphenated(current[-1], b.text):
                current[-1] = current[-1][:-1] + b.text  # "отопитель-" / "ный сезон" → "отопительный сезон"
            else:
                current.append(b.text)
            if b.bold:
                emit()
                bold = False
        emit()
        block.clear()

    for line in lines:
        if line.blank:
            flush()
        elif line.heading:
            flush()
            paras.append(_para(line.text, heading=True))
        else:
            block.append(line)
    flush()
    return paras


ROLE_LABEL = re.compile(r"(?P<name>[^,:;.!?«»\"]{3,40}), (?P<role>[^:]{3,100}):")


def role_label(text: str) -> tuple[str, str] | None:
    """("Владимир ПУТИН", "ПРЕЗИДЕНТ РОССИЙСКОЙ ФЕДЕРАЦИИ") for a transcript's line
    "Владимир ПУТИН, ПРЕЗИДЕНТ РОССИЙСКОЙ ФЕДЕРАЦИИ:" that stands alone before the words it
    introduces (press conferences, TV reports): a name of two or three capitalised words."""
    found = ROLE_LABEL.fullmatch(text.strip())
    if found is None:
        return None
    words = found.group("name").split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words):
        return None
    return found.group("name").strip(), found.group("role").strip()


def _para(text: str, *, heading: bool = False, bold: bool = False) -> Para:
    dash_body = None if heading else _dash_body(text)
    titled = None if heading or dash_body is not None else role_label(text)
    if titled is not None:
        return Para(text=text, label=titled[0], label_role=titled[1], label_only=True)
    label = None if heading or dash_body is not None else speaker_label(text)
    return Para(
        text=text,
        heading=heading,
        bold=bold,
        dash=dash_body is not None,
        label=label[0] if label else None,
        body=dash_body if dash_body is not None else (label[1] if label else text),
    )


# --------------------------------------------------------------------------------------------
# Head and tail: title, metadata lines, chrome


@dataclass
class Layout:
    title: str | None = None
    date: dates.FoundDate | None = None
    date_found_as: str | None = None
    bylines: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    columnist: str | None = None  # "Иван Петров, политолог" under the title
    signature: str | None = None  # a name alone at the end
    rubrics: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dateline: str | None = None
    attribution: bool = False  # "сообщает …" / "передает корреспондент …" was removed
    paras: list[Para] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    scheme: str | None = None  # the interview form found: labels, bold, dash, questions
    language: str = "ru"


@dataclass
class Segment:
    """A narrative paragraph (question None) or a question with its answer paragraphs."""

    heading: str | None
    question: str | None
    answer: list[str]
    question_label: str | None = None
    answer_label: str | None = None
    answer_role: str | None = None  # the role a transcript's label gives the one who speaks


_GLUED_DATE_LABELS = ("date ", "date:", "дата ", "дата:", "опубликовано ", "опубликовано:", "published ")


def _glued_header(text: str) -> tuple[dates.FoundDate, str, str] | None:
    """'date 2025-11-12 Государственный визит …' → the date, the prefix, the rest."""
    low = text[:20].lower()
    if not low.startswith(_GLUED_DATE_LABELS):
        return None
    space = text.find(" ", 0, 20)
    label_end = (text.find(":", 0, 20) + 1) or space + 1
    rest = text[label_end:].lstrip()
    found = dates.find_date(rest[:40], allow_no_year=False)
    if not found or found.start != 0:
        return None
    after = rest[found.end :]
    # a time may follow the date: "date 2025-11-12 14:35 …"
    stripped = after.lstrip(" ,")
    if len(stripped) >= 5 and stripped[2:3] == ":" and stripped[:2].isdigit() and stripped[3:5].isdigit():
        after = stripped[5:]
    prefix_len = len(text) - len(after)
    rest = after.lstrip(" ,.")
    if rest[:1] in "–—" and any(sep in rest for sep in (", — ", ", – ", "! — ", "? — ", ". — ", "… — ")):
        return found, text[:prefix_len].strip(), rest  # a speech dash: "— …, — сказал аким" is someone's words
    return found, text[:prefix_len].strip(), after.lstrip(" ,.–—-")


_NAME_PARTICLES = frozenset({"де", "да", "фон", "ван", "ибн", "оглы", "кызы", "ули", "ал", "аль", "бин", "эль"})


def name_like(text: str) -> bool:
    """'Иван Петров', 'Иван ПЕТРОВ', 'И. Петров', 'Айгерим Сейткали-Ахметова' — 2 to 4 capitalised
    words, no digits."""
    words = text.split()
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        letters = word.replace(".", "").replace("-", "").replace("'", "").replace("’", "")
        if word.lower() in _NAME_PARTICLES:
            continue
        if not letters.isalpha() or not word[:1].isupper():
            return False
        if len(word) == 1:  # "В Казахстане": a preposition, not an initial (that has its dot)
            return False
        if "." in word and len(letters) > 2:
            return False
    return True


def person_line(text: str) -> bool:
    """A line that is only a person, maybe with a role or place: 'Иван Петров, политолог'."""
    if len(text) > 150 or ends_question(text) or text.endswith((":", ";")):
        return False
    name, _, rest = text.rstrip(".").partition(",")
    if "(" in name and not rest:
        name, _, rest = name.partition("(")
    return name_like(name.strip()) and (not rest or len(rest.split()) <= 12)


def _headline(para: Para, remaining: int) -> bool:
    text = para.text
    if remaining < 1 or para.dash or para.label or len(text) > 250 or len(text) < 3:
        return False
    dated = text.endswith(" г.") and dates.find_date(text[-40:]) is not None  # "…, 2 декабря 2022 г."
    if ends_question(text) or text.endswith((".", ",", ";", ":")) and not text.endswith("...") and not dated:
        return False
    if dates.dateline(text) or clean.chrome(text):
        return False
    if _SENTENCE_INSIDE.search(text):
        return False  # "Решение объявлено сегодня. Рынок ждал …": two sentences are text, not a headline
    return any(ch.isalpha() for ch in text[:50])


_SENTENCE_INSIDE = re.compile(r"[а-яёa-z0-9][.!?] [«\"]?[А-ЯЁA-Z]")  # not after a quote: "«…». Как …" is one headline


_FULL_STOP = re.compile(r"\.(?![^\W\d_])")


def _full_stop(text: str, start: int, stop: int) -> int:
    """The first full stop in text[start:stop] that ends a sentence, not one inside a name
    ("Zakon.kz", "Tengrinews.kz"): -1 where there is none."""
    found = _FULL_STOP.search(text, start, min(stop, len(text)))
    return found.start() if found else -1


def _names_official(words: str) -> bool:
    """Whether "Как сообщает …" names a person by role (speech.yaml's role nouns): his reported
    words, not an outlet's credit."""
    return any(w.lower().startswith(speech.lexicon().role_nouns) for w in words.split())


def _remove_attribution(text: str) -> tuple[str, str | None]:
    """'Как передает корреспондент X, глава …' → 'Глава …'; '…, сообщает X.' at the end of
    the first sentence → '… .'; 'Об этом сообщает X.' → ''."""
    low = text[:400].lower()
    for opener in ("как сообщает", "как передает", "как передаёт", "как сообщили в", "как сообщил ",
                   "как сообщила", "как сообщает пресс-служба", "об этом сообщает", "об этом сообщил",
                   "об этом сообщила", "об этом сообщили", "как информирует", "как передают"):
        if low.startswith(opener):
            comma = text.find(",", len(opener), 200)
            period = text.find(". ", len(opener), 250)
            if low.startswith("об этом"):
                # 'Об этом сообщает ТАСС.' is a sentence of its own, also glued to the next one
                # ('ТАСС."Мы …'): cut at its first full stop, never into the words after it
                stop = _full_stop(text, len(opener), 250)
                end = stop + 1 if stop != -1 else len(text)
                return text[end:].lstrip(), text[:end].strip()
            if comma != -1 and (period == -1 or comma < period):
                if _names_official(text[len(opener) : comma]):
                    break  # "Как сообщает губернатор края Имя Фамилия, …": his words reported, no agency credit
                rest = text[comma + 1 :].lstrip()
                return rest[:1].upper() + rest[1:], text[: comma + 1].strip()
    for marker in (", сообщает ", ", передает ", ", передаёт ", ", – сообщает ", ", — сообщает ",
                   " – сообщает ", " — сообщает ", ", сообщили ", ", информирует ", ", пишет "):
        at = low.find(marker)
        if at != -1:
            end = _full_stop(text, at + len(marker), at + len(marker) + 150)
            if end != -1 and "«" not in text[at: end] or end != -1 and text[at:end].count("«") == text[at:end].count("»"):
                return text[:at] + text[end:], text[at:end].strip(" ,")
    return text, None


def layout(text: str) -> Layout:
    """The layout of a pasted article: chrome removed, header read, paragraphs found and
    grouped into narrative and question-and-answer segments."""
    result = Layout()
    text = clean.normalise(text)
    result.language = detect_language(text)
    lines = _lines(text)
    running = _running_headers(lines)

    # Chrome, wherever it stands; its dates and bylines kept.
    kept: list[_Line] = []
    seen: set[str] = set()
    skip_next = False
    for index, line in enumerate(lines):
        if line.table:
            result.removed.append(line.text)
            last = next((i for i in range(len(kept) - 1, max(-1, len(kept) - 3), -1) if not kept[i].blank), None)
            if last is not None and kept[last].text.endswith(":") and len(kept[last].text) <= 150:
                result.removed.append(kept.pop(last).text)  # the table's caption
            continue
        if line.blank or line.heading and not clean.chrome(line.text):
            if line.blank:
                kept.append(line)
                continue
        if skip_next:
            skip_next = False
            if not line.blank and len(line.text) <= 150 and not ends_sentence(line.text):
                result.removed.append(line.text)
                continue
        found = clean.chrome(line.text)
        if found is None and line.text in running:
            found = clean.Chrome("running")
        if found is None and not result.paras and not kept_text(kept):
            glued = _glued_header(line.text)
            if glued:
                result.date, result.date_found_as = glued[0], "header"
                result.removed.append(glued[1])
                line = _Line(glued[2], bold=line.bold)
                if not line.text:
                    continue
        if found is None:
            key = line.text.lower()
            left = key.rsplit(" | ", 1)[0] if " | " in key else None
            if len(key) >= 8 and (key in seen or left in seen):
                result.removed.append(line.text)  # a line printed again: a headline twice, "Title | Site"
                continue
            seen.add(key)
            kept.append(line)
            continue
        _caption_before(found, kept, result)
        result.removed.append(line.text)
        if found.rubric:
            result.rubrics.append(found.rubric)
        if found.kind == "timestamp" and found.found_date and not _beside_ticker(lines, index) and (
            result.date is None or result.date.date is None and found.found_date.date is not None
        ):
            result.date, result.date_found_as = found.found_date, "header"
        elif found.kind == "byline":
            result.bylines.append((found.byline_label or "", found.byline or ""))
            if found.found_date and result.date is None:
                result.date, result.date_found_as = found.found_date, "header"
        elif found.kind == "share" and line.text.lower().rstrip(".:!→ ") in ("читайте также", "смотрите также", "по теме") \
                or line.text.lower().rstrip(": ") in ("tags", "теги", "метки"):
            skip_next = True  # the line after it is the list: related headlines, or the tags

    paras = _continued(_paragraphs(kept))
    paras = _cut_inline_chrome(paras, result)
    paras = _label_lines(paras)

    # A "Имя Фамилия: …" headline is no speaker label unless the label comes back.
    if paras and paras[0].label:
        label = paras[0].label
        if sum(1 for p in paras if p.label == label) == 1:
            paras[0] = Para(paras[0].text, heading=paras[0].heading, bold=paras[0].bold)

    # Head: rubrics, a title, a columnist line under it.
    while paras and not paras[0].heading and _rubric_para(paras):
        result.rubrics.append(paras[0].text)
        result.removed.append(paras.pop(0).text)
    if paras:
        first_heading = next((i for i, p in enumerate(paras[:3]) if p.heading), None)
        if first_heading is not None and all(clean.chrome(p.text) or clean.rubric_text(p.text) in clean.RUBRICS for p in paras[:first_heading]):
            result.title = paras.pop(first_heading).text
        else:
            _choose_headline(paras, result)
        if result.title:
            result.title = _without_run_on(result.title)
    while paras and clean.rubric_text(paras[0].text) in clean.RUBRICS:
        result.rubrics.append(paras[0].text)
        result.removed.append(paras.pop(0).text)
    while result.title and paras and len(paras) > 1 and _tag_word(paras[0]):
        result.removed.append(paras.pop(0).text)  # a tag under the headline: "итоги"
    if paras and len(paras) > 1 and not paras[0].label and (person_line(paras[0].text) or _name_and_role(paras[0].text)):
        result.columnist = _name_and_role(paras[0].text) or paras[0].text
        result.removed.append(paras.pop(0).text)

    # Tail: a signature.
    while paras and len(paras) > 1 and not paras[-1].heading and person_line(paras[-1].text) and not paras[-1].dash:
        if paras[-1].label:
            break
        result.signature = paras[-1].text
        result.removed.append(paras.pop().text)
        break

    # The first paragraph: a dateline, an agency attribution.
    if paras and not paras[0].heading:
        found_dateline = dates.dateline(paras[0].text)
        if found_dateline:
            result.dateline = found_dateline.prefix
            result.removed.append(found_dateline.prefix)
            rest = paras[0].text[len(found_dateline.prefix):].lstrip(" –—-.")
            found = found_dateline.found
            if found and found.date is None:
                year = dates.complete_year(found.words, text)
                if year:
                    found = dates.FoundDate(year, found.words, found.start, found.end)
            if found and (result.date is None or result.date.date is None and found.date):
                result.date, result.date_found_as = found, "dateline"
            if rest:
                paras[0] = _para(rest, bold=paras[0].bold)
            else:
                paras.pop(0)
    for index in range(min(2, len(paras))):
        if paras[index].heading or paras[index].dash or paras[index].label:
            continue
        stripped, removed = _remove_attribution(paras[index].text)
        if removed:
            result.attribution = True
            result.removed.append(removed)
            if stripped.strip():
                paras[index] = _para(stripped.strip(), bold=paras[index].bold)
            else:
                paras[index] = _para("")
    paras = [p for p in paras if p.text.strip()]
    teasers = [i for i, p in enumerate(paras) if 0 < i < len(paras) - 1 and not (p.heading or p.bold or p.dash
               or p.label or p.list_item) and len(p.text) <= 150 and not ends_sentence(p.text)
               and ends_sentence(paras[i - 1].text) and _teaser(p.text)]
    for i in reversed(teasers):
        result.removed.append(paras.pop(i).text)  # another story's headline, linked mid-text
    for i, p in enumerate(paras):
        if not p.heading and _subheading(paras, i):
            p.heading = True
    result.paras = paras
    result.scheme, result.segments = _segments(paras, result.title or "")
    return result


_STOP_STEMS = frozenset(
    """этот эта это эти также чтобы котор после более будет были было быть может между среди через
    with from that this have been will their about into after which there where would could also""".split()
)


def _stems(text: str) -> set[str]:
    """Content words by their first five letters (so declined forms meet): "Казахстану" → "казах"."""
    out: set[str] = set()
    word: list[str] = []
    for ch in text.lower() + " ":
        if ch.isalpha():
            word.append(ch)
            continue
        if len(word) >= 4:
            w = "".join(word)
            if w[:5] not in _STOP_STEMS and w not in _STOP_STEMS:
                out.add(w[:5])
        word = []
    return out


def _headline_score(position: int, text: str, body: set[str]) -> float:
    """How much a line at the top of a page looks like the article's headline: it shares words
    with the text below (a rubric, a site's name or a byline shares none), it comes early, it has
    three words or more, it is no rubric in capitals and no person's name alone."""
    words = text.split()
    shared = len(_stems(text) & body)
    score = min(shared, 4) - 0.75 * position
    if len(words) == 1:
        score -= 3
    elif len(words) == 2:
        score -= 0.5
    if text.isupper() and len(words) <= 3:
        score -= 2
    if not shared and person_line(text):
        score -= 3
    return score


def _choose_headline(paras: list[Para], result: Layout) -> None:
    """The headline among the short lines at the top (the head block: lines that could be a
    headline, up to the first paragraph of text). Lines above it are rubrics, a site's name or a
    byline; lines below it (a subtitle, a standfirst) stay text."""
    block = 0
    while block < min(6, len(paras)) and not paras[block].heading and _headline(paras[block], len(paras) - block - 1):
        block += 1
    if not block:
        return
    body = _stems(" ".join(p.text for p in paras[block : block + 4])[:1500])
    scores = [_headline_score(n, paras[n].text, body) for n in range(block)]
    best = max(range(block), key=lambda n: (scores[n], -n))
    for _ in range(best):
        p = paras.pop(0)
        if person_line(p.text) and not result.columnist:
            result.columnist = p.text
        else:
            result.rubrics.append(p.text)
        result.removed.append(p.text)
    result.title = paras.pop(0).text


def _without_run_on(title: str) -> str:
    """"… перейдет Казахстану, рассказывает": a headline run on into the credit that followed it."""
    head, comma, last = title.rpartition(", ")
    if comma and head and len(last.split()) == 1 and speech_verb(last) and last[:1].islower():
        return head
    return title


def _tag_word(para: Para) -> bool:
    return len(para.text.split()) == 1 and para.text[:1].islower() and not para.dash and len(para.text) <= 30


def _name_and_role(text: str) -> str | None:
    """"Иван Петров специальный корреспондент «Вестника»" (a byline and its role line, joined):
    "Иван Петров, специальный корреспондент «Вестника»"."""
    words = text.split()
    if len(words) > 12 or len(text) > 150 or ends_sentence(text):
        return None
    for size in (3, 2):
        if len(words) > size and name_like(" ".join(words[:size])) and words[size][:1].islower():
            return " ".join(words[:size]) + ", " + " ".join(words[size:])
    return None


def _beside_ticker(lines: list[_Line], index: int) -> bool:
    """A date next to currency rates is the rates' date or the site's "today" bar, not the
    article's: "14 December 2025" under "KZT/USD = 0.00192"."""
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(lines) and lines[j].blank:
            j += step
        if 0 <= j < len(lines) and clean.ticker_line(lines[j].text):
            return True
    return False


def _caption_before(found: clean.Chrome, kept: list[_Line], result: Layout) -> None:
    """What a chrome line takes with it from the line just above (no blank line between): a
    link's announcement ending in ":" above a URL, a photo's caption above its credit or above a
    promotion box. Never the first line of text (that is the headline)."""
    if len(kept) < 2 or kept[-1].blank or kept[-1].heading:
        return
    above = kept[-1].text
    if found.kind == "url" and above.endswith(":") and len(above) <= 150:
        result.removed.append(kept.pop().text)
        return
    if found.kind not in ("share", "photo", "embed") or len(above) > 250 or ends_sentence(above):
        return
    if not any(not line.blank for line in kept[:-1]):
        return
    result.removed.append(kept.pop().text)


def _cut_inline_chrome(paras: list[Para], result: Layout) -> list[Para]:
    """Chrome glued into paragraphs: a closing "Подробнее — в материале …", a photo credit with
    its caption inside the text, a wire's closing credit "(Имя Фамилия, текст …)" (its names are
    the authors)."""
    out: list[Para] = []
    for p in paras:
        if p.heading or p.dash or p.label:
            out.append(p)
            continue
        text = p.text
        text, cut = clean.cut_trailing(text)
        if cut:
            result.removed.append(cut)
        text, cut = clean.cut_agency_tail(text)
        if cut:
            result.removed.append(cut)
        text, cut = clean.cut_glued_credit(text)
        if cut:
            result.removed.append(cut)
        text, cut, names = clean.credit_parenthesis(text)
        if cut:
            result.removed.append(cut)
            result.bylines.extend(("текст", name) for name in names)
        if text != p.text:
            if not text.strip():
                continue
            p = _para(text, bold=p.bold)
        out.append(p)
    return out


_PAST = ("ал", "ял", "ил", "ел", "ыл", "ла", "ли", "ло", "лся", "лась", "лись", "лось")


def _teaser(text: str) -> bool:
    """A line between paragraphs that reads as another story's headline (a related link): a whole
    statement of six words or more with a verb in the past tense ("Министр не расставался с
    блокнотом на саммите"), not a section's name ("Почему выбрали эту технологию")."""
    words = [w.strip("«»\"(),:").lower() for w in text.split()]
    if len(words) < 6 or words[0] in _QUESTION_WORDS:
        return False
    return any(len(w) >= 5 and w.endswith(_PAST) for w in words[1:])


_QUESTION_WORDS = frozenset("как почему зачем что где когда кто какой какие каким сколько чем".split())


def _rubric_para(paras: list[Para]) -> bool:
    """The first paragraph names a section above the headline: a known rubric ("Мнение"), or a
    rubric in capitals ("АНАЛИТИЧЕСКАЯ ЗАПИСКА") — one to three words of letters only — with a
    headline after it."""
    text = paras[0].text
    if clean.rubric_text(text) in clean.RUBRICS:
        return True
    words = text.split()
    return 1 <= len(words) <= 3 and len(text) <= 40 and text.isupper() and all(w.isalpha() for w in words) \
        and len(paras) > 2 and _headline(paras[1], len(paras) - 2)


def kept_text(kept: list[_Line]) -> bool:
    return any(not line.blank for line in kept)


def _subheading(paras: list[Para], i: int) -> bool:
    """A bold line that is no question, or a short line without final punctuation standing
    between two paragraphs."""
    p = paras[i]
    text = p.text
    if p.dash or p.label or p.list_item or len(text) > 120 or i + 1 >= len(paras):
        return False
    following = paras[i + 1]
    if following.heading:
        return False
    if p.bold:
        return not ends_question(text) and not text.endswith((".", ";", ","))
    if i == 0 or len(text.split()) > 12 or ends_sentence(text) or text[-1:] in "»\"”)" and _ends(text, ".!?…:;,"):
        return False
    if not (text[:1].isupper() or text[:1].isdigit() or text[:1] in "«\""):
        return False
    previous = paras[i - 1]
    return (previous.heading or len(previous.text) > len(text)) and len(following.text) > len(text) and not following.dash or (
        following.dash and len(text.split()) <= 8 and not previous.dash
    )


def detect_language(text: str) -> str:
    head = text[:20000]
    cyrillic = latin = 0
    for ch in head:
        if "а" <= ch <= "я" or "А" <= ch <= "Я" or ch in "ёЁ":
            cyrillic += 1
        elif "a" <= ch <= "z" or "A" <= ch <= "Z":
            latin += 1
    return "en" if latin > cyrillic else "ru"


# --------------------------------------------------------------------------------------------
# Interview forms


def _qa_segments(paras: list[Para], is_question: list[bool]) -> list[Segment]:
    segments: list[Segment] = []
    heading: str | None = None
    current: Segment | None = None
    for p, question in zip(paras, is_question):
        if p.heading:
            heading = p.text
            current = None
            continue
        if question:
            if current is not None and current.question is not None and not current.answer:
                current.question += "\n\n" + p.body  # two paragraphs of one question
                continue
            current = Segment(heading, p.body, [], question_label=p.label)
            heading = None
            segments.append(current)
        elif current is not None:
            current.answer.append(p.body)
            if current.answer_label is None and p.label:
                current.answer_label = p.label
                current.answer_role = p.label_role
        else:
            segments.append(Segment(heading, None, [p.text]))
            heading = None
    return [s for s in segments if s.question is None or s.answer]


def _label_lines(paras: list[Para]) -> list[Para]:
    """A transcript's label on a line of its own ("Владимир ПУТИН, ПРЕЗИДЕНТ …:") joined to the
    paragraph of words after it, as one labelled turn."""
    out: list[Para] = []
    i = 0
    while i < len(paras):
        p = paras[i]
        following = paras[i + 1] if i + 1 < len(paras) else None
        if p.label_only and following is not None and not following.heading and not following.label:
            out.append(Para(text=following.text, dash=following.dash, label=p.label, body=following.body,
                            label_role=p.label_role))
            i += 2
            continue
        out.append(p)
        i += 1
    return out


def _narrative_segments(paras: list[Para]) -> list[Segment]:
    segments: list[Segment] = []
    heading: str | None = None
    for p in paras:
        if p.heading:
            heading = p.text
            continue
        labelled = p.label_role is not None  # a transcript's turn: the words are the label's
        segments.append(Segment(heading, None, [p.body if labelled else p.text],
                                answer_label=p.label if labelled else None, answer_role=p.label_role))
    return segments


def _answered(paras: list[Para], flags: list[bool]) -> int:
    """How many questions are followed by an answer paragraph."""
    count = 0
    for i, flag in enumerate(flags):
        if flag:
            j = i + 1
            while j < len(paras) and paras[j].heading:
                j += 1
            if j < len(paras) and not flags[j]:
                count += 1
    return count


INTERVIEW_CUES = ("интервью", "interview", "беседовал", "побеседовал", "поговорил", "беседа", "беседу", "беседе", "q&a",
                  "ответил на вопросы", "answered questions", "рассказал в интервью", "в беседе с",
                  "speaks with", "spoke with", "talks with", "talked with", "talks to", "talked to",
                  "in conversation with")  # "TNI's editor speaks with the Foreign Minister"


def _interview_cue(paras: list[Para], before: int, title: str = "") -> bool:
    """Does the text before the first turn (or the title) say it is an interview ('Интервью
    Посла …', 'Zakon.kz поговорил с …', 'беседу с …', 'Interview with …')?"""
    lead = (title + " " + " ".join(p.text for p in paras[: max(before, 0)][-6:])).lower()
    return any(cue in lead for cue in INTERVIEW_CUES)


def _by_labels(paras: list[Para], title: str = "") -> list[bool] | None:
    labelled = [p for p in paras if p.label]
    if len(labelled) < 2:
        return None
    counts: dict[str, list[Para]] = {}
    for p in labelled:
        counts.setdefault(p.label.lower().rstrip("."), []).append(p)  # type: ignore[union-attr]
    known_q = {k for k in counts if _KNOWN_LABELS.get(k) == "q"}
    if known_q:
        asking = known_q
    else:
        repeated = {k: v for k, v in counts.items() if len(v) >= 2}
        first = labelled[0].label.lower().rstrip(".")  # type: ignore[union-attr]
        if len(counts) == 2 and (_interview_cue(paras, paras.index(labelled[0]), title)
                                 or labelled[0].label_role is not None and ends_question(labelled[0].body)):
            # (or a transcript whose first labelled turn asks: a press conference's question)
            # two speakers taking turns under a lead that says it is an interview: the first asks
            flags = _continued_questions(paras, [bool(p.label) and p.label.lower().rstrip(".") == first for p in paras])  # type: ignore[union-attr]
            return flags if _answered(paras, flags) >= 1 else None
        if len(repeated) < 2:
            return None
        rate = {k: sum(ends_question(p.body) for p in v) / len(v) for k, v in repeated.items()}
        best = max(rate, key=lambda k: rate[k])
        if rate[best] < 0.5 or sorted(rate.values())[-2] >= rate[best]:
            return None
        asking = {best}
    flags = _continued_questions(paras, [bool(p.label) and p.label.lower().rstrip(".") in asking for p in paras])  # type: ignore[union-attr]
    return flags if sum(flags) >= 2 and _answered(paras, flags) >= 2 else None


def _continued_questions(paras: list[Para], flags: list[bool]) -> list[bool]:
    """In labelled turns, a paragraph with no label goes on with the turn before it: after the
    interviewer's label it is still the question."""
    out = list(flags)
    for i in range(1, len(paras)):
        if out[i - 1] and not paras[i].label and not paras[i].heading:
            out[i] = True
    return out


def _by_bold(paras: list[Para], title: str = "") -> list[bool] | None:
    flags = [p.bold and not p.heading and (ends_question(p.text) or len(p.text) > 80) for p in paras]
    asking = sum(1 for p, f in zip(paras, flags) if f and ends_question(p.text))
    if sum(flags) >= 2 and asking >= max(1, sum(flags) // 2) and _answered(paras, flags) >= 2:
        return flags
    return None


def _by_dashes(paras: list[Para], title: str = "") -> list[bool] | None:
    turns = [i for i, p in enumerate(paras) if p.dash]
    if len(turns) == 2 and ends_question(paras[turns[0]].body) and not ends_question(paras[turns[1]].body) \
            and _interview_cue(paras, turns[0], title):
        flags = [i == turns[0] for i in range(len(paras))]  # a page's opening: one question, one answer
        return flags
    if len(turns) < 3:
        return None
    speech = sum(direct_speech(paras[i].text) for i in turns)
    if speech * 2 >= len(turns):
        return None
    flags = [False] * len(paras)
    previous: bool | None = None  # was the previous turn a question?
    for n, i in enumerate(turns):
        body = paras[i].body
        asks = ends_question(body)
        if direct_speech(paras[i].text):
            question = False
        elif previous is None:
            question = asks or len(body) <= 400
        elif previous:
            question = False  # the turn after a question answers it
        else:
            following = turns[n + 1] if n + 1 < len(turns) else None
            question = asks or (
                len(body) <= 300 and following is not None and not ends_question(paras[following].body)
            )
        flags[i] = question
        previous = question
    asking = sum(1 for i in turns if flags[i] and ends_question(paras[i].body))
    if asking < 2 or _answered(paras, flags) < 2:
        return None
    return flags


def _by_question_marks(paras: list[Para], title: str = "") -> list[bool] | None:
    flags = [not p.heading and len(p.text) <= 400 and ends_question(p.text) for p in paras]
    # questions alternate with answers: no two in a row, and each answered
    for i in range(1, len(flags)):
        if flags[i] and flags[i - 1]:
            return None
    body = [p for p in paras if not p.heading]
    asked = 2 if True in flags and _interview_cue(paras, flags.index(True), title) else 3  # a lead that says interview
    if sum(flags) >= asked and _answered(paras, flags) >= asked and sum(flags) * 6 >= len(body):
        return flags
    return None


def _segments(paras: list[Para], title: str = "") -> tuple[str | None, list[Segment]]:
    for scheme, finder in (("labels", _by_labels), ("bold", _by_bold), ("dash", _by_dashes),
                           ("questions", _by_question_marks)):
        flags = finder(paras, title)
        if flags:
            segments = _qa_segments(paras, flags)
            asked = sum(1 for s in segments if s.question)
            # a page's opening may hold one question and its answer, where the lead says interview
            transcript = scheme == "labels" and any(p.label_role for p in paras)  # "Имя, РОЛЬ:" turns
            if asked >= 2 or asked == 1 and (transcript or _interview_cue(paras, flags.index(True), title)):
                return scheme, segments
    return None, _narrative_segments(paras)
