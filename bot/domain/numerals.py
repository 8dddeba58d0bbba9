"""Numbers as a person reads them: in digits or in words, with their scale, unit, range, bound,
period and multiplier ("более 28 млрд долларов", "14–15 млрд", "вдвое", "девятьсот миллиардов",
"one-third", "$19 B", "1,511-kilometre", "в 2024 году").

`read_numbers(text)` finds every number a text writes and says what each is; the faithfulness
rules compare an editor's or a model's numbers with the source's through it, and the article
reader takes its figures' values from it. The words it knows are data:
`lexicons/numbers.yaml` (numerals, scales, units, multipliers, bounds, periods).

One linear pass over the text's tokens; each number is judged by the few tokens around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON = Path(__file__).with_name("lexicons") / "numbers.yaml"
CURRENCIES = frozenset({"USD", "EUR", "RUB", "KZT", "CNY", "GBP"})
_SPACE = " \u00a0\u202f\u2009\u2007"
_DASHES = "–—-‒‐"
# a digit run with its decimal or grouping marks, a word (inner hyphens kept), or one sign
_TOKEN = re.compile(r"(\d+(?:[.,]\d+)*)|([^\W\d_]+(?:[-‐][^\W\d_]+)*)|(\S)")
YEAR_WORDS = ("год", "году", "года", "годом", "годе", "годах", "годы", "годов", "г", "гг", "year")
YEAR_BEFORE = frozenset({"in", "by", "since", "until", "of", "during"})
NAME_BEFORE = frozenset({"№", "#", "no", "n", "номер", "номера", "номером", "стр", "page", "p", "pp", "п", "ст",
                         "статья", "статьи", "пункт", "глава", "гл", "том", "выпуск", "рейс", "version", "v",
                         "gmt", "utc"})  # fmt: skip
# a count in words smaller than this, with no scale, unit or multiplier ("двух стран", "one of"),
# is a counting word, not a figure
SMALL_WORDS = 10


@dataclass(frozen=True)
class Number:
    """One number as written. `value` is before its scale: 28 of "28 млрд"."""

    value: Decimal
    start: int
    end: int
    text: str  # as written, with its unit
    scale: int = 0  # power of ten: 3 тыс., 6 млн, 9 млрд, 12 трлн
    unit: str | None = None  # family: USD, EUR, RUB, KZT, CNY, GBP, %, p.p., t, km, m3, GW, MW, …
    times: bool = False  # a multiplier: "вдвое", "в 3 раза", "twice"
    value_to: Decimal | None = None  # a range's upper end ("14–15 млрд")
    bound: str | None = None  # more, less, about, up_to ("более", "около", "до")
    period: str | None = None  # year, month, day ("в год")
    year: bool = False  # a year used as a date ("в 2024 году", "in 2024")
    words: bool = False  # written in words
    name: bool = False  # part of a name, model, date, time or ordinal (Су-35, 5G, №5, 79th, 12:50)
    unit_words: str = ""  # the unit as written after the number ("млрд долларов")

    @property
    def magnitude(self) -> Decimal:
        return self.value.scaleb(self.scale)

    @property
    def upper(self) -> Decimal | None:
        return self.value_to.scaleb(self.scale) if self.value_to is not None else None

    @property
    def measured(self) -> bool:
        """A figure-like number: it has a scale, a unit, a range or is a multiplier."""
        return bool(self.scale or self.unit or self.times or self.value_to is not None)

    @property
    def checked(self) -> bool:
        """Whether a text's number is held to its source: every number in digits that is no
        name, and a number in words that is more than a counting word."""
        if self.name:
            return False
        if self.words:
            return self.measured or self.value >= SMALL_WORDS
        return True


# --------------------------------------------------------------------------------------------
# The lexicon


@dataclass(frozen=True)
class _Lexicon:
    numerals: dict[str, Decimal]
    hundreds: frozenset[str]
    scales: dict[str, int]
    scale_letters: dict[str, int]
    units: dict[tuple[str, ...], str]  # a phrase's words → family
    unit_longest: int
    times_words: dict[str, Decimal]
    times_after: frozenset[str]
    fractions: dict[str, int]
    bounds: dict[tuple[str, ...], str]
    periods: dict[tuple[str, ...], str]
    changes: tuple[str, ...]  # starts of words of change: "от X до Y" after one is no range
    rank_nouns: frozenset[str]
    ordinals: dict[str, Decimal]  # every case form of an ordinal in words → its value
    compound_durations: tuple[tuple[str, str], ...]  # (start of the word after the hyphen, unit)


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_norm(m.group()) for m in _TOKEN.finditer(text) if m.group() != ".")


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    numerals = {_norm(w): Decimal(str(v)) for key in ("words_ru", "words_en") for v, ws in data[key].items() for w in ws}
    units = {_phrase(w): family for family, ws in data["units"].items() for w in ws}
    return _Lexicon(
        numerals=numerals,
        hundreds=frozenset(data["hundreds"]),
        scales={_norm(w): int(p) for p, ws in data["scales"].items() for w in ws},
        scale_letters={w: int(p) for p, ws in data["scale_letters"].items() for w in ws},
        units=units,
        unit_longest=max(len(k) for k in units),
        times_words={_norm(w): Decimal(str(v)) for v, ws in data["times_words"].items() for w in ws},
        times_after=frozenset(_norm(w) for w in data["times_after"]),
        fractions={_norm(w): int(d) for d, ws in data["fractions"].items() for w in ws},
        bounds={_phrase(w): b for b, ws in data["bounds"].items() for w in ws},
        periods={_phrase(w): p for p, ws in data["periods"].items() for w in ws},
        changes=tuple(_norm(w) for w in data["changes"]),
        rank_nouns=frozenset(_norm(w) for w in data["rank_nouns"]),
        ordinals={_norm(stem + ending): Decimal(str(v)) for v, stems in data["ordinal_stems"].items()
                  for stem in stems for ending in data["ordinal_endings"]},
        compound_durations=tuple((_norm(start), unit) for unit, starts in data["compound_durations"].items()
                                 for start in starts),
    )


def rank_noun(word: str) -> bool:
    """A word for a place in a ranking ("место", "place"): an ordinal before it is a rank."""
    return _norm(word) in lexicon().rank_nouns


def ordinal_value(word: str) -> Decimal | None:
    """The value of an ordinal written in words ("седьмом" → 7), else None."""
    return lexicon().ordinals.get(_norm(word))


def compound_duration(word: str) -> str | None:
    """The unit of a duration written as the second half of "12-дневный" ("дневного" → "дней")."""
    low = _norm(word)
    return next((unit for start, unit in lexicon().compound_durations
                 if low.startswith(start) and (start[0] not in "abcdefghijklmnopqrstuvwxyz" or low in (start, start + "s"))),
                None)  # English whole: "day", not "daylight"


def is_change_word(word: str) -> bool:
    """A verb or noun of change ("увеличится", "рост"): "от 6% до 31%" after it is a change from
    one value to another, two numbers, not a range."""
    return _norm(word).startswith(lexicon().changes)


def _change_before(toks: list[_Tok], at: int) -> bool:
    """Whether one of the three words before toks[at] ("от") is a word of change, within its
    clause."""
    k = at - 1
    while k >= 0 and at - k <= 3 and toks[k].kind == "word":
        if is_change_word(toks[k].text):
            return True
        k -= 1
    return False


# --------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, word, sign
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return _norm(self.text)


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = "num" if m.group(1) else "word" if m.group(2) else "sign"
        out.append(_Tok(kind, m.group(), m.start(), m.end()))
    return out


def _gap(text: str, a: _Tok, b: _Tok) -> str:
    return text[a.end:b.start]


def _spaced(text: str, a: _Tok, b: _Tok, most: int = 1) -> bool:
    """b follows a after at most `most` spaces (no line break, nothing else)."""
    gap = _gap(text, a, b)
    return len(gap) <= most and all(c in _SPACE for c in gap)


def detect_english(text: str) -> bool:
    latin = sum(1 for c in text if "a" <= c.lower() <= "z")
    cyrillic = sum(1 for c in text if "а" <= c.lower() <= "я" or c in "ёЁ")
    return latin > cyrillic


# --------------------------------------------------------------------------------------------
# Reading


def _digits(text: str, toks: list[_Tok], i: int, english: bool) -> tuple[Decimal, int] | None:
    """The value of the digits at toks[i] (thousands grouped by spaces or, in English, commas),
    and the index after them; None for a date or a version (12.11.2025, 1.2.3)."""
    raw = toks[i].text
    j = i + 1
    if re.fullmatch(r"\d{1,3}", raw):
        while j < len(toks) and toks[j].kind == "num" and re.fullmatch(r"\d{3}(?:[.,]\d+)?", toks[j].text) \
                and _gap(text, toks[j - 1], toks[j]) in tuple(_SPACE):
            raw += toks[j].text
            j += 1
    if english and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", raw):  # 1.200.000
        raw = raw.replace(".", "")
    if raw.count(".") + raw.count(",") > 1:
        return None
    try:
        return Decimal(raw.replace(",", ".")), j
    except InvalidOperation:
        return None


def _words_number(toks: list[_Tok], i: int, text: str) -> tuple[Decimal, int, int] | None:
    """A number in words at toks[i]: (value, scale, index after). "двадцать тысяч" → (20, 3),
    "девятьсот миллиардов" → (900, 9), "сто двадцать тысяч триста" → (120300, 0)."""
    lex = lexicon()
    total = Decimal(0)
    current: Decimal | None = None
    last_scale = 0
    scales_seen = 0
    j = i
    while j < len(toks):
        tok = toks[j]
        if tok.text == "," and current is None and last_scale and j + 1 < len(toks) \
                and toks[j + 1].low.split("-")[0] in lex.numerals and _gap(text, toks[j - 1], tok) == "":
            j += 1  # "one thousand, five hundred"
            continue
        if tok.kind != "word" or (j > i and not _spaced(text, toks[j - 1], tok, 2)):
            break
        parts = tok.low.split("-") if "-" in tok.low else [tok.low]
        if all(p in lex.numerals for p in parts) and len(parts) <= 2:
            add = sum((lex.numerals[p] for p in parts), Decimal(0))
            current = (current or Decimal(0)) + add
            last_scale = 0
        elif tok.low in lex.hundreds and current is not None:
            current *= 100
            last_scale = 0
        elif tok.low in lex.scales and current is not None:
            power = lex.scales[tok.low]
            total += current.scaleb(power)
            current, last_scale = None, power
            scales_seen += 1
        elif tok.low == "and" and (current is not None or last_scale) and j + 1 < len(toks) \
                and toks[j + 1].low.split("-")[0] in lex.numerals:
            pass
        else:
            break
        j += 1
    if j == i or (current is None and total == 0 and last_scale == 0):
        return None
    if current is None and scales_seen == 1 and last_scale:
        return total.scaleb(-last_scale).normalize(), last_scale, j  # "двадцать тысяч": 20 thousand
    if current is None and scales_seen and last_scale:  # the last word a scale: end there
        value = total.scaleb(-last_scale)
        return value.normalize(), last_scale, j
    return (total + (current or 0)).normalize(), 0, j


def _match(toks: list[_Tok], j: int, table: dict[tuple[str, ...], str], longest: int = 4) -> tuple[str, int] | None:
    """The longest phrase of `table` starting at toks[j] (dots inside skipped): (value, index after)."""
    words: list[str] = []
    ends: list[int] = []
    k = j
    while k < len(toks) and len(words) < longest:
        if toks[k].text == "." and words:
            k += 1
            continue
        words.append(toks[k].low)
        k += 1
        ends.append(k)
    for n in range(len(words), 0, -1):
        found = table.get(tuple(words[:n]))
        if found is not None:
            end = ends[n - 1]
            return found, end
    return None


def _bound_before(toks: list[_Tok], i: int) -> str | None:
    table = lexicon().bounds
    for n in (3, 2, 1):
        if i - n >= 0 and all(t.kind == "word" for t in toks[i - n:i]):
            found = table.get(tuple(t.low for t in toks[i - n:i]))
            if found:
                return found
    return None


def _unit_after(text: str, toks: list[_Tok], k: int) -> tuple[str, int] | None:
    """A unit right after the number or its scale ("млрд долларов", "%", "-kilometre")."""
    if k >= len(toks):
        return None
    tok = toks[k]
    lex = lexicon()
    if tok.kind == "sign" and tok.text in _DASHES and k + 1 < len(toks) and toks[k + 1].kind == "word" \
            and _gap(text, toks[k - 1], tok) == "" and _gap(text, tok, toks[k + 1]) == "":
        found = _match(toks, k + 1, lex.units, 1)  # "1,511-kilometre"
        return (found[0], found[1]) if found else None
    if tok.kind == "word" and "-" in tok.text:  # "kilometre-long"
        head = tok.low.split("-")[0]
        if (head,) in lex.units:
            return lex.units[(head,)], k + 1
    found = _match(toks, k, lex.units, lex.unit_longest)
    if found is None:
        return None
    family, end = found
    if family == "t" and toks[k].low == "т" and end < len(toks) and toks[end - 1].text == "." \
            and end < len(toks) and toks[end].kind == "word" and len(toks[end].text) <= 2:
        return None  # т.е., т.д.
    if end < len(toks) and toks[end].text == "." and toks[end - 1].kind == "word" and len(toks[end - 1].text) <= 5 \
            and toks[end].start == toks[end - 1].end:
        end += 1  # the abbreviation's dot: "долл."
    if family == "USD" and end < len(toks) and toks[end].text in ("США", "US"):
        end += 1
    return family, end


def _year_at(text: str, toks: list[_Tok], i: int, end: int) -> bool:
    tok = toks[i]
    if not re.fullmatch(r"\d{4}", tok.text) or not 1900 <= int(tok.text) <= 2100:
        return False
    after = toks[end] if end < len(toks) else None
    if after and after.kind == "word" and after.low in YEAR_WORDS:
        return True
    if after and after.kind == "sign" and after.text in _DASHES and end + 1 < len(toks) and toks[end + 1].kind == "word" \
            and _gap(text, tok, after) == "" and len(toks[end + 1].text) <= 3:
        return True  # 2024-м, 2024-го
    before = toks[i - 1] if i else None
    return bool(before and before.kind == "word" and before.low in YEAR_BEFORE | {"в", "к", "с", "до", "по", "от"})


def _is_name(text: str, toks: list[_Tok], i: int, end: int) -> bool:
    """Digits that are part of a name, model, date, time, ordinal or serial number."""
    tok = toks[i]
    before = toks[i - 1] if i else None
    after = toks[end] if end < len(toks) else None
    if before and before.kind == "sign" and before.text in _DASHES and i >= 2 and toks[i - 2].kind == "word" \
            and _gap(text, toks[i - 2], before) == "" and _gap(text, before, tok) == "":
        return True  # Су-35, ВВЭР-1200
    if before and before.kind == "word" and _gap(text, before, tok) == "":
        return True  # G20, AIF2025
    if before and (before.text in "№#" or before.low in NAME_BEFORE and (before.text[-1:] != "." or True)):
        return before.text in "№#" or before.low not in ("n", "p", "п", "v") or _gap(text, before, tok) in ("", " ")
    if before and before.text == "." and i >= 2 and toks[i - 2].low in NAME_BEFORE:
        return True  # с. 5, п. 3, стр. 12
    if after and after.kind == "word" and _gap(text, tok, after) == "" and not _unit_after(text, toks, end) \
            and after.low not in lexicon().scales and after.low not in lexicon().scale_letters \
            and not _rank_after(text, toks, end):
        return True  # 5G, 79th, 3D (but "7th place" is a rank)
    if after and after.kind == "sign" and after.text in ":/" and end + 1 < len(toks) and toks[end + 1].kind == "num" \
            and _gap(text, tok, after) == "" and _gap(text, after, toks[end + 1]) == "":
        return True  # 12:50, 3/4
    if before and before.kind == "sign" and before.text in ":/" and i >= 2 and toks[i - 2].kind == "num" \
            and _gap(text, before, tok) == "":
        return True
    if after and after.kind == "sign" and after.text in _DASHES and end + 1 < len(toks) and toks[end + 1].kind == "word" \
            and _gap(text, tok, after) == "" and _gap(text, after, toks[end + 1]) == "" \
            and not _unit_after(text, toks, end):
        # 5-й, 11-х, 20-футовых; but a rank ("12-е место") and a duration ("12-дневного") are numbers
        return not (_rank_after(text, toks, end + 1) or compound_duration(toks[end + 1].text))
    return False


ORDINAL_SUFFIXES_RU = frozenset("е й м я х го ом ое ой ая ый ую ые ых ым ему".split())
ORDINAL_SUFFIXES_EN = frozenset("st nd rd th".split())


def _rank_after(text: str, toks: list[_Tok], k: int) -> bool:
    """toks[k] is an ordinal's ending ("е" of "12-е", "th" of "7th") and a rank noun follows."""
    if k + 1 >= len(toks) or toks[k].low not in ORDINAL_SUFFIXES_RU | ORDINAL_SUFFIXES_EN:
        return False
    return toks[k + 1].kind == "word" and rank_noun(toks[k + 1].text) and _spaced(text, toks[k], toks[k + 1], 2)


