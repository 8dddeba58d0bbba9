"""Numbers that measure something (`extract_figures`): amounts of money, percentages, and
counts with a unit noun. A number glued to a word (Су-35, 5-й, COVID-19), a year, a date, a
time, a page or item number and a number with no unit are not figures. A range ("8-9 млн тонн",
"от 14 до 15 млрд долларов", "50–55%") is one figure with both ends; "от 6% до 31%" after a
verb of change ("увеличится") is a change from one value to another, two figures.

The text is cut into tokens by one linear scan; each number is judged by the few tokens
around it, with pymorphy2's dictionary for parts of speech and natasha's syntax only to find
the subject of a verb ("Товарооборот составил 28 млрд долларов" → товарооборот).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from bot.domain import numerals
from bot.services.ingest.reading import nlp
from bot.services.ingest.reading.dates import MONTH_WORDS
from bot.services.ingest.reading.models import FigureCandidate
from bot.services.ingest.reading.structure import detect_language

EVIDENCE_MAX = 400
# natasha's syntax parser scores every pair of a sentence's tokens: its memory grows with the
# square of the sentence (24,000 words: a 2 GB array). A longer sentence is parsed only in a
# window of this many tokens around the word a label is looked for at.
SYNTAX_TOKENS = 150
_SPACES = " \u00a0\u202f\u2009\u2007\t\n"


@dataclass(frozen=True)
class Tok:
    kind: str  # num, word, glued, range, punct
    text: str
    start: int
    end: int
    space_before: bool


# English units as they are written short: "1,511 kilometres" → "1511 km"
EN_UNIT_SHORT = {"kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
                 "megawatt": "MW", "megawatts": "MW", "gigawatt": "GW", "gigawatts": "GW"}
# English units written joined to their number: "a 1,511-kilometre pipeline", "a 100-megawatt plant"
GLUED_ABBREVIATION = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(km|KM|MW|GW|kWh|TWh|км|МВт|ГВт)")
GLUED_UNITS = frozenset("kilometre kilometer km mile metre meter tonne ton megawatt gigawatt hectare".split())


def tokenize(text: str) -> list[Tok]:
    """Numbers (1,5 / 12.11.2025 / 2024), words (with inner hyphens), glued runs of letters and
    digits (Су-35, 5-й, G20), ranges (2-3), and single punctuation marks. Linear."""
    tokens: list[Tok] = []
    n = len(text)
    i = 0
    space = False
    while i < n:
        ch = text[i]
        if ch in _SPACES:
            space = True
            i += 1
            continue
        if ch.isalnum():
            j = i
            while j < n:
                c = text[j]
                if c.isalnum():
                    j += 1
                elif c in "-‐" and j + 1 < n and text[j + 1].isalnum() and j > i:
                    j += 1
                elif c in ".," and j + 1 < n and text[j + 1].isdigit() and text[j - 1].isdigit():
                    j += 1
                else:
                    break
            run = text[i:j]
            glued = GLUED_ABBREVIATION.fullmatch(run)
            if glued:  # "6,336km", "300MW": a number and its unit written together
                cut = i + len(glued.group(1))
                tokens.append(Tok("num", glued.group(1), i, cut, space))
                tokens.append(Tok("word", glued.group(2), cut, j, False))
                i = j
                space = False
                continue
            head, dash, tail = run.partition("-")
            if dash and head[:1].isdigit() and tail.lower() in GLUED_UNITS and not any(c.isalpha() for c in head):
                tokens.append(Tok("num", head, i, i + len(head), space))  # "1,511-kilometre": a number and its unit
                tokens.append(Tok("word", tail, i + len(head) + 1, j, False))
                i = j
                space = False
                continue
            letters = any(c.isalpha() for c in run)
            digits = any(c.isdigit() for c in run)
            if digits and not letters:
                kind = "range" if "-" in run or "‐" in run else "num"
            elif letters and not digits:
                kind = "word"
            else:
                kind = "glued"
            tokens.append(Tok(kind, run, i, j, space))
            i = j
        else:
            tokens.append(Tok("punct", ch, i, i + 1, space))
            i += 1
        space = False
    return tokens


def _range_end(tokens: list[Tok], i: int, j: int) -> bool:
    """Whether the number at tokens[i:j] is one end of a range that is not read whole from its
    lower end ("от 8 млн до 10 млн тонн", the upper end after a lower end that is no figure): a
    range is no single value, and either end alone would misstate the source. "от 6% до 31%"
    after a verb of change is no range. Bounded look-around."""
    prev = tokens[i - 1] if i else None
    if prev and prev.kind == "punct" and prev.text in "–—-‒" and i >= 2 and tokens[i - 2].kind == "num" \
            and prev.space_before == tok_space(tokens, i):
        return True
    if prev and prev.kind == "word" and prev.text.lower() == "от" and not _change_before(tokens, i - 1):
        if j < len(tokens) and tokens[j].text == "%" and not (j + 1 < len(tokens) and _low(tokens[j + 1]) == "до"):
            return False
        for k in range(j, min(j + 4, len(tokens) - 1)):
            if tokens[k].kind == "word" and tokens[k].text.lower() == "до":
                return tokens[k + 1].kind == "num"
    if prev and prev.kind == "word" and prev.text.lower() == "до":
        for k in range(i - 2, max(i - 6, 0), -1):
            if tokens[k].kind == "num":
                return k >= 1 and _low(tokens[k - 1]) == "от" and not _change_before(tokens, k - 1)
    return False


def _change_before(tokens: list[Tok], at: int) -> bool:
    """A word of change among the three words before tokens[at] ("от"): "увеличится от 7% до
    29%" is a change from one value to another (numerals' lexicon of changes)."""
    k = at - 1
    while k >= 0 and at - k <= 3 and tokens[k].kind == "word":
        if numerals.is_change_word(tokens[k].text):
            return True
        k -= 1
    return False


def _number_at(tokens: list[Tok], i: int, english: bool) -> tuple[Decimal, int] | None:
    """The value of the number at tokens[i] (thousands grouped by spaces: 1 200 000; in English
    by commas: 21,000) and the index after it; None for a date or version (12.11.2025)."""
    n = len(tokens)
    number = tokens[i].text
    j = i + 1
    if len(number) <= 3 and number.isdigit():
        while j < n and tokens[j].kind == "num" and tokens[j].space_before and len(tokens[j].text.split(",")[0].split(".")[0]) == 3 \
                and tokens[j].text[:3].isdigit():
            number += tokens[j].text
            j += 1
    if english and "," in number and all(len(group) == 3 for group in number.split(",")[1:]) \
            and number.split(",")[0].isdigit() and len(number.split(",")[0]) <= 3:
        number = number.replace(",", "")  # 21,000 in English is twenty-one thousand
    if number.count(".") + number.count(",") > 1:
        return None  # 12.11.2025, 1.2.3
    value = _value(number)
    return (value, j) if value is not None else None


def _range_from(tokens: list[Tok], i: int, j: int, value: Decimal, english: bool) -> tuple[Decimal, int] | None:
    """A range opened by the number at tokens[i:j]: its upper end and the index after it
    ("8–9", "2,3 – 2,5", "от 14 до 15", "от 50% до 55%", "between 8 and 9", the unit left to read after it).
    The upper end must be greater; spaces around a dash alike on both sides (as numerals reads
    it); "от … до" after a verb of change is no range."""
    n = len(tokens)
    dash = tokens[j] if j < n else None
    if dash and dash.kind == "punct" and dash.text in "–—-‒" and j + 1 < n and tokens[j + 1].kind == "num" \
            and dash.space_before == tokens[j + 1].space_before:
        upper = _number_at(tokens, j + 1, english)
        return upper if upper and upper[0] > value else None
    if i and _low(tokens[i - 1]) == "от" and not _change_before(tokens, i - 1):
        k = j + 1 if j < n and tokens[j].text == "%" else j
        if k + 1 < n and _low(tokens[k]) == "до" and tokens[k + 1].kind == "num":
            upper = _number_at(tokens, k + 1, english)
            if upper is None or upper[0] <= value or k > j and not (upper[1] < n and tokens[upper[1]].text == "%"):
                return None  # "от 50% до 55%": the percent sign at both ends
            return upper
    if i and _low(tokens[i - 1]) == "between" and j + 1 < n and _low(tokens[j]) == "and" and tokens[j + 1].kind == "num":
        upper = _number_at(tokens, j + 1, english)  # "between 8 and 9 million tonnes"
        return upper if upper and upper[0] > value else None
    return None


def _range_token(tok: Tok, english: bool) -> tuple[Decimal, Decimal] | None:
    """Both ends of a range written as one token ("8-9", "2,3-2,5"): None where it is no range
    (a phone number 8-701-555, a higher end first)."""
    parts = re.split(r"[-‐]", tok.text)
    if len(parts) != 2:
        return None
    ends = [_number_at([Tok("num", part, 0, 0, False)], 0, english) for part in parts]
    if ends[0] is None or ends[1] is None or ends[1][0] <= ends[0][0]:
        return None
    if all(len(part) == 4 and 1800 <= int(end[0]) <= 2100 for part, end in zip(parts, ends) if part.isdigit()) \
            and all(part.isdigit() for part in parts):
        return None  # 2024-2025: years
    return ends[0][0], ends[1][0]


def tok_space(tokens: list[Tok], i: int) -> bool:
    return tokens[i].space_before


# --------------------------------------------------------------------------------------------
# Vocabulary

