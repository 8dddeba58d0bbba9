"""The key figures of a text with the words around them (`extract_figures`).

A figure is reported only where its number is written in digits in its evidence, and the
evidence is a verbatim slice of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.services.ingest.text import MONTH_WORDS, Language, detect_language, sentence_spans, shorten, trim_span
from bot.domain.models import collapse_whitespace

EVIDENCE_MAX = 220
LABEL_MAX = 200


@dataclass(frozen=True)
class FoundFigure:
    value: Decimal
    unit: str  # "млрд долларов", "%", "тыс. компаний", "млрд"
    label: str  # the words around the number, the number itself replaced by "…"
    year: int | None  # only when the evidence names the year ("в 2024 году")
    evidence: str  # verbatim clause or sentence of the text, containing `number`
    number: str  # the number as written: "4", "1 200", "4,5"


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
    left, right = trim_span(sentence, left, right)
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