def read_numbers(text: str) -> list[Number]:
    """Every number `text` writes, in order, each with what the words around it say."""
    lex = lexicon()
    english = detect_english(text)
    toks = _tokens(text)
    out: list[Number] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "word" and tok.low in lex.times_words:
            out.append(Number(lex.times_words[tok.low], tok.start, tok.end, tok.text, times=True, words=True))
            i += 1
            continue
        if tok.kind == "word" and tok.low in lex.ordinals and i + 1 < len(toks) and toks[i + 1].kind == "word" \
                and rank_noun(toks[i + 1].text):  # "на седьмом месте": a rank
            out.append(Number(lex.ordinals[tok.low], tok.start, tok.end, tok.text, words=True))
            i += 1
            continue
        if tok.kind == "word" and "-" in tok.low:  # "one-third", "two-thirds"
            head, _, tail = tok.low.partition("-")
            if head in lex.numerals and tail in lex.fractions:
                value = (lex.numerals[head] / lex.fractions[tail]).quantize(Decimal("0.000001"))
                out.append(Number(value, tok.start, tok.end, tok.text, unit="fraction", words=True))
                i += 1
                continue
        if tok.kind == "num":
            read = _digits(text, toks, i, english)
            if read is None:
                out.append(Number(Decimal(0), tok.start, tok.end, tok.text, name=True))
                i += 1
                continue
            value, j = read
            words = False
            scale = 0
        elif tok.kind == "word" and (tok.low in lex.numerals or tok.low.split("-")[0] in lex.numerals):
            found = _words_number(toks, i, text)
            if found is None:
                i += 1
                continue
            value, scale, j = found
            words = True
            if j < len(toks) and toks[j].low in lex.fractions and value < 10 and not scale:  # "две трети"
                value = (value / lex.fractions[toks[j].low]).quantize(Decimal("0.000001"))
                out.append(Number(value, tok.start, toks[j].end, text[tok.start:toks[j].end], unit="fraction", words=True))
                i = j + 1
                continue
        else:
            i += 1
            continue
        number = _read_around(text, toks, i, j, value, scale, words, english)
        out.append(number)
        i = _next_index(toks, number, i)
    return out