SCALES = {
    "тыс": "тыс.", "тысяча": "тыс.", "тысячи": "тыс.", "тысяч": "тыс.", "тысячу": "тыс.", "тысячах": "тыс.",
    "тысячам": "тыс.", "тысячами": "тыс.", "тысячей": "тыс.", "тысяче": "тыс.",
    "миллиону": "млн", "миллионом": "млн", "миллионами": "млн", "миллиарду": "млрд", "миллиардом": "млрд",
    "миллиардами": "млрд", "триллиону": "трлн", "триллионом": "трлн", "триллионами": "трлн", "триллионам": "трлн",
    "млн": "млн", "миллион": "млн", "миллиона": "млн", "миллионов": "млн", "миллионах": "млн", "миллионам": "млн",
    "млрд": "млрд", "миллиард": "млрд", "миллиарда": "млрд", "миллиардов": "млрд", "миллиардах": "млрд",
    "миллиардам": "млрд",
    "трлн": "трлн", "триллион": "трлн", "триллиона": "трлн", "триллионов": "трлн", "триллионах": "трлн",
    "thousand": "тыс.", "million": "млн", "mln": "млн", "mn": "млн", "billion": "млрд", "bn": "млрд",
    "trillion": "трлн", "tn": "трлн",
}  # fmt: skip
CURRENCIES = {
    "доллар": "долларов", "доллара": "долларов", "долларов": "долларов", "долларах": "долларов",
    "долларам": "долларов", "долл": "долларов", "usd": "долларов", "dollars": "долларов", "dollar": "долларов",
    "евро": "евро", "eur": "евро", "euro": "евро", "euros": "евро",
    "рубль": "рублей", "рубля": "рублей", "рублей": "рублей", "рублях": "рублей", "руб": "рублей",
    "rub": "рублей", "roubles": "рублей", "rubles": "рублей",
    "тенге": "тенге", "kzt": "тенге", "tenge": "тенге",
    "юань": "юаней", "юаня": "юаней", "юаней": "юаней", "cny": "юаней", "yuan": "юаней",
    "сом": "сомов", "сома": "сомов", "сомов": "сомов", "сум": "сумов", "сума": "сумов", "сумов": "сумов",
    "манат": "манатов", "маната": "манатов", "манатов": "манатов", "лари": "лари", "драм": "драмов",
    "драмов": "драмов", "гривна": "гривен", "гривны": "гривен", "гривен": "гривен", "фунт": "фунтов",
    "фунта": "фунтов", "фунтов": "фунтов", "иена": "иен", "иен": "иен", "йен": "иен", "рупий": "рупий",
    "дирхамов": "дирхамов", "франков": "франков", "сомони": "сомони", "gbp": "фунтов", "jpy": "иен",
}  # fmt: skip
SIGNS = {"$": "долларов", "€": "евро", "₽": "рублей", "₸": "тенге", "¥": "юаней", "£": "фунтов"}
PERCENT_WORDS = frozenset({"процент", "процента", "процентов", "процентах", "percent"})
# Units of measure: the label is what they measure (1,5 млн тонн зерна → зерно).
MEASURE_UNITS = frozenset(
    """т тн тонна кг килограмм г грамм км километр м метр см мм га гектар кв куб кубометр баррель барр
    мвт гвт квт твт вт квт·ч киловатт мегаватт гигаватт кубический л литр гкал кал шт штука ед единица
    тб гб мб teu дфэ контейнер вагон центнер ц""".split()
)  # fmt: skip
# English units of measure (the reader's counts are otherwise Russian nouns).
ENGLISH_UNITS = frozenset(
    """tonnes tons tonne ton barrels barrel kilometres kilometers kilometre kilometer km miles mile megawatts megawatt gigawatts gigawatt mw gw kwh
    twh cubic teu containers wagons hectares""".split()
)  # fmt: skip
# Nouns after a number that do not make it a measured count.
NOT_COUNTS = frozenset(
    """год лет летие месяц неделя день сутки час минута секунда век столетие квартал полугодие раз
    место номер страница просмотр комментарий лайк репост подписчик пункт статья глава том часть
    выпуск серия сезон этап класс курс тур раунд уровень степень очко градус процент минус плюс
    созыв съезд заседание раздел параграф приложение вариант шаг""".split()
)  # fmt: skip
TIME_NOUNS = frozenset("год лет летие месяц неделя день сутки час минута секунда век столетие квартал полугодие".split())
NUMBER_BEFORE = frozenset(
    """№ n no стр с страница page p pp п пункт статья ст глава гл том часть ч раздел параграф приложение
    номер выпуск рейс дом д корпус офис линия версия v ver""".split()
)  # fmt: skip
GENERIC_NOUNS = frozenset(
    """размер сумма объём объем уровень отметка показатель цифра величина значение планка рубеж
    порядок итог общий всего около""".split()
)
MEASURE_VERBS = frozenset(
    """составить составлять достигнуть достичь достигать превысить превышать вырасти расти увеличиться
    увеличиваться снизиться снижаться сократиться сокращаться упасть падать оцениваться оценить
    насчитывать прирасти подняться опуститься остаться оставаться равняться выйти перевалить
    приблизиться преодолеть""".split()
)
ADJ_POS = frozenset({"ADJF", "ADJS", "PRTF"})
NOUN_POS = frozenset({"NOUN"})
SKIP_LEFT = frozenset(
    """до в на около свыше более менее почти порядка примерно с от по за уже лишь только всего
    приблизительно ориентировочно среднем среднего более чем хотя бы ещё еще""".split()
)
BAD_LABEL_START = frozenset({"где", "как", "что", "когда", "который", "это", "этот", "который"})


def _low(tok: Tok | None) -> str:
    return tok.text.lower() if tok else ""