def _next_index(toks: list[_Tok], number: Number, i: int) -> int:
    k = i + 1
    while k < len(toks) and toks[k].start < number.end:
        k += 1
    return k


def _read_around(text: str, toks: list[_Tok], i: int, j: int, value: Decimal, scale: int, words: bool,
                 english: bool) -> Number:
    """The number at toks[i:j] with its sign, bound, range, scale, unit and period."""
    lex = lexicon()
    start = toks[i].start
    unit = None
    sign_before = i and toks[i - 1].kind == "sign" and toks[i - 1].text in "$€₽₸¥£"
    if sign_before:
        unit = lex.units[(toks[i - 1].text,)]
        start = toks[i - 1].start
    elif i >= 2 and toks[i - 1].low in ("us$",):
        unit = "USD"
    first = i - 1 if sign_before else i
    bound = _bound_before(toks, first)
    if not words and _is_name(text, toks, i, j):
        return Number(value, toks[i].start, toks[j - 1].end, text[toks[i].start:toks[j - 1].end], name=True)
    value_to = None
    k = j
    # a range: "14–15 млрд", "8-9 миллионов тонн", "от 8 до 10"
    if k + 1 < len(toks) and toks[k].kind == "sign" and toks[k].text in _DASHES and toks[k + 1].kind == "num" \
            and len(_gap(text, toks[k - 1], toks[k])) <= 1 and len(_gap(text, toks[k], toks[k + 1])) <= 1:
        read = _digits(text, toks, k + 1, english)
        if read and read[0] > value:
            value_to, k = read
    elif first and toks[first - 1].low == "от" and k + 1 < len(toks) and toks[k].low == "до" and toks[k + 1].kind == "num" \
            and not _change_before(toks, first - 1):
        read = _digits(text, toks, k + 1, english)
        if read and read[0] > value:
            value_to, k = read
            bound = None
    elif first and toks[first - 1].low == "от" and k + 3 < len(toks) and toks[k].text == "%" and toks[k + 1].low == "до" \
            and toks[k + 2].kind == "num" and not _change_before(toks, first - 1):
        read = _digits(text, toks, k + 2, english)  # "от 50% до 55%": the unit written at both ends
        if read and read[0] > value and read[1] < len(toks) and toks[read[1]].text == "%":
            value_to, k = read
            bound = None
    elif first and toks[first - 1].low == "between" and k + 1 < len(toks) and toks[k].low == "and" and toks[k + 1].kind == "num":
        read = _digits(text, toks, k + 1, english)
        if read and read[0] > value:
            value_to, k = read
    after_value = k
    # the scale: "28 млрд", "1,5 тыс.", "$19 B"
    if not scale and k < len(toks) and toks[k].kind == "word" and toks[k].low in lex.scales \
            and _spaced(text, toks[k - 1], toks[k], 2):
        scale = lex.scales[toks[k].low]
        k += 1
        if k < len(toks) and toks[k].text == "." and toks[k].start == toks[k - 1].end and len(toks[k - 1].text) <= 4:
            k += 1  # тыс., млн.
    elif not scale and unit and k < len(toks) and toks[k].kind == "word" and toks[k].text in lex.scale_letters \
            and _spaced(text, toks[k - 1], toks[k]):
        scale = lex.scale_letters[toks[k].text]
        k += 1
    times = False
    if k < len(toks) and toks[k].kind == "word" and toks[k].low in lex.times_after and _spaced(text, toks[k - 1], toks[k]):
        times = True
        k += 1
    elif k < len(toks) and _spaced(text, toks[k - 1], toks[k]) or (k < len(toks) and toks[k].text in _DASHES):
        found = _unit_after(text, toks, k)
        if found:
            family, k = found
            unit = unit or family
        elif not unit and k < len(toks) and toks[k].kind == "sign" and toks[k].text in "$€₽₸¥£":
            unit = lex.units[(toks[k].text,)]
            k += 1
    unit_words = text[toks[after_value].start:toks[k - 1].end] if k > after_value else ""
    if first and toks[first - 1].low == "в" and k < len(toks) and toks[k].low in lex.times_after:
        times = True
        k += 1
    period = None
    if k < len(toks):
        found_period = _match(toks, k, lex.periods, 3)
        if found_period:
            period, k = found_period
    end = toks[k - 1].end
    number = Number(value, start, end, text[start:end], scale=scale, unit=unit, times=times, value_to=value_to,
                    bound=bound, period=period, words=words, unit_words=unit_words.strip())
    if not number.measured and not words and _year_at(text, toks, i, j):
        return Number(value, toks[i].start, toks[j - 1].end, toks[i].text, year=True)
    if not (scale or unit or times) and not words and re.fullmatch(r"\d{4}", toks[i].text) and 1900 <= value <= 2100 \
            and (value_to is None and j < len(toks) and toks[j].text in _DASHES or value_to is not None and value_to <= 2100):
        return Number(value, start, end, text[start:end], year=True)  # 2025-2026: years
    return number