def _value(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        return None


def _best(word: str):  # noqa: ANN202 - a pymorphy2 Parse
    found = nlp.parses(word)
    return found[0] if found else None


def _is_noun(word: str) -> bool:
    best = _best(word)
    return bool(best) and best.tag.POS == "NOUN" and best.score >= 0.2


def _is_adj(word: str) -> bool:
    best = _best(word)
    return bool(best) and best.tag.POS in ADJ_POS


def _is_verb(word: str) -> bool:
    best = _best(word)
    return bool(best) and best.tag.POS in {"VERB", "INFN", "GRND", "PRTS"}


def _nominative(word: str, plural: bool | None = None) -> str:
    """A noun in the nominative, keeping its number unless `plural` is given; of a hyphenated
    word only the last part changes (IT-специалистов → IT-специалисты)."""
    if "-" in word and not word.replace("-", "").islower():
        head, _, last = word.rpartition("-")
        return f"{head}-{_nominative(last, plural)}" if last else word
    best = _best(word)
    if best is None:
        return word
    if best.normal_form == "человек":
        return "человек"
    grammemes = {"nomn"}
    if plural is True and "Sgtm" not in best.tag.grammemes:
        grammemes.add("plur")
    elif plural is False and "Pltm" not in best.tag.grammemes:
        grammemes.add("sing")
    else:
        grammemes.add("plur" if "plur" in best.tag.grammemes else "sing")
    changed = nlp.inflect_parse(best, grammemes)
    return nlp.match_case(word, changed.word) if changed else word


def _agree(adjective: str, noun: str, plural: bool | None = None) -> str:
    """An adjective in the nominative, agreeing with `noun` (already nominative)."""
    adj = next((p for p in nlp.parses(adjective) if p.tag.POS in ADJ_POS), None)
    head = _best(noun.rpartition("-")[2])
    if adj is None or head is None:
        return adjective
    grammemes = {"nomn"}
    if plural is True or plural is None and "plur" in head.tag.grammemes:
        grammemes.add("plur")
    else:
        grammemes.add("sing")
        gender = head.tag.gender
        if gender:
            grammemes.add(gender)
    if grammemes <= set(adj.tag.grammemes) | ({"masc"} if "plur" in grammemes else set()):
        return adjective  # already agrees ("лучший результат"; pymorphy's lemma of it is "наихороший")
    if "Supr" in adj.tag.grammemes:
        grammemes.add("Supr")
    changed = nlp.inflect_parse(adj, grammemes)
    return nlp.match_case(adjective, changed.word) if changed else adjective


# --------------------------------------------------------------------------------------------
# Years


def _year_at(tokens: list[Tok], i: int) -> int | None:
    """The year a token states: 2024 followed by год/г./гг., or 2024-м / 2024-го."""
    tok = tokens[i]
    if tok.kind == "glued" and tok.text[:4].isdigit() and tok.text[4:5] in "-‐" and len(tok.text) <= 8:
        value = int(tok.text[:4])
        return value if 1900 <= value <= 2100 else None
    if tok.kind != "num" or len(tok.text) != 4 or not tok.text.isdigit():
        return None
    value = int(tok.text)
    if not 1900 <= value <= 2100:
        return None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt and nxt.kind == "word" and nxt.text.lower().startswith(("год", "г", "year")) and len(nxt.text) <= 6:
        return value
    prev = tokens[i - 1] if i else None
    if prev and prev.kind == "word" and prev.text.lower() in ("in", "by", "since", "until"):
        return value
    return None


def _is_year_number(tokens: list[Tok], i: int) -> bool:
    tok = tokens[i]
    return tok.kind == "num" and len(tok.text) == 4 and tok.text.isdigit() and 1800 <= int(tok.text) <= 2100


# --------------------------------------------------------------------------------------------
# One number


@dataclass
class _Found:
    value: Decimal
    unit: str
    start: int  # token index of the number
    end: int  # token index after the unit group
    count_noun: int | None  # token index of the unit noun of a count
    measure: bool  # the unit noun is a unit of measure (тонн, км)
    kind: str  # money, percent, count, scale
    value_to: Decimal | None = None  # a range's upper end
    label: str | None = None  # what it measures, where the rule that found it knows


def _word(tokens: list[Tok], i: int) -> Tok | None:
    return tokens[i] if 0 <= i < len(tokens) and tokens[i].kind == "word" else None


def _skip_dot(tokens: list[Tok], i: int) -> int:
    """Index after an abbreviation's dot, if one follows directly."""
    if i < len(tokens) and tokens[i].kind == "punct" and tokens[i].text == "." and not tokens[i].space_before:
        return i + 1
    return i


def _figure_at(tokens: list[Tok], i: int, english: bool = False) -> _Found | None:
    """The figure whose number stands at tokens[i] (a range: its lower end, or a range token
    "8-9"), with its unit group; None where the number measures nothing."""
    tok = tokens[i]
    n = len(tokens)
    value_to = None
    if tok.kind == "range":
        ends = _range_token(tok, english)
        if ends is None:
            return None
        (value, value_to), j = ends, i + 1
    else:
        read = _number_at(tokens, i, english)
        if read is None:
            return None
        value, j = read
    prev = tokens[i - 1] if i else None
    prev2 = tokens[i - 2] if i >= 2 else None
    nxt = tokens[j] if j < n else None
    # a time (14:35), a ratio or a date written with slashes
    if nxt and nxt.kind == "punct" and nxt.text in ":/" and not nxt.space_before and j + 1 < n and tokens[j + 1].kind == "num":
        return None
    if prev and prev.kind == "punct" and prev.text in ":/" and not tok.space_before and prev2 and prev2.kind == "num":
        return None
    if value_to is None and (upper := _range_from(tokens, i, j, value, english)) is not None:
        value_to, j = upper  # "8–9 млн тонн", "от 14 до 15 млрд долларов": read on after its upper end
        if _range_year(value, value_to, tokens[i]):
            return None
    elif nxt and nxt.kind == "punct" and nxt.text in "–—-" and j + 1 < n and tokens[j + 1].kind == "num":
        return None  # a dash between numbers that make no range (9–8, 10 –11): neither is a figure
    elif value_to is None and _range_end(tokens, i, j):
        return None
    found = _unit_group(tokens, i, j, value, english)
    if found is not None and value_to is not None:
        found.value_to = value_to
    return found


def _range_year(value: Decimal, value_to: Decimal, tok: Tok) -> bool:
    """2024–2025: years, not a range of amounts."""
    return tok.text.isdigit() and len(tok.text) == 4 and 1800 <= value <= 2100 and value_to <= 2100 \
        and value == value.to_integral_value() and value_to == value_to.to_integral_value()


def _unit_group(tokens: list[Tok], i: int, j: int, value: Decimal, english: bool) -> _Found | None:
    """The unit group after the number at tokens[i:j] (its scale, currency, %, unit or counted
    noun): the figure, or None where it measures nothing."""
    tok = tokens[i]
    n = len(tokens)
    prev = tokens[i - 1] if i else None
    prev2 = tokens[i - 2] if i >= 2 else None
    if prev and (prev.text in ("-", "‐") and not tok.space_before and prev2 and prev2.kind in ("word", "glued") and not prev.space_before):
        return None  # Су -35 written apart from the hyphen
    # a page, item or serial number
    p = i - 1
    if prev and prev.kind == "punct" and prev.text == "." and p >= 1:
        p -= 1
    before = tokens[p] if p >= 0 else None
    if before and (before.text.lower() in NUMBER_BEFORE or before.text == "№"):
        # a one-letter abbreviation (с. 5, п. 3, ч. 2) counts only with its dot: "с 20 странами"
        if not (before.kind == "word" and len(before.text) == 1 and before is tokens[i - 1]):
            return None
    if _after_currency_code(tokens, i):
        return None  # a rates ticker: "USD 87.45", "• usd -4.81%"
    if before and before.kind == "word" and before.text.lower() in MONTH_WORDS:
        return None  # "ноября 2025"
    sign = None
    if prev and prev.kind == "punct" and prev.text in SIGNS:
        sign = SIGNS[prev.text]
    elif prev and prev.kind == "word" and prev.text.upper() == "US" and False:
        sign = None
    # after the number
    k = j
    if k < n and tokens[k].kind == "punct" and tokens[k].text == "%":
        return _Found(value, "%", i, k + 1, None, False, "percent")
    w = _word(tokens, k)
    if w and w.text.lower() in MONTH_WORDS:
        return None
    if w and w.text.lower() in PERCENT_WORDS:
        return _Found(value, "%", i, k + 1, None, False, "percent")
    if w and w.text.lower() in ("п", "пп") and k + 1 < n and tokens[k + 1].text == ".":
        return _Found(value, "п.п.", i, k + 2, None, False, "percent")
    scale = None
    if sign and w and w.text in ("B", "M", "K"):
        w = Tok("word", {"B": "billion", "M": "million", "K": "thousand"}[w.text], w.start, w.end, w.space_before)
        tokens = tokens[:k] + [w] + tokens[k + 1:]  # "$19 B": the letter after a currency sign is a scale
    if w and w.text.lower() in SCALES:
        scale = SCALES[w.text.lower()]
        k = _skip_dot(tokens, k + 1)
        w = _word(tokens, k)
    currency = sign
    if w and w.text.lower() in CURRENCIES:
        currency = CURRENCIES[w.text.lower()]
        k = _skip_dot(tokens, k + 1)
        if _word(tokens, k) and tokens[k].text in ("США", "США.", "US"):
            k += 1
        w = _word(tokens, k)
    elif k < n and tokens[k].kind == "punct" and tokens[k].text in SIGNS and not currency:
        currency = SIGNS[tokens[k].text]
        k += 1
    if currency:
        unit = f"{scale} {currency}" if scale else currency
        return _Found(value, unit, i, k, None, False, "money")
    if _is_year_number(tokens, i) and not scale:
        return None
    w = _word(tokens, k)
    # a multiplier: "в 3,5 раза", "grew 3.5 times"
    if not scale and w and w.text.lower() in ("раз", "раза") and prev and _low(prev) in ("в", "во"):
        return _Found(value, w.text.lower(), i, k + 1, None, False, "times")
    if english and not scale and w and w.text.lower() == "times" and _multiplier_en(tokens, i, k):
        return _Found(value, "times", i, k + 1, None, False, "times")
    # people counted by a word made of an adjective: "254 учащихся", "12 пострадавших"
    if w and not english and _adjective_lemma(w.text) in _words("counted_adjectives"):
        written = f"{scale} {w.text.lower()}" if scale else w.text.lower()
        return _Found(value, written, i, k + 1, k, False, "count")
    # a compound unit: "куб. м", "кв. км", "кВт·ч"
    if w and w.text.lower() in ("куб", "кв") and k + 2 < n and tokens[k + 1].text == "." and _word(tokens, k + 2) \
            and tokens[k + 2].text.lower() in ("м", "км", "метров", "километров"):
        written = f"{w.text.lower()}. {tokens[k + 2].text.lower()}"
        return _Found(value, f"{scale} {written}" if scale else written, i, k + 3, k + 2, True, "count")
    if english and w and w.text.isalpha() and w.text.islower() and len(w.text) > 3 and w.text.endswith("s") \
            and w.text not in EN_NOT_COUNTS and w.text not in ENGLISH_UNITS:
        return _Found(value, f"{scale} {w.text}" if scale else w.text, i, k + 1, k, False, "count")  # 33 projects
    if w and w.text.lower() in ENGLISH_UNITS:
        written = w.text if w.text.isupper() else w.text.lower()
        written = EN_UNIT_SHORT.get(written, written)
        return _Found(value, f"{scale} {written}" if scale else written, i, k + 1, k, True, "count")
    # a count: the noun that follows, maybe after one or two adjectives
    nouns_at = k
    adjectives = 0
    while adjectives < 3 and _word(tokens, nouns_at) and (
        _is_adj(tokens[nouns_at].text) and not _is_noun(tokens[nouns_at].text)
        or adjectives and tokens[nouns_at].text.lower() == "и" and _word(tokens, nouns_at + 1)
        and _is_adj(tokens[nouns_at + 1].text)
    ):  # "18 межправительственными и межведомственными соглашениями"
        nouns_at += 1
        adjectives += 1
    w = _word(tokens, nouns_at)
    if w:
        low = w.text.lower()
        unit_abbr = low in MEASURE_UNITS and (len(low) <= 4 or True)
        if low == "т" and nouns_at + 2 < n and tokens[nouns_at + 1].text == "." and tokens[nouns_at + 2].kind == "word" \
                and len(tokens[nouns_at + 2].text) == 1:
            unit_abbr = False  # т.е., т.д.
        lemma = nlp.lemma(w.text)
        # "34 населённых пункта", "10 рабочих мест": an adjective makes a count of a word that alone
        # numbers something ("пункт 3", "место 5"); time words stay out
        duration = (lemma in DURATION_NOUNS or low in DURATION_NOUNS) and _duration_measured(tokens, i)
        listed = (lemma in NOT_COUNTS or low in NOT_COUNTS) and not (adjectives and lemma not in TIME_NOUNS) and not duration
        counted = (unit_abbr or _is_noun(w.text)) and not listed \
            and low not in MONTH_WORDS and not (_proper(w.text) and not unit_abbr)
        if counted:
            measure = unit_abbr or lemma in MEASURE_UNITS or duration
            end = _skip_dot(tokens, nouns_at + 1) if unit_abbr else nouns_at + 1
            written = w.text.lower() if w.text[1:].islower() or w.text.islower() else w.text
            if unit_abbr and end + 1 < n and tokens[end].text in "·/" and not tokens[end].space_before \
                    and _word(tokens, end + 1) and tokens[end + 1].text.lower() in ("ч", "час", "год", "сутки", "с"):
                written += tokens[end].text + tokens[end + 1].text  # кВт·ч
                end += 2
            unit = f"{scale} {written}" if scale else written
            return _Found(value, unit, i, end, nouns_at, measure, "count")
    if scale:
        return _Found(value, scale, i, k, None, False, "scale")
    return None


# --------------------------------------------------------------------------------------------
# Tickers, durations, English counts

CURRENCY_CODES = frozenset("usd eur rub kzt cny gbp jpy chf try uzs kgs byn".split())
# A duration measured ("дорога занимает 35 дней", "ресурс — 60 лет", "продления ещё на
# 20 лет") is a figure; a period ("за 9 месяцев", "рекорд за 10 лет") is not.
DURATION_NOUNS = frozenset("день год лет месяц неделя сутки час минута".split())
DURATION_VERBS = frozenset("""составить составлять занять занимать длиться продлиться продолжаться
    продлить продлевать рассчитать""".split())
BOUND_WORDS = frozenset("более около свыше почти порядка примерно менее всего лишь только уже ещё еще".split())
# English plural nouns after a number that count nothing worth a figure
EN_NOT_COUNTS = frozenset("""years months weeks days hours minutes times percent points places ones others
    sessions editions pages decades centuries""".split())


EN_MORE = frozenset("more higher larger bigger greater less lower smaller faster cheaper over as".split())


def _multiplier_en(tokens: list[Tok], i: int, k: int) -> bool:
    """"3.5 times" is a multiplier after a verb of change ("increased 3.5 times") or before a
    comparative ("3 times more"); "three times a week" is no figure."""
    before = [_low(t) for t in tokens[max(0, i - 3):i] if t.kind == "word"]
    after = _low(tokens[k + 1]) if k + 1 < len(tokens) else ""
    return any(w in EN_CHANGE or w in ("increase", "growth", "rise") for w in before) or after in EN_MORE


def _adjective_lemma(word: str) -> str:
    """An adjective's or participle's dictionary form as an adjective ("учащихся" → "учащийся"),
    another word's lemma."""
    found = nlp.parses(word)
    if not found:
        return word.lower()
    best = found[0]
    if best.tag.POS in ("PRTF", "ADJF", "NOUN"):
        form = nlp.inflect_parse(best, {"masc", "sing", "nomn"})
        if form is not None:
            return form.word
    return best.normal_form


def _special_figure(tokens: list[Tok], k: int, english: bool) -> _Found | None:
    """A figure a number token alone does not make: a rank ("12-е место", "на седьмом месте",
    "7th place"), a duration in one word ("12-дневного маршрута"), a multiplier in one word
    ("вдвое"). The words are the domain's (numbers.yaml: rank_nouns, ordinal_stems,
    compound_durations, times_words)."""
    tok = tokens[k]
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if tok.kind == "glued":
        head, dash, tail = tok.text.partition("-")
        if not head.isdigit():
            if english and tok.text[:-2].isdigit() and tok.text[-2:].lower() in ("st", "nd", "rd", "th"):
                head, tail = tok.text[:-2], tok.text[-2:]
            else:
                return None
        value = Decimal(head)
        if nxt is not None and nxt.kind == "word" and numerals.rank_noun(nxt.text):
            return _Found(value, "place" if english else "место", k, k + 2, None, False, "rank",
                          label=_rank_label(tokens, k + 2, english))
        unit = numerals.compound_duration(tail) if dash else None
        if unit and english and nxt is not None and nxt.kind == "word" and nxt.text.isalpha() and nxt.text.islower():
            return _Found(value, unit, k, k + 1, None, True, "count", label=f"length of the {nxt.text}")  # "the 12-day route"
        if unit and not english and nxt is not None and nxt.kind == "word" and _is_noun(nxt.text):
            return _Found(value, unit, k, k + 1, None, True, "count",
                          label=f"продолжительность {nxt.text.lower()}")
        return None
    if tok.kind != "word" or english:
        return None
    ordinal = numerals.ordinal_value(tok.text)
    if ordinal is not None and nxt is not None and nxt.kind == "word" and numerals.rank_noun(nxt.text):
        label = _rank_label(tokens, k + 2, english)
        if ordinal == 1 and label == "место":
            return None  # «на первом месте» alone is a priority more often than a rank
        return _Found(ordinal, "место", k, k + 2, None, False, "rank", label=label)
    times = numerals.lexicon().times_words.get(tok.text.lower().replace("ё", "е"))
    if times is not None and tok.text.lower().startswith("в"):  # вдвое, втрое: adverbs, not verbs
        return _Found(times, "раза", k, k + 1, None, False, "times")
    return None


def _word_figure_in(sentence: str) -> bool:
    """Whether a sentence without digits may hold a figure in words ("на седьмом месте", "вдвое")."""
    low = sentence.lower()
    return "мест" in low or any(word in low for word in RU_TIMES)


RU_TIMES = tuple(w for w in numerals.lexicon().times_words if w.startswith("в"))


def _rank_label(tokens: list[Tok], after: int, english: bool) -> str:
    """A rank's label: the place with what it ranks by ("место по запасам нефти")."""
    by = "by" if english else "по"
    words = []
    if after < len(tokens) and _low(tokens[after]) in (by, "in", "в", "среди", "among"):
        k = after
        while k < len(tokens) and tokens[k].kind == "word" and len(words) < 5:
            word = tokens[k].text
            if words and (_proper(word) or not english and _is_verb(word)):
                break  # "по степени риска находится …": the phrase ends before the verb
            if _low(tokens[k]) not in ("его", "её", "ее", "их", "its", "their"):
                words.append(word)
            k += 1
    head = "place" if english else "место"
    return f"{head} {' '.join(words)}" if len(words) >= 2 else head


def _elided(tokens: list[Tok], k: int, before: _Found | None) -> _Found | None:
    """A count whose noun the sentence gave the count before ("120 наград: 45 золотых, 38
    серебряных"): a number followed by an adjective alone counts the same noun."""
    if before is None or before.count_noun is None or before.kind != "count" or before.measure:
        return None
    read = _number_at(tokens, k, False)
    if read is None:
        return None
    value, j = read
    adjective = _word(tokens, j)
    if adjective is None or not _is_adj(adjective.text) or _is_noun(adjective.text):
        return None
    after = tokens[j + 1] if j + 1 < len(tokens) else None
    if after is not None and after.kind == "word" and (_is_noun(after.text) or _is_adj(after.text)):
        return None
    noun = tokens[before.count_noun].text
    plural_noun = _inflected(_nominative(noun, plural=True), "gent", "plur")
    unit = f"{_inflected(adjective.text, 'gent', 'plur')} {plural_noun}"
    label_noun = _nominative(noun, plural=value != 1)
    return _Found(value, unit, k, j + 1, before.count_noun, False, "count",
                  label=f"{_agree(adjective.text, label_noun, value != 1)} {label_noun}")


def _self_unit(tokens: list[Tok], k: int, lower: int) -> _Found | None:
    """A bare number after a dash in a clause led by a noun that is its own unit ("Средний балл
    по стране – 68" → 68 баллов, средний балл по стране)."""
    if k < 2 or tokens[k - 1].text not in "–—" or tokens[k - 1].kind != "punct":
        return None
    read = _number_at(tokens, k, False)
    if read is None or (read[1] < len(tokens) and tokens[read[1]].kind == "word"):
        return None
    for a in range(k - 2, max(lower, k - 7) - 1, -1):
        if tokens[a].kind != "word":
            return None
        if nlp.lemma(tokens[a].text) in _words("self_units"):
            first = a - 1 if a >= 1 and tokens[a - 1].kind == "word" and _is_adj(tokens[a - 1].text) else a
            label = " ".join(t.text for t in tokens[first:k - 1])
            unit = _inflected(nlp.lemma(tokens[a].text), "gent", "plur")
            return _Found(read[0], unit, k, read[1], None, False, "count", label=_lower_first(label))
    return None


def _after_currency_code(tokens: list[Tok], i: int) -> bool:
    k = i - 1
    if k >= 0 and tokens[k].kind == "punct" and tokens[k].text in "-+−" and not tokens[i].space_before:
        k -= 1
    return k >= 0 and tokens[k].kind == "word" and tokens[k].text.lower() in CURRENCY_CODES


def _duration_measured(tokens: list[Tok], i: int) -> bool:
    k = i - 1
    while k >= 0 and tokens[k].kind == "word" and tokens[k].text.lower() in BOUND_WORDS:
        k -= 1
    if k < 0:
        return False
    before = tokens[k]
    if before.kind == "punct":
        return before.text in "—–" and k >= 1 and tokens[k - 1].kind == "word" and _is_noun(tokens[k - 1].text)
    if before.kind != "word":
        return False
    if nlp.lemma(before.text) in DURATION_VERBS:
        return True
    if before.text.lower() == "на":
        j = k - 1
        while j >= 0 and tokens[j].kind == "word" and tokens[j].text.lower() in BOUND_WORDS:
            j -= 1
        return j >= 0 and tokens[j].kind == "word" and tokens[j].text.lower().startswith("продл")
    return False


# English labels: what a number measures, from the words around it ("freight volumes grew by
# 14%" → "growth of freight volumes"; "70 percent of the region's container traffic" → "region's
# container traffic"; "exceeded $5 billion" → the clause's subject).
EN_VERBS = frozenset("""is are was were be been reach reached reaches reaching exceed exceeded exceeds exceeding
    grow grew grown grows growing rise rose risen rises rising increase increased increases increasing
    decrease decreased decreases fall fell fallen falls drop dropped declined decline amount amounted
    amounts total totalled totaled totals stand stood stands account accounted accounts represent
    represented make made makes cut cuts signed sign injected inject invest invested hit climbed jumped
    surged reduced reduce reduced expected estimated estimates stood delivered shipped transported
    carried handled produced exported imported allocated worth""".split())
EN_CHANGE = {"grew": "growth of", "grow": "growth of", "grown": "growth of", "rose": "growth of",
             "risen": "growth of", "increased": "increase in", "increase": "increase in",
             "decreased": "decrease in", "fell": "fall in", "dropped": "fall in", "declined": "decline in",
             "cut": "cut in", "reduced": "cut in", "jumped": "growth of", "surged": "growth of",
             "climbed": "growth of", "rising": "growth of", "growing": "growth of", "increasing": "increase in",
             "falling": "fall in", "declining": "decline in", "decreasing": "decrease in"}  # fmt: skip
EN_STOP = frozenset("""the a an that which who and while as has have had will would could should can may
    might also alone last this these those its their his her it they we he she there here then than having
    by to of in on at for from with over about almost nearly around some more less up only just
    said says according reported if whether because although though unless""".split())
EN_AUX = frozenset("has have had having is are was were will would could should be been already also".split())


def _np_left(tokens: list[Tok], end: int, lower: int) -> str:
    words: list[str] = []
    k = end
    while k >= lower and len(words) < 5:
        tok = tokens[k]
        if tok.kind == "punct" and tok.text in "'’" and words:
            words.insert(0, tok.text)
            k -= 1
            continue
        if tok.kind not in ("word", "glued") or tok.text.lower() in EN_STOP or tok.text.lower() in EN_VERBS:
            break
        words.insert(0, tok.text)
        k -= 1
    return "".join(w if w in "'’" or i == 0 or words[i - 1] in "'’" else " " + w for i, w in enumerate(words)).strip()


EN_ACTIONS = {"injected": "investment", "invested": "investment", "exported": "exports", "imported": "imports",
              "delivered": "deliveries", "shipped": "shipments", "allocated": "allocations", "spent": "spending",
              "transported": "transport", "produced": "output"}  # fmt: skip
EN_CHANGE_VERBS = {"reduce": "cut in", "cut": "cut in", "lower": "cut in", "decrease": "decrease in",
                   "increase": "increase in", "raise": "increase in", "boost": "increase in", "expand": "increase in",
                   "reduced": "cut in", "lowered": "cut in", "raised": "increase in", "boosted": "increase in",
                   "increased": "increase in", "decreased": "decrease in", "expanded": "increase in"}  # fmt: skip
EN_DIMENSIONS = {"km": "length of", "MW": "capacity of", "GW": "capacity of"}
# Words that end the phrase brought to a level, read leftwards from "to" ("we plan transit of
# containers up to 900 thousand TEU" → transit of containers)
EN_LEVEL_STOPS = frozenset("and with while as we they i you he she it plan plans planned aim aims want wants".split())
EN_RELATIVES = frozenset({"which", "that", "who"})
EN_PREPOSITIONS = frozenset({"between", "of", "with", "from", "to", "in", "for"})


def _np_right(tokens: list[Tok], start: int, limit: int = 8) -> list[str]:
    """The words of a noun group from `start` on, up to a verb, a stop word or punctuation."""
    words: list[str] = []
    k = start
    while k < len(tokens) and len(words) < limit and tokens[k].kind in ("word", "glued"):
        low = tokens[k].text.lower()
        if low in EN_VERBS or low in EN_AUX or low in ("which", "that", "and", "by", "to", "this", "through"):
            break
        if low not in ("the", "a", "an"):
            words.append(tokens[k].text)
        k += 1
    return words


def _antecedent(tokens: list[Tok], relative: int) -> str:
    """What ', which carried $3 billion' is about: the noun group before the comma, past a
    prepositional phrase of names ('wheat exports between Kazakhstan and Iran')."""
    k = relative - 1
    while k >= 0 and tokens[k].kind == "punct" and tokens[k].text == ",":
        k -= 1
    end = k
    while k >= 0 and tokens[k].kind == "word" and (tokens[k].text[:1].isupper() or tokens[k].text.lower() == "and"):
        k -= 1
    if k >= 0 and k < end and tokens[k].kind == "word" and tokens[k].text.lower() in EN_PREPOSITIONS:
        head = _np_left(tokens, k - 1, 0)
        if head:
            return f"{head} {' '.join(t.text for t in tokens[k : end + 1])}"
    return _np_left(tokens, end, 0)


def _english_label(tokens: list[Tok], found: _Found, lower: int) -> str | None:
    n = len(tokens)
    after = found.end
    if found.unit in EN_DIMENSIONS and found.count_noun is not None and tokens[found.count_noun].kind == "word" \
            and found.count_noun == found.start + 1 and not tokens[found.count_noun].space_before:
        # "the 840-kilometre western pipeline": the length of what follows
        thing = _np_right(tokens, after, 5)
        if thing:
            return f"{EN_DIMENSIONS[found.unit]} {' '.join(thing)}"
    if after + 1 < n and tokens[after].text.lower() == "of" and found.kind == "count" and found.measure:
        # "90 million tons of grain have been exported": the goods, and what was done with them
        goods = _np_right(tokens, after + 1, 4)
        k = after + 1 + len(goods)
        while k < n and tokens[k].kind == "word" and tokens[k].text.lower() in EN_AUX:
            k += 1
        if goods and k < n and tokens[k].kind == "word" and tokens[k].text.lower().endswith("ed") and k > after + 1 + len(goods):
            return f"{' '.join(goods)} {tokens[k].text.lower()}"
        if goods:
            return " ".join(goods)
    if after + 1 < n and tokens[after].text.lower() == "of" and found.kind in ("percent", "scale"):
        words = []
        k = after + 1
        while k < n and len(words) < 8 and tokens[k].kind in ("word", "glued", "punct") and \
                (tokens[k].kind != "punct" or tokens[k].text in "'’") and tokens[k].text.lower() not in EN_VERBS \
                and tokens[k].text.lower() not in ("that", "which", "and", "this", "in", "by", "through"):
            words.append(tokens[k].text)
            k += 1
        words = [w for w in words if w.lower() not in ("the", "a", "an")]
        if words:
            return " ".join(words).replace(" ’ ", "’").replace(" ' ", "'")[:100]
    k = found.start - 1
    while k >= lower and (tokens[k].kind == "punct" and tokens[k].text in "$€£¥" or tokens[k].kind == "word" and tokens[k].text.lower()
                          in {"by", "to", "than", "more", "over", "about", "almost", "nearly", "around", "some",
                              "approximately", "only", "just", "up", "at", "least", "of", "exceeding", "roughly"}):
        k -= 1
    if k >= lower + 2 and _low(tokens[k]) in ("percent", "%") and tokens[k - 1].kind == "num" and _low(tokens[k - 2]) == "by" \
            and found.kind != "percent":
        k -= 3  # "increased by 8 percent to over 50 million tonnes": the level reached by what changed
    to = next((j for j in range(found.start - 1, max(lower, found.start - 4) - 1, -1) if _low(tokens[j]) == "to"), None)
    if to is not None and not (k >= lower and tokens[k].kind == "word" and (_low(tokens[k]) in EN_VERBS or _low(tokens[k]).endswith("ed"))):
        # "to lift the volume of freight through the port to 12 million tonnes", "grain exports
        # to 9 million tonnes": what is brought to that level
        words = []
        j = to - 2 if _low(tokens[to - 1]) == "up" else to - 1  # "up to"
        while j >= lower and tokens[j].kind in ("word", "glued") and len(words) < 8 and _low(tokens[j]) not in EN_VERBS \
                and not _low(tokens[j]).endswith("ing") and _low(tokens[j]) not in EN_LEVEL_STOPS:
            words.insert(0, tokens[j].text)
            j -= 1
        while words and words[0].lower() in ("the", "a", "an", "its", "their"):
            words.pop(0)
        if words and not all(w.lower() in EN_STOP for w in words):
            return " ".join(words)
    if k >= 0 and tokens[k].text == "," and k + 1 < found.start and tokens[k + 1].text.lower() == "exceeding":
        subject = _np_left(tokens, _first_verb(tokens, 0) - 1, 0)  # "…, exceeding $4 billion": the sentence's subject
        if subject:
            return subject
    if k >= lower and tokens[k].kind == "word" and tokens[k].text.lower() in EN_ACTIONS and found.kind in ("money", "scale"):
        return EN_ACTIONS[tokens[k].text.lower()]  # "having invested some $3 billion": the investment
    if k >= lower and tokens[k].kind == "word" and (tokens[k].text.lower() in EN_VERBS or tokens[k].text.lower().endswith("ed")):
        verb = tokens[k].text.lower()
        j = k - 1
        while j >= lower and tokens[j].kind == "word" and tokens[j].text.lower() in EN_AUX:
            j -= 1
        if j >= 0 and tokens[j].kind == "word" and tokens[j].text.lower() in EN_RELATIVES:
            subject = _antecedent(tokens, j)  # "…, which carried $3 billion"
        else:
            subject = _np_left(tokens, j, lower) if j >= lower and tokens[j].kind in ("word", "glued") else ""
        if not subject:  # a participle after a comma ("…, exceeding $4 billion"): the sentence's subject
            subject = _np_left(tokens, _first_verb(tokens, 0) - 1, 0)
        if subject:
            change = EN_CHANGE.get(verb) if found.kind in ("percent", "times") else None
            return f"{change} {subject}" if change else subject
    if found.start >= 1 and tokens[found.start - 1].text.lower() == "by" and found.kind == "percent":
        # "plans to cut coal shipments via the port by 40 percent": the change of the verb's object
        for v in range(found.start - 2, max(lower, found.start - 16) - 1, -1):
            change = EN_CHANGE_VERBS.get(tokens[v].text.lower()) if tokens[v].kind == "word" else None
            if change:
                thing = _np_right(tokens, v + 1, 6)
                return f"{change} {' '.join(thing)}" if thing else None
        # "…, with grain exports rising by 14 percent, and oil exports by 3 percent": the verb
        # left out, the change is that of the noun before "by"
        thing = _np_left(tokens, found.start - 2, lower) if found.start >= 2 else ""
        if thing:
            change = next((EN_CHANGE[_low(t)] for t in reversed(tokens[:found.start]) if _low(t) in EN_CHANGE), None)
            return f"{change} {thing}" if change else thing
    return None


def _first_verb(tokens: list[Tok], lower: int) -> int:
    for k in range(lower, len(tokens)):
        if tokens[k].kind == "word" and tokens[k].text.lower() in EN_VERBS | EN_AUX:
            return k
    return lower


# --------------------------------------------------------------------------------------------
# Labels


def _noun_tail(tokens: list[Tok], i: int, limit: int = 4) -> list[str]:
    """Words after a noun that belong to its group: a genitive noun group or one prepositional
    phrase ('с российским участием'), up to `limit` words, stopping at punctuation, verbs,
    conjunctions and numbers."""
    out: list[str] = []
    k = i
    seen_prep = False
    while k < len(tokens) and len(out) < min(limit, 3):
        tok = tokens[k]
        if tok.kind != "word":
            break
        best = _best(tok.text)
        if best is None:
            break
        pos = best.tag.POS
        if pos == "PREP" and not out and not seen_prep and tok.text.lower() in ("с", "со", "по", "из", "для"):
            seen_prep = True
            out.append(tok.text)
        elif pos in ADJ_POS or (pos == "NOUN" and (seen_prep or "gent" in best.tag.grammemes)):
            if pos == "NOUN" and not seen_prep and tok.text[:1].isupper() and not out:
                out.append(tok.text)
                k += 1
                break
            out.append(tok.text)
            if pos == "NOUN" and seen_prep:
                k += 1
                break
        else:
            break
        k += 1
    # drop a dangling preposition or adjective at the end
    while out and (_best(out[-1]) is None or _best(out[-1]).tag.POS in ({"PREP"} | ADJ_POS)):
        out.pop()
    return out


def _phrase(tokens: list[Tok], noun_index: int, adjectives: list[int], plural: bool | None = None,
            tail: bool = True) -> str:
    noun = _nominative(tokens[noun_index].text, plural)
    words = [_agree(tokens[a].text, noun, plural) for a in adjectives] + [noun]
    if tail:
        words += _noun_tail(tokens, noun_index + 1)
    return " ".join(words)


def _left_noun(tokens: list[Tok], start: int, lower: int) -> tuple[int | None, int | None]:
    """(noun index, verb index): walking left from the number over adjectives, prepositions and
    the like, the first noun (past generic ones like 'размере'), or the verb that stops the walk."""
    k = start - 1
    steps = 0
    while k >= lower and steps < 6:
        tok = tokens[k]
        steps += 1
        if tok.kind == "punct":
            if tok.text in "$€₽₸¥£(":
                k -= 1
                continue
            return None, None
        if tok.kind != "word":
            return None, None
        low = tok.text.lower()
        if low in SKIP_LEFT or tok.text.isupper() and len(tok.text) > 1 and k > lower:  # "способность ТМТМ до 9 млн т"
            k -= 1
            continue
        best = _best(tok.text)
        if best is None:
            return None, None
        if best.tag.POS in ADJ_POS or best.tag.POS in {"ADVB", "PRCL", "NUMR"}:
            k -= 1
            continue
        if best.tag.POS == "NOUN":
            if best.normal_form in GENERIC_NOUNS or low in MONTH_WORDS or best.normal_form in NOT_COUNTS:
                k -= 1
                continue
            if _proper(tok.text) and tok.text[:1].isupper():  # "доставил в Турцию 41 контейнер": a place says no measure
                k -= 1
                continue
            return k, None
        if best.tag.POS in {"VERB", "INFN", "GRND", "PRTF", "PRTS"}:
            return None, k
        return None, None
    return None, None


def _subject(sentence: str, tokens: list[Tok], verb: int, found: _Found, lower: int) -> str | None:
    """What a verb says is measured. For a measure verb ('Товарооборот … составил 28 млрд')
    its subject, for another verb its object ('тарифы подняли на 15%'), by natasha's syntax;
    failing that, the nearest nominative noun before a measure verb in the clause."""
    verb_tok = tokens[verb]
    measure = nlp.lemma(verb_tok.text) in MEASURE_VERBS
    figure_start, figure_end = tokens[found.start].start, tokens[found.end - 1].end
    if measure:
        k = verb - 1
        while k >= lower and k > verb - 10:
            tok = tokens[k]
            if tok.kind == "punct" and tok.text in ",;:—–" and (tok.space_before or tok.text == ","):
                break
            if tok.kind == "word":
                best = _best(tok.text)
                if best and best.tag.POS == "NOUN" and "nomn" in best.tag.grammemes and not _proper(tok.text):
                    words = [_nominative(tok.text)]
                    nxt = tokens[k + 1] if k + 1 < verb else None
                    following = _best(nxt.text) if nxt and nxt.kind == "word" else None
                    if following and following.tag.POS == "NOUN" and "gent" in following.tag.grammemes:
                        words.append(nxt.text)  # type: ignore[union-attr]
                    return " ".join(words)
            k -= 1
    d, base = _syntax_doc(sentence, tokens, verb)
    target = next((t for t in d.tokens if base + t.start <= verb_tok.start < base + t.stop), None)
    wanted = ("nsubj", "nsubj:pass") if measure else ("obj", "nsubj:pass")
    if target is not None:
        for t in d.tokens:
            if t.head_id == target.id and t.rel in wanted and t.pos in ("NOUN", "PROPN") \
                    and not figure_start <= base + t.start < figure_end and not _proper(t.text):
                words = [_nominative(t.text)]
                for child in d.tokens:
                    if child.head_id == t.id and child.rel == "nmod" and child.pos in ("NOUN", "PROPN") \
                            and child.feats.get("Case") == "Gen" and child.start > t.start and child.start - t.stop <= 2:
                        words.append(child.text)
                        break
                return " ".join(words)
    return None


def _syntax_doc(sentence: str, tokens: list[Tok], around: int) -> tuple[Any, int]:
    """natasha's parse of the sentence, or of a window of SYNTAX_TOKENS of its tokens around
    `around` when it is longer, with the window's offset in the sentence."""
    if len(tokens) <= SYNTAX_TOKENS:
        return nlp.doc(sentence, syntax=True, ner=False), 0
    step = SYNTAX_TOKENS // 2  # windows on a grid, so the words of one stretch share one parse
    lo = max(0, min((around // step) * step - step // 2, len(tokens) - SYNTAX_TOKENS))
    hi = lo + SYNTAX_TOKENS
    base = tokens[lo].start
    return nlp.doc(sentence[base:tokens[hi - 1].end], syntax=True, ner=False), base


def _proper(word: str) -> bool:
    best = _best(word)
    return best is not None and bool({"Name", "Surn", "Patr", "Geox", "Orgn"} & set(best.tag.grammemes))


# A speaker's own words opening a label ("now our capacity", «наш товарооборот») are left out:
# a label is the bot's words about what is measured.
SPEAKERS_WORDS = frozenset("""our my your now currently today наш наша наше наши нашего нашей нашему нашим
    нашу наших мой моя моё мое мои сейчас сегодня""".split())


def _impersonal(label: str) -> str:
    words = label.split()
    while len(words) > 1 and words[0].lower() in SPEAKERS_WORDS:
        words.pop(0)
    return " ".join(words) if len(words) < len(label.split()) else label


def _lower_first(label: str) -> str:
    """'Товарооборот' → 'товарооборот' at a sentence start; names and abbreviations stay."""
    first, _, rest = label.partition(" ")
    best = _best(first)
    proper = best is not None and ({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"} & set(best.tag.grammemes))
    if first.isupper() or proper or not first[:1].isupper() or any(c.isupper() for c in first[1:]):
        return label
    return (first[:1].lower() + first[1:] + (" " + rest if rest else "")).strip()


def _valid_label(label: str | None) -> bool:
    if not label:
        return False
    first = label.split()[0]
    if first.lower() in BAD_LABEL_START or len(label) < 3 and not label.isupper():  # "м" of "куб. м" says nothing
        return False
    best = _best(first)
    return bool(best) and best.tag.POS in (NOUN_POS | ADJ_POS | {None}) and not first.isdigit()


def _label(tokens: list[Tok], found: _Found, sentence: str, lower: int, english: bool = False) -> str:
    n = len(tokens)
    if english:
        label = _english_label(tokens, found, lower)
        if label and 2 < len(label) <= 120:
            return label
    candidates: list[str | None] = []
    dashed = _before_dash(tokens, found, lower)
    if dashed:
        return dashed
    before_number = next((t.text.lower() for t in reversed(tokens[max(0, found.start - 3) : found.start])
                          if t.kind != "word" or t.text.lower() not in SKIP_LEFT - {"на"}), "")
    if found.kind == "percent" and before_number != "на":  # "рост на 5%" is a change, no share
        share = _share_of(tokens, found.end)
        if share:
            return share
    if found.count_noun is not None and found.start >= 2 and tokens[found.start - 1].text in "–—" \
            and tokens[found.start - 2].kind == "word" and nlp.lemma(tokens[found.count_noun].text) in _words("self_units"):
        # a score after what it scores: "лучший результат – 118 баллов"; "максимальный – 137 баллов": максимальный балл
        noun = nlp.lemma(tokens[found.count_noun].text)
        left = tokens[found.start - 2].text
        if _is_adj(left) and not _is_noun(left):
            return f"{_agree(left, noun, False).lower()} {noun}"
        phrase, _ = _left_noun(tokens, found.start - 1, lower)
        if phrase is not None:
            adjectives = [a for a in range(max(lower, phrase - 2), phrase) if tokens[a].kind == "word" and _is_adj(tokens[a].text)]
            return _lower_first(_phrase(tokens, phrase, adjectives[-1:], tail=False))
    if found.count_noun is not None and not found.measure and nlp.lemma(tokens[found.count_noun].text) in _words("bare_counts"):
        done = _done_to(sentence, tokens, found) if len(sentence) <= 600 else None
        if done:
            return done
    if found.count_noun is None or found.measure:
        syntactic = _syntax_label(sentence, tokens, found) if len(sentence) <= 600 else None
        if syntactic and _valid_label(syntactic) and len(syntactic) <= 120:
            return _lower_first(syntactic)
    if found.count_noun is not None and not found.measure:
        adjectives = [a for a in range(tokens and found.start + 1, found.count_noun) if tokens[a].kind == "word"
                      and _is_adj(tokens[a].text) and tokens[a].text.lower() not in SCALES]
        candidates.append(_phrase(tokens, found.count_noun, adjectives, plural=found.value != 1))
    # a genitive noun right after the unit group: $30 млрд товарооборота, 1,5 млн тонн зерна
    after = found.end
    if after + 1 < n and tokens[after].kind == "glued" and tokens[after + 1].kind == "word":
        after += 1  # "36 единиц 40-футовых контейнеров": the noun after the glued adjective
    if after < n and tokens[after].kind == "word":
        best = _best(tokens[after].text)
        if best and best.tag.POS == "NOUN" and "gent" in best.tag.grammemes and best.normal_form not in NOT_COUNTS \
                and tokens[after].text.lower() not in MONTH_WORDS:
            candidates.append(_phrase(tokens, after, []))
    noun, verb = _left_noun(tokens, found.start, lower)
    governing = noun - 1 if noun is not None and noun - 1 >= lower else None
    if governing is not None and tokens[governing].kind == "word" and _best(tokens[noun].text) is not None \
            and _best(tokens[noun].text).tag.case == "gent" and _is_noun(tokens[governing].text) \
            and not _proper(tokens[governing].text) and nlp.lemma(tokens[governing].text) not in NOT_COUNTS:
        # "способность порта до 9 млн т": the noun the genitive belongs to, with it
        adjectives = [a for a in range(max(lower, governing - 2), governing) if tokens[a].kind == "word" and _is_adj(tokens[a].text)]
        candidates.append(f"{_phrase(tokens, governing, adjectives[-1:], tail=False)} {tokens[noun].text}")
    if noun is not None:
        adjectives = []
        a = noun - 1
        while a >= lower and tokens[a].kind == "word" and _is_adj(tokens[a].text) and len(adjectives) < 2:
            adjectives.insert(0, a)
            a -= 1
        candidates.append(_phrase(tokens, noun, adjectives[-1:], tail=False))
    elif verb is not None:
        candidates.append(_subject(sentence, tokens, verb, found, lower))
    # "(28 млрд)" after an adjective: the adjective with the noun it qualifies
    open_paren = found.start - 1 if found.start and tokens[found.start - 1].text == "(" else None
    if noun is None and open_paren is not None and open_paren >= 1 and tokens[open_paren - 1].kind == "word" \
            and _is_adj(tokens[open_paren - 1].text):
        k = found.end
        while k < n and k < found.end + 6:
            if tokens[k].kind == "word" and _is_noun(tokens[k].text):
                noun_text = _nominative(tokens[k].text)
                candidates.append(f"{_agree(tokens[open_paren - 1].text, noun_text)} {noun_text}")
                break
            k += 1
    if found.count_noun is not None:
        candidates.append(_nominative(tokens[found.count_noun].text, plural=found.value != 1))
    for candidate in candidates:
        if _valid_label(candidate):
            return _lower_first(candidate.strip())  # type: ignore[union-attr]
    if found.kind == "percent" and found.end < n:
        following = tokens[found.end].text.lower()
        if following in ("больше", "выше", "дороже", "быстрее"):
            return "прирост"
        if following in ("меньше", "ниже", "дешевле", "медленнее"):
            return "снижение"
    if english:
        return EN_FALLBACKS.get(found.kind, "count")
    return FALLBACKS.get(found.kind, "количество")


def _before_dash(tokens: list[Tok], found: _Found, lower: int) -> str | None:
    """"…, а валовый сбор подсолнечника – около 300 тыс. тонн": the phrase before the dash that stands
    for the verb says what the number measures (not the subject of the clause before); it is
    taken as written, a single word put in the nominative ("ячменя – 400 тыс. тонн" → ячмень)."""
    k = found.start - 1
    while k > lower and tokens[k].kind == "word" and tokens[k].text.lower() in SKIP_LEFT:
        k -= 1
    if k <= lower or tokens[k].kind != "punct" or tokens[k].text not in "–—":
        return None
    start = k
    while start > lower and tokens[start - 1].kind in ("word", "glued"):
        start -= 1
        if k - start > 8:
            return None  # a long run: no phrase of its own before the dash
    while start < k and tokens[start].text.lower() in ("а", "и", "но", "или", "также"):
        start += 1
    words = [t.text for t in tokens[start:k]]
    if not words or start == lower and len(words) > 4 or any(_is_verb(w) for w in words) \
            or not any(_is_noun(w) for w in words) or nlp.lemma(words[-1]) in _words("self_units"):
        return None
    label = _nominative(words[0]) if len(words) == 1 else " ".join(words)
    return _lower_first(label) if _valid_label(label) else None


FALLBACKS = {"money": "сумма", "percent": "доля", "scale": "показатель", "times": "рост", "rank": "место"}
EN_FALLBACKS = {"money": "amount", "percent": "share", "scale": "figure", "times": "growth", "rank": "place"}


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(resources.files("bot.services.ingest.reading").joinpath("lexicons/figures.yaml").read_text("utf-8"))
    return {key: frozenset(str(w).lower() for w in value) for key, value in data.items()}


def _words(key: str) -> frozenset[str]:
    return _lexicon()[key]


def _same_amount(tokens: list[Tok], start: int, english: bool) -> bool:
    """Is the number a second writing of the amount just before it ('4.2 trillion tenge or about
    $9 B', '6,5 трлн тенге (около $19 млрд)')?"""
    joiners = _words("same_amount_en" if english else "same_amount_ru")
    k = start - 1
    steps = 0
    while k >= 0 and steps < 4:
        tok = tokens[k]
        if tok.kind == "punct" and tok.text in "$€£¥₽₸":
            k -= 1
            continue
        if tok.kind == "word" and tok.text.lower() in joiners:
            before = k - 1
            while before >= 0 and tokens[before].kind == "punct" and tokens[before].text in ",(":
                before -= 1
            return before >= 0 and tokens[before].kind in ("word", "num") and any(
                t.kind == "num" for t in tokens[max(0, before - 3) : before + 1])
        if tok.kind == "punct" and tok.text == "(":
            return k > 0 and any(t.kind == "num" for t in tokens[max(0, k - 4) : k])
        if tok.kind != "word" or tok.text.lower() not in SKIP_LEFT | {"almost", "about", "around", "nearly", "roughly"}:
            return False
        k -= 1
        steps += 1
    return False


def generic(label: str) -> bool:
    """A label that says only what kind of number it is ("сумма", "доля", "показатель")."""
    low = label.lower()
    return low in FALLBACKS.values() or low in EN_FALLBACKS.values() or low in ("количество", "count") \
        or nlp.lemma(low) in GENERIC_NOUNS


def points_back(clause_before: str, english: bool) -> bool:
    """Does the clause before a number name what it measures only by pointing back ("он достиг",
    "этот показатель составлял", "it reached")?"""
    found = [w.lower() for w in re.findall(r"[\w-]+", clause_before)]
    pronouns = _words("anaphoric_en" if english else "anaphoric_ru")
    for i, word in enumerate(found):
        if word in pronouns:
            if len(word) > 4 and not english and not (i and found[i - 1] in _words("demonstratives")):
                continue  # "показатель" alone is no pointer; "этот показатель" is
            if english and word == "figure" and not (i and found[i - 1] in _words("demonstratives")):
                continue
            return True
    return False


def _share_of(tokens: list[Tok], end: int) -> str | None:
    """'35% общего запаса зерна' → 'доля общего запаса зерна'; '4% от мировой добычи урана' → 'доля от
    мировой добычи урана': a percentage followed by the genitive of what it is a share of
    (a generic noun, 'объёмов', only with the noun after it that says of what)."""
    words: list[str] = []
    k = end
    if k < len(tokens) and tokens[k].kind == "word" and tokens[k].text.lower() == "от":
        words.append("от")
        k += 1
    nouns: list[bool] = []  # for each noun taken: does it say what (not a generic one)?
    while k < len(tokens) and tokens[k].kind == "word" and len(words) < 6:
        text = tokens[k].text
        best = _best(text)
        genitive = any(p.tag.case == "gent" for p in nlp.parses(text))
        if best is None or not (genitive or text.isupper() and nouns):
            break
        if best.tag.POS in ADJ_POS and not nouns:
            words.append(text)
        elif best.tag.POS == "NOUN" and best.normal_form not in NOT_COUNTS or text.isupper():
            words.append(text)
            nouns.append(best.normal_form not in GENERIC_NOUNS)
        else:
            break
        k += 1
    if not any(nouns):
        return None
    return "доля " + " ".join(words)


def _done_to(sentence: str, tokens: list[Tok], found: _Found) -> str | None:
    """A count of people or houses says what was counted, the verb that governs it what happened:
    'эвакуировано 1200 человек' → 'эвакуировано'; 'подтоплен 90 домов' → 'подтоплен'; '15 тысяч
    человек прошли обучение' → 'прошли обучение'."""
    tree = _Tree(sentence)
    noun_tok = tokens[found.count_noun]  # type: ignore[index]
    noun = tree.at(noun_tok.start)
    if noun is None:
        return None
    head = tree.head(noun)
    # the count's own numeral may head it ("1200 человек": человек ← 1200 ← verb)
    while head is not None and head.pos == "NUM":
        head = tree.head(head)
    following = tree.index[noun.id] + 1
    if (head is None or head.pos not in ("VERB", "AUX")) and following < len(tree.tokens) \
            and tree.tokens[following].pos == "VERB":
        head = tree.tokens[following]  # "Около 300 человек вышли …" parsed loosely: the verb right after
    if head is None or head.pos not in ("VERB", "AUX") and not (head.pos == "ADJ" and head.feats.get("Variant") == "Short"):
        return None
    if nlp.lemma(head.text) in MEASURE_VERBS | _words("vague_verbs") or head.text.lower() in ("есть", "было", "будет"):
        return None
    words = [head.text.lower()]
    if head.start > noun.start:  # "… человек прошли обучение": the verb's object with it
        objects = [c for c in tree.kids(head, "obj") if c.pos in ("NOUN", "PROPN") and c.start > head.start]
        if objects:
            words.append(objects[0].text)
    label = " ".join(words)
    return label if len(label) <= 80 else None


# --------------------------------------------------------------------------------------------
# The text


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(sentence):
        if ch == ";":
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(sentence)))
    return spans


def _evidence(sentence: str, start: int, end: int, clauses: list[tuple[int, int]] | None = None) -> str:
    text = sentence.strip()
    if len(text) <= EVIDENCE_MAX:
        return text
    for a, b in clauses if clauses is not None else _clauses(sentence):
        if a <= start < b and b - a <= EVIDENCE_MAX:
            return sentence[a:b].strip()
    left = max(sentence.rfind(",", 0, max(0, start - 150)) + 1, start - 200, 0)
    right = sentence.find(",", end + 100)
    right = right if right != -1 and right - left <= EVIDENCE_MAX else min(len(sentence), left + EVIDENCE_MAX)
    return sentence[left:right].strip()


_LETTERS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _in_digits(sentence: str) -> tuple[str, list[tuple[int, int]]]:
    """The sentence with its numbers in words written in digits ("одному миллиарду человек" →
    "1 миллиарду человек", "signed eight documents" → "signed 8 documents"), read by
    `domain.numerals`, and the shifts made (position in the new text, change in length) so
    evidence is taken from the sentence as written. A small number in words counts only after a
    verb ("появятся два энергоблока"), never as a counting word ("отношения двух стран") or as
    "one" ("продавать одно сырьё")."""
    lex = numerals.lexicon()
    if not any(word.split("-")[0] in lex.numerals for word in _LETTERS.findall(sentence.lower().replace("ё", "е"))):
        return sentence, []  # no numeral in words: nothing to write in digits (most sentences)
    out, shifts, at, delta = [], [], 0, 0
    for number in numerals.read_numbers(sentence):
        if not number.words or number.times or number.unit == "fraction":
            continue
        words = number.text.split()
        spoken = 0
        while spoken < len(words) and (numerals._norm(words[spoken]).split("-")[0] in lex.numerals
                                       or words[spoken].lower() in lex.hundreds | {"and"}):
            spoken += 1
        if not spoken:
            continue
        if not number.scale and number.value < numerals.SMALL_WORDS:
            before = sentence[:number.start].split()
            last = before[-1].strip(",.;:") if before else ""
            if not last or number.value < 2 or not (_is_verb(last) or last.lower().endswith("ed")):
                continue  # "продавать одно сырьё": one is "only", no count
            value = number.value
        else:
            value = number.value if number.scale and spoken < len(words) else number.magnitude
        span_end = number.start + len(" ".join(words[:spoken]))
        if sentence[number.start:span_end] != " ".join(words[:spoken]):
            continue  # spaced unusually: leave it
        digits = numerals.as_written(value)
        out.append(sentence[at:number.start] + digits)
        at = span_end
        new_end = number.start + delta + len(digits)
        delta += len(digits) - (span_end - number.start)
        shifts.append((new_end, len(digits) - (span_end - number.start)))
    out.append(sentence[at:])
    return "".join(out), shifts


def _original(position: int, shifts: list[tuple[int, int]]) -> int:
    return position - sum(change for at, change in shifts if at <= position)


def _found_in(tokens: list[Tok], clauses: list[tuple[int, int]], clause_starts: list[int], token_starts: list[int],
              english: bool) -> list[_Found]:
    """The figures of one sentence's tokens, in order, before any is labelled."""
    founds: list[_Found] = []
    k = 0
    last: _Found | None = None  # the sentence's figure before, for a count whose noun it gave
    while k < len(tokens):
        kind = tokens[k].kind
        if kind in ("num", "range"):
            found = _figure_at(tokens, k, english)
            if found is None and kind == "num" and not english:
                found = _elided(tokens, k, last)
                if found is None:
                    position = tokens[k].start
                    clause = clauses[max(0, bisect.bisect_right(clause_starts, position) - 1)]
                    found = _self_unit(tokens, k, bisect.bisect_left(token_starts, clause[0]))
        elif kind == "glued" or kind == "word" and not english:
            found = _special_figure(tokens, k, english)
        else:
            found = None
        if found is None:
            k += 1
            continue
        last = found
        founds.append(found)
        k = max(found.end, k + 1)
    return founds


def _wants_syntax(tokens: list[Tok], found: _Found) -> bool:
    """Whether `_label` will read the sentence's syntax for this figure (its own noun says nothing)."""
    if found.label:
        return False
    if found.count_noun is None or found.measure:
        return True
    return nlp.lemma(tokens[found.count_noun].text) in _words("bare_counts")


def extract_figures(passage_text: str) -> tuple[FigureCandidate, ...]:
    """The measuring numbers of a text, in order, with unit, label, year and evidence. The
    sentences whose labels need syntax are parsed together first (natasha in batches)."""
    out: list[FigureCandidate] = []
    seen: set[tuple[Decimal, Decimal | None, str, int | None, str]] = set()
    english = detect_language(passage_text) == "en"
    prepared = []
    for s_start, s_end in nlp.sentence_spans(passage_text):
        written = passage_text[s_start:s_end]
        sentence, shifts = _in_digits(written)
        if not any(c.isdigit() for c in sentence) and not _word_figure_in(sentence):
            continue
        tokens = tokenize(sentence)
        clauses = _clauses(sentence)
        # looked up by bisection, so a sentence of thousands of figures stays linear
        clause_starts, token_starts = [a for a, _ in clauses], [t.start for t in tokens]
        founds = _found_in(tokens, clauses, clause_starts, token_starts, english)
        if founds:
            prepared.append((written, sentence, shifts, tokens, clauses, clause_starts, token_starts, founds))
    if not english:
        nlp.prefetch_docs([p[1] for p in prepared if len(p[1]) <= SYNTAX_PREFETCH_CHARS
                           and any(_wants_syntax(p[3], f) for f in p[7])])
    for written, sentence, shifts, tokens, clauses, clause_starts, token_starts, founds in prepared:
        written_clauses = clauses if written == sentence else _clauses(written)
        years = [(t.start, y) for k, t in enumerate(tokens) if (y := _year_at(tokens, k))]
        year_starts = [p for p, _ in years]
        for found in founds:
            position = tokens[found.start].start
            clause = clauses[max(0, bisect.bisect_right(clause_starts, position) - 1)]
            lower = bisect.bisect_left(token_starts, clause[0])
            lower = lower if lower < len(tokens) else 0
            first, stop = bisect.bisect_left(year_starts, clause[0]), bisect.bisect_left(year_starts, clause[1])
            at = bisect.bisect_left(year_starts, position, first, stop)  # the clause's years nearest the figure
            in_clause = [(abs(start - position), y) for start, y in years[max(first, at - 1):min(stop, at + 1)]]
            year = min(in_clause)[1] if in_clause else None
            label = _impersonal(found.label or _label(tokens, found, sentence, lower, english))
            if out and generic(label):
                # "… о 4 млрд экспорта зерна, а в этом году он превысил $7 млрд": a number that
                # only points back measures what the figure before it does; so does a second
                # writing of the same amount ("6,5 трлн тенге, или около $19 млрд")
                clause_before = sentence[clause[0] : position]
                if points_back(clause_before, english) or _same_amount(tokens, found.start, english):
                    label = out[-1].label
            evidence = _evidence(written, _original(position, shifts), _original(tokens[found.end - 1].end, shifts),
                                 written_clauses)
            key = (found.value, found.value_to, found.unit, year, evidence)
            if key not in seen:
                seen.add(key)
                out.append(FigureCandidate(found.value, found.unit, label, year, evidence, found.value_to))
    return tuple(out)


# the labeller parses a sentence whole up to this length (`_label`: len(sentence) <= 600)
SYNTAX_PREFETCH_CHARS = 600


# --------------------------------------------------------------------------------------------
# Labels from the sentence's syntax: what the verb or noun that governs the number says is
# measured ("вырос на 62%" → "рост объёма перевозок по ТМТМ", "вложить в инфраструктуру
# маршрута 3 млрд долларов" → "вложения в инфраструктуру маршрута").

# A change verb's noun: the figure after "на" is the size of the change of its subject (or, for
# a transitive verb, of its object).
CHANGE_NOUNS = {
    "вырасти": "рост", "расти": "рост", "увеличиться": "увеличение", "увеличиваться": "увеличение",
    "увеличить": "увеличение", "увеличивать": "увеличение", "прирасти": "прирост", "подняться": "рост",
    "повыситься": "повышение", "повысить": "повышение", "повышать": "повышение", "нарастить": "наращивание",
    "снизиться": "снижение", "снижаться": "снижение", "снизить": "снижение", "снижать": "снижение",
    "сократиться": "сокращение", "сокращаться": "сокращение", "сократить": "сокращение",
    "сокращать": "сокращение", "упасть": "падение", "падать": "падение", "уменьшиться": "уменьшение",
    "уменьшить": "уменьшение", "подорожать": "подорожание", "подешеветь": "удешевление",
    "ослабнуть": "ослабление", "укрепиться": "укрепление", "опуститься": "снижение",
}  # fmt: skip
# A verb whose object is the amount: the amount is the verb's noun, with what it goes to.
ACTION_NOUNS = {
    "вложить": "вложения", "вкладывать": "вложения", "инвестировать": "инвестиции",
    "экспортировать": "экспорт", "импортировать": "импорт", "вывезти": "вывоз", "ввезти": "ввоз",
    "поставить": "поставки", "поставлять": "поставки", "перевезти": "перевозки", "перевозить": "перевозки",
    "отгрузить": "отгрузки", "добыть": "добыча", "произвести": "производство", "выпустить": "выпуск",
    "потратить": "расходы", "израсходовать": "расходы", "направить": "средства", "выделить": "средства",
    "привлечь": "привлечённые средства", "заработать": "доходы", "закупить": "закупки",
    "продать": "продажи", "собрать": "сбор", "выплатить": "выплаты", "отправить": "отправки",
    "отправлять": "отправки", "принимать": "приём", "отгружать": "отгрузки", "вывозить": "вывоз",
    "ввозить": "ввоз", "собирать": "сбор", "производить": "производство", "выпускать": "выпуск",
    "экспортироваться": "экспорт", "импортироваться": "импорт",
}  # fmt: skip
# A verb of cost: the amount is what its subject costs.
COST_VERBS = frozenset({"обойтись", "обходиться", "стоить"})
# "в среднем", "в целом", "в итоге": adverbs written as prepositional phrases
ADVERBIAL_NOUNS = frozenset("среднем целом итоге сложности частности основном общем результате целях".split())
_PP_PREPOSITIONS = frozenset({"по", "за", "в", "во", "с", "со", "для", "на", "из", "под"})


def _inflected(word: str, case: str, number: str | None = None) -> str:
    """`word` (a noun or an adjective) put into `case`, keeping its number (natasha's reading
    of it in context, `number`, when given: "отгрузки" may be either)."""
    candidates = [p for p in nlp.parses(word) if p.tag.POS in (NOUN_POS | ADJ_POS)]
    if not candidates:
        return word
    if number:
        candidates.sort(key=lambda p: p.tag.number != number)
    best = candidates[0]
    grammemes = {case}
    number = number or best.tag.number
    if number:
        grammemes.add(number)
    changed = nlp.inflect_parse(best, grammemes)
    return nlp.match_case(word, changed.word) if changed else word


def _acronym_for(words: list[str], acronym: str) -> bool:
    """'Транскаспийскому международному транспортному маршруту' and 'ТМТМ'."""
    initials = "".join(w[:1] for w in words if len(w) > 2).upper()
    return len(acronym) >= 2 and initials.endswith(acronym.upper())


class _Tree:
    def __init__(self, sentence: str) -> None:
        d = nlp.doc(sentence, syntax=True, ner=False)
        self.tokens = list(d.tokens)
        self.by_id = {t.id: t for t in self.tokens}
        self.children: dict[str, list[Any]] = {}
        for t in self.tokens:
            self.children.setdefault(t.head_id, []).append(t)
        self.index = {t.id: i for i, t in enumerate(self.tokens)}

    def kids(self, token: Any, *rels: str) -> list[Any]:
        return [c for c in self.children.get(token.id, []) if not rels or c.rel in rels]

    def head(self, token: Any) -> Any | None:
        return self.by_id.get(token.head_id)

    def at(self, offset: int) -> Any | None:
        return next((t for t in self.tokens if t.start <= offset < t.stop), None)

    def subtree_span(self, token: Any) -> tuple[int, int]:
        lo = hi = self.index[token.id]
        stack = [token]
        seen = 0
        while stack and seen < 60:
            t = stack.pop()
            seen += 1
            i = self.index[t.id]
            lo, hi = min(lo, i), max(hi, i)
            stack.extend(self.children.get(t.id, []))
        return lo, hi


def _number_of(token: Any) -> str | None:
    return {"Sing": "sing", "Plur": "plur"}.get(token.feats.get("Number", ""))


def _noun_group(tree: _Tree, noun: Any, case: str | None, stop_at: int | None = None, number: str | None = None) -> str:
    """The noun with its adjectives, genitive nouns after it and one prepositional phrase that
    follows it in the text ('объём перевозок по ТМТМ'); the head and its adjectives put in
    `case` (None: as written); a name with its acronym in brackets given as the acronym."""
    words: list[str] = []
    for adj in tree.kids(noun, "amod"):
        if adj.start < noun.start and adj.pos == "ADJ" and not adj.text[:1].isdigit():
            words.append(_inflected(adj.text, case, number or _number_of(adj)) if case else adj.text)
    words = words[-2:]
    head = _inflected(noun.text, case, number or _number_of(noun)) if case else noun.text
    if tree.index[noun.id] == 0 and not words and not _proper(noun.text) and not noun.text.isupper():
        head = head[:1].lower() + head[1:]  # "Объём перевозок …" opening the sentence
    opening = tree.tokens[0]
    if words and opening.pos == "ADJ" and opening.start < noun.start and opening.head_id == noun.id \
            and not _proper(opening.text) and not opening.text.isupper() and words[0][:1].isupper():
        words[0] = words[0][:1].lower() + words[0][1:]  # "Аммиачная селитра подорожала …"
    words.append(head)
    i = tree.index[noun.id] + 1
    limit = len(tree.tokens) if stop_at is None else stop_at
    taken = 0
    while i < limit and taken < 4:
        t = tree.tokens[i]
        if t.pos in ("NOUN", "PROPN") and t.feats.get("Case") == "Gen" and not t.text[:1].isdigit():
            words.append(t.text)
            taken += 1
            i += 1
            continue
        attribute = t.pos == "ADJ" or t.pos == "VERB" and t.feats.get("VerbForm") == "Part"  # "генерирующего"
        if attribute and t.feats.get("Case") == "Gen" and i + 1 < limit and tree.tokens[i + 1].pos in ("NOUN", "ADJ", "VERB"):
            words.append(t.text)
            i += 1
            continue
        if t.pos == "CCONJ" and t.text.lower() == "и" and taken and i + 1 < limit \
                and tree.tokens[i + 1].pos == "NOUN" and tree.tokens[i + 1].feats.get("Case") == "Gen":
            words.append(t.text)
            i += 1
            continue
        break
    # one prepositional phrase right after: "по Транскаспийскому … маршруту (ТМТМ)", "за перевод"
    if i < limit and tree.tokens[i].pos == "ADP" and tree.tokens[i].text.lower() in _PP_PREPOSITIONS:
        prep = tree.tokens[i]
        j = i + 1
        phrase: list[str] = []
        while j < limit and j < i + 6 and tree.tokens[j].pos == "ADJ":
            phrase.append(tree.tokens[j].text)
            j += 1
        pp_head = tree.head(tree.tokens[j]) if j < limit else None
        elsewhere = pp_head is not None and pp_head.pos == "NOUN" and tree.index[pp_head.id] > j  # "в весе … результат"
        if j < limit and tree.tokens[j].pos in ("NOUN", "PROPN") and not tree.tokens[j].text[:1].isdigit() and not elsewhere:
            phrase.append(tree.tokens[j].text)
            j += 1
            if j + 2 < limit + 1 and j < limit and tree.tokens[j].text == "(" and j + 2 < len(tree.tokens) \
                    and tree.tokens[j + 2].text == ")" and _acronym_for(phrase, tree.tokens[j + 1].text):
                phrase = [tree.tokens[j + 1].text]
            elif j < limit and tree.tokens[j].pos in ("NOUN", "PROPN") and tree.tokens[j].feats.get("Case") == "Gen":
                phrase.append(tree.tokens[j].text)
            if (prep.text.lower() != "в" or len(phrase) <= 3) and nlp.lemma(phrase[-1]) not in GENERIC_NOUNS \
                    and phrase[-1].lower() not in ADVERBIAL_NOUNS:
                words += [prep.text.lower()] + phrase
    return " ".join(words)


LEVEL_VERBS = frozenset({"довести", "доводить", "поднять", "поднимать", "нарастить", "наращивать"})


def _subject_of(tree: _Tree, verb: Any) -> Any | None:
    # "вырос на 12%, достигнув $3,1 млрд": a gerund's subject is its clause's
    gerund = verb.rel == "advcl" and verb.feats.get("VerbForm") == "Conv"
    for v in (verb, tree.head(verb) if verb.rel in ("conj", "xcomp") or gerund else None):
        if v is None:
            continue
        found = [c for c in tree.kids(v, "nsubj", "nsubj:pass")
                 if c.pos == "NOUN" or c.pos == "PROPN" and not _proper(c.text)]  # "Товарооборот" opening a sentence
        if found:
            return found[0]
    # the parse lost the subject: the nearest noun in the nominative before the verb, in its clause
    i = tree.index[verb.id] - 1
    while i >= 0 and tree.tokens[i].text not in (",", ";", ":", "—", "–"):
        t = tree.tokens[i]
        if t.pos == "NOUN" and t.feats.get("Case") == "Nom":
            return t
        i -= 1
    return None


def _syntax_label(sentence: str, tokens: list[Tok], found: _Found) -> str | None:
    first, last = tokens[found.start], tokens[found.end - 1]
    tree = _Tree(sentence)
    inside = [t for t in tree.tokens if first.start <= t.start < last.end and t.pos != "PUNCT"]
    if not inside:
        return None
    ids = {t.id for t in inside}
    unit = next((t for t in inside if t.head_id not in ids), None)
    if unit is None:
        return None
    governor = tree.head(unit)
    if governor is not None and governor.pos == "SYM" and governor.text in "$€₽₸¥£" and governor.id not in ids:
        # "достиг $14,2 млрд": the sign stands for the amount, the verb it hangs on governs it
        sign_head = tree.head(governor)
        if sign_head is None or sign_head.pos != "VERB" or sign_head.id in ids:
            return None
        ids.add(governor.id)
        unit, governor = governor, sign_head
    if governor is None:  # "доля рубля в расчётах — 82%": the amount is the root, its subject says what
        subjects = [c for c in tree.kids(unit, "nsubj") if c.pos == "NOUN" and c.start < first.start]
        return _noun_group(tree, subjects[0], "nomn") if subjects and not _proper(subjects[0].text) else None
    begin = first.start
    if found.start >= 2 and tokens[found.start - 1].text in "–—-" and tokens[found.start - 2].kind == "num":
        begin = tokens[found.start - 2].start  # "на 12–15%"
    before = sentence[max(0, begin - 14) : begin].lower().split()
    left = next((w for w in reversed(before) if w not in SKIP_LEFT), None)
    after_na = bool(before) and before[-1] == "на" or len(before) > 1 and before[-2] == "на" and before[-1] in SKIP_LEFT \
        or found.kind == "times"  # "выросла в 3,5 раза": a change, as "на 5%"
    left_best = _best(left.strip(",.;:()")) if left else None
    if left and not after_na and left[:1].islower() and left_best is not None and left_best.tag.POS == "NOUN" \
            and left_best.tag.case == "ablt":
        return None  # "мощностью 240 тыс. TEU", "протяжённостью 280 км": the noun before says it
    reassigned = False
    first_inside = tree.index[inside[0].id]
    near = tree.index.get(governor.id, -9) in (first_inside - 1, first_inside - 2) or governor.start > first.start
    if governor.pos != "VERB" and (governor.pos == "PROPN" or _proper(governor.text) or not near):
        # a parse that hangs the amount on a name ("… с Туркменистаном 180 млрд тенге"): the
        # nearest verb before it that spends or moves an amount governs it
        verbs = [t for t in tree.tokens if t.pos == "VERB" and t.start < first.start and nlp.lemma(t.text) in ACTION_NOUNS]
        if verbs:
            governor, reassigned = verbs[-1], True
    elif governor.pos != "VERB" and governor.start > first.start and first_inside >= 1:
        # a parse that hangs the amount on a noun after it ("собрали около 26,7 млн тонн зерна —
        # это лучший результат"): a verb that moves or gathers an amount just before it governs it
        for k in range(first_inside - 1, max(first_inside - 4, -1), -1):
            t = tree.tokens[k]
            if t.pos == "VERB" and nlp.lemma(t.text) in ACTION_NOUNS:
                governor, reassigned = t, True
                break
            if t.pos == "PUNCT":
                break
    if governor.pos == "VERB":
        verb_lemma = nlp.lemma(governor.text)
        after_do = bool(before) and before[-1] == "до" or len(before) > 1 and before[-2] == "до" and before[-1] in SKIP_LEFT
        if (verb_lemma in CHANGE_NOUNS or verb_lemma in LEVEL_VERBS) and after_do:  # "увеличить пропускную способность порта до 9 млн т": the level it reaches
            objects = [c for c in tree.kids(governor, "obj") if c.pos == "NOUN" and c.id not in ids]
            thing = objects[0] if objects else _subject_of(tree, governor)
            if thing is not None and not _proper(thing.text) and nlp.lemma(thing.text) not in ("это", "он", "она", "оно", "они"):
                stop = tree.index[governor.id] if governor.start > thing.start else None
                return _noun_group(tree, thing, "nomn", stop)
            return None
        if verb_lemma in CHANGE_NOUNS and after_na:
            objects = [c for c in tree.kids(governor, "obj") if c.pos == "NOUN" and c.id not in ids]
            thing = objects[0] if objects else _subject_of(tree, governor)
            if thing is not None and not _proper(thing.text):
                stop = tree.index[governor.id] if governor.start > thing.start else None
                number = _number_of(governor) if not objects else None  # the verb agrees with its subject
                return f"{CHANGE_NOUNS[verb_lemma]} {_noun_group(tree, thing, 'gent', stop, number)}"
            return CHANGE_NOUNS[verb_lemma]
        if verb_lemma in COST_VERBS:  # "Строительство обошлось в 7,4 млрд тенге"
            thing = _subject_of(tree, governor)
            if thing is not None and not _proper(thing.text) and nlp.lemma(thing.text) not in ("это", "он", "она"):
                stop = tree.index[governor.id] if governor.start > thing.start else None
                return f"стоимость {_noun_group(tree, thing, 'gent', stop)}"
            return "стоимость"
        if verb_lemma in MEASURE_VERBS or verb_lemma in CHANGE_NOUNS:
            thing = _subject_of(tree, governor)
            if thing is not None and not _proper(thing.text) and nlp.lemma(thing.text) not in ("это", "он", "она"):
                stop = tree.index[governor.id] if governor.start > thing.start else None
                return _noun_group(tree, thing, "nomn", stop)
            return None
        later = governor.start > last.end and (any(
            t.text in ",;:—–" for t in tree.tokens[tree.index[unit.id] : tree.index[governor.id]])
            or any(k.text.lower() == "не" for k in tree.kids(governor, "advmod")))
        if verb_lemma in ACTION_NOUNS and (reassigned or unit.rel in ("obj", "obl", "nsubj:pass")) and not later:
            label = ACTION_NOUNS[verb_lemma]
            goods = [c for c in tree.kids(unit, "nmod") if c.pos == "NOUN" and c.feats.get("Case") == "Gen"]
            if goods:
                return f"{label} {_noun_group(tree, goods[0], None)}"
            for c in tree.kids(governor, "obl", "iobj", "obj"):
                case = [k for k in tree.kids(c, "case") if k.text.lower() in ("в", "на", "во")]
                if case and c.pos in ("NOUN", "PROPN") and c.id not in ids and not c.text[:1].isdigit():
                    return f"{label} {case[0].text.lower()} {_noun_group(tree, c, None)}"
            return label
        return None
    if governor.pos == "NOUN" and governor.id not in ids and not _proper(governor.text):
        noun = governor
        if nlp.lemma(noun.text) in GENERIC_NOUNS:
            noun = tree.head(noun)
            if noun is None or noun.pos != "NOUN" or _proper(noun.text):
                return None
        if noun.start > first.start and unit.rel != "parataxis":
            return None  # a noun after the number is the count's own noun: the older rules read it
        return _noun_group(tree, noun, "nomn")
    return None