def years_of(text: str) -> list[Number]:
    return [n for n in read_numbers(text) if n.year]


def as_written(value: Decimal) -> str:
    """A value as a Russian text writes it: 4, 1,5."""
    return format(value.normalize(), "f").replace(".", ",")


@dataclass(frozen=True)
class Measure:
    """What a figure measures, read from its unit: its family and its value with the scale.

    `family` is the lexicon's unit family where the unit names one (USD for "млрд долларов" and
    "billion dollars", % for "процентов"), else the unit's own words after its scale ("компаний"
    of "тысяч компаний"), "times" for a multiplier; None where the unit is a bare scale ("млрд",
    "billion"): an amount whose unit (a currency, say) the source does not state."""

    family: str | None
    magnitude: Decimal


def measure(value: Decimal, unit: str) -> Measure:
    """The family and magnitude of `value` in `unit`, as `read_numbers` reads "4 млрд долларов"."""
    written = as_written(value)
    numbers = read_numbers(f"{written} {unit}")
    number = numbers[0] if numbers else None
    if number is None or number.start != 0 or number.name or number.year:
        return Measure(" ".join(_phrase(unit)) or None, value)
    rest = unit.strip()
    if number.unit_words and rest.startswith(number.unit_words):
        rest = rest[len(number.unit_words):]
    if number.times:
        family: str | None = "times"
    else:
        family = number.unit or " ".join(_phrase(rest)) or None
    return Measure(family, number.magnitude)
