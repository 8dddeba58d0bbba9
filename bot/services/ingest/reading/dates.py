"""Dates as news pages write them: header lines ("date 2025-11-12", "12.11.2025, 14:35"),
datelines ("АСТАНА, 12 ноября. /Корр./ –") and words ("12 ноября 2025 года").

Every function here looks at a bounded prefix of a line, so none of them can be slow on a long
line; the regular expressions have no nested quantifiers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("января", "январь", "янв", "january", "jan"),
    2: ("февраля", "февраль", "фев", "февр", "february", "feb"),
    3: ("марта", "март", "мар", "march", "mar"),
    4: ("апреля", "апрель", "апр", "april", "apr"),
    5: ("мая", "май", "may"),
    6: ("июня", "июнь", "июн", "june", "jun"),
    7: ("июля", "июль", "июл", "july", "jul"),
    8: ("августа", "август", "авг", "august", "aug"),
    9: ("сентября", "сентябрь", "сен", "сент", "september", "sep", "sept"),
    10: ("октября", "октябрь", "окт", "october", "oct"),
    11: ("ноября", "ноябрь", "ноя", "нояб", "november", "nov"),
    12: ("декабря", "декабрь", "дек", "december", "dec"),
}
MONTHS: dict[str, int] = {form: number for number, forms in _MONTH_FORMS.items() for form in forms}
MONTH_WORDS = frozenset(MONTHS)
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

HEAD = 240  # how much of a line the date functions read

ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
DOTTED = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
WORDS = re.compile(rf"(?<!\d)(\d{{1,2}}) ({_MONTH_ALT})\.?(?:,? (\d{{4}})(?: года| год| г\.?)?)?(?![\w])", re.I)
WORDS_EN = re.compile(rf"\b({_MONTH_ALT})\.? (\d{{1,2}}),? (\d{{4}})\b", re.I)
TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    date: dt.date | None  # None when the text gives no year
    words: str  # as written
    start: int
    end: int


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if 1900 <= year <= 2100 else None


def find_date(text: str, *, allow_no_year: bool = True) -> FoundDate | None:
    """The first date in the first HEAD characters: 2025-11-12, 12.11.2025, 12 ноября 2025
    (года), November 12, 2025; "12 ноября" (no year) gives a FoundDate with date None."""
    head = text[:HEAD]
    found: list[FoundDate] = []
    for m in ISO.finditer(head):
        value = _date(int(m[1]), int(m[2]), int(m[3]))
        if value:
            found.append(FoundDate(value, m[0], m.start(), m.end()))
    for m in DOTTED.finditer(head):
        value = _date(int(m[3]), int(m[2]), int(m[1]))
        if value:
            found.append(FoundDate(value, m[0], m.start(), m.end()))
    for m in WORDS.finditer(head):
        month = MONTHS[m[2].lower()]
        if m[3]:
            value = _date(int(m[3]), month, int(m[1]))
            if value:
                found.append(FoundDate(value, m[0], m.start(), m.end()))
        elif allow_no_year and 1 <= int(m[1]) <= 31:
            found.append(FoundDate(None, m[0], m.start(), m.end()))
    for m in WORDS_EN.finditer(head):
        value = _date(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
        if value:
            found.append(FoundDate(value, m[0], m.start(), m.end()))
    if not found:
        return None
    first = min(found, key=lambda f: (f.start, f.date is None))
    words = first.words.rstrip(".") if not first.words.endswith("г.") else first.words
    return FoundDate(first.date, words, first.start, first.start + len(words))


# --------------------------------------------------------------------------------------------
# Header lines: a line that is only a date and/or time, with labels around it

_TIMESTAMP_WORDS = frozenset(
    """date дата опубликовано опубликован опубликована обновлено обновлён обновлен изменено дата публикации
    публикации published updated posted сегодня вчера today yesterday в г года год гг at on
    понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье
    пн вт ср чт пт сб вс mon tue wed thu fri sat sun monday tuesday wednesday thursday friday
    saturday sunday время мск msk utc gmt ast am pm ago hour hours minute minutes назад час часа часов
    минут минуту минуты новости политика экономика общество мир спорт
    происшествия культура мнение интервью аналитика регионы бизнес""".split()
)
ISO_TIME_PART = re.compile(r"\d{1,2}t\d{1,2}|\d{1,2}[+-]\d{2,4}z?|\d{1,2}z")  # "2025-09-09T12:50+0300"
_SEPARATORS = set(" ,.|/:;–—-()\u2022·")


def timestamp_line(line: str) -> FoundDate | None | bool:
    """For a line that is only a date/time stamp ("12.11.2025, 14:35", "date 2025-11-12",
    "Опубликовано: 12 ноября 2025, 14:35", "Сегодня, 14:35"): its date (a FoundDate, or True
    when the stamp has no date, only a time). False for any other line."""
    if len(line) > 80 or not line.strip():
        return False
    has_digit = False
    word: list[str] = []
    tokens: list[str] = []
    for ch in line + " ":
        if ch in _SEPARATORS:
            if word:
                tokens.append("".join(word))
                word = []
        else:
            word.append(ch)
    for token in tokens:
        low = token.lower()
        if token.isdigit() or len(token) in (5, 6) and token[:4].isdigit() and low[4:] in ("г", "гг"):
            has_digit = True  # "2016г.": the year's abbreviation glued to it
            continue
        if low in _TIMESTAMP_WORDS or low in MONTH_WORDS:
            continue
        if low.startswith("t") and low[1:].isdigit() or ISO_TIME_PART.fullmatch(low):  # 2025-11-12T14, 09T12, 50+0300
            continue
        if low.rstrip("z").replace("+", "").isdigit():
            continue
        if low.startswith(("gmt+", "gmt-", "utc+", "utc-")) and low[4:].isdigit():  # "GMT+5"
            continue
        return False
    if not has_digit:
        return False
    found = find_date(line)
    if found:
        return found
    return True if TIME.search(line) else False


# --------------------------------------------------------------------------------------------
# Datelines: "АСТАНА, 12 ноября. /Корр. МИА «Казинформ»/ – …", "МОСКВА, 12 ноя — РИА Новости."

_CITY = r"[А-ЯЁA-Z][А-ЯЁA-Zа-яёa-z\-]{1,30}(?: [А-ЯЁA-Z][А-ЯЁA-Zа-яёa-z\-]{1,30})?"
_AGENCY = r"/[^/\n]{1,80}/|\([^()\n]{1,40}\)"  # "/Корр. МИА «Казинформ»/", "(Рейтер)", "(NNN-KTA)"
DATELINE = re.compile(
    rf"^(?P<city>{_CITY})[,.] (?P<date>\d{{1,2}} (?:{_MONTH_ALT})\.?(?: \d{{4}})?(?: года| г\.)?"
    rf"|(?:{_MONTH_ALT})\.? \d{{1,2}}(?:, \d{{4}})?)[.,]?"
    rf"(?: (?P<agency>{_AGENCY}))?\.?(?: ?[–—-] ?)?",
    re.I,
)
# "14 марта, Гродно /Корр. БЕЛТА/." — the date before the city, then the agency's credit
DATELINE_DATE_FIRST = re.compile(
    rf"^(?P<date>\d{{1,2}} (?:{_MONTH_ALT})\.?(?: \d{{4}})?(?: года| г\.)?),? (?P<city>{_CITY})\.? "
    rf"(?P<agency>/[^/\n]{{1,80}}/)\.?(?: ?[–—-] ?)?",
    re.I,
)
DATELINE_NO_DATE = re.compile(rf"^(?P<city>{_CITY})[,.] (?P<agency>/[^/\n]{{1,80}}/)\.?(?: ?[–—-] ?)?")
# a city and an agency in capitals, no date: "ASTANA. KAZINFORM The minister …", "TEHRAN. KAZINFORM – …"
DATELINE_CAPS_AGENCY = re.compile(rf"^(?P<city>{_CITY})\. (?P<agency>[A-ZА-ЯЁ][A-ZА-ЯЁ0-9.-]{{2,20}})(?: ?[–—-])? (?=[«\"A-ZА-ЯЁ])")
_AGENCY_AFTER_DASH = re.compile(r"^[А-ЯЁA-Z][^.\n]{1,30}\. (?=[«\"А-ЯЁA-Z])")
_AGENCY_BEFORE_DASH = re.compile(r"^ ?[А-ЯЁA-Z][^–—\n]{1,30} [–—-] ")
_AGENCY_WORDS = ("риа", "тасс", "интерфакс", "новости", "sputnik", "kazinform", "казинформ", "казтаг",
                 "tengri", "today", "trend", "report", "regnum", "кабар", "akipress", "24.kz",
                 "reuters", "afp", "bbc", "lenta", "лента", "спутник", "inbusiness", "orda", "zakon")  # fmt: skip


@dataclass(frozen=True)
class Dateline:
    found: FoundDate | None
    prefix: str  # the dateline as written, to be removed from the paragraph


def dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a news paragraph, if any. The city must be written in capitals
    (АСТАНА) or the dateline must carry a /…/ agency credit or a dash, so that an ordinary
    sentence ("Москва, 12 ноября …" as a subject) is not taken for one."""
    head = paragraph[:HEAD]
    m = DATELINE.match(head)
    if m:
        city = m["city"]
        rest = head[m.end():]
        tail_ok = bool(m["agency"]) or head[m.start("date"): m.end()].rstrip().endswith(("–", "—", "-"))
        if not (city.isupper() or tail_ok):
            return None
        end = m.end()
        agency = _AGENCY_AFTER_DASH.match(rest)
        before_dash = _AGENCY_BEFORE_DASH.match(rest)
        if agency and any(w in agency[0].lower() for w in _AGENCY_WORDS):
            end += agency.end()
        elif before_dash and any(w in before_dash[0].lower() for w in _AGENCY_WORDS):
            end += before_dash.end()
            tail_ok = True
        elif not tail_ok and not head[m.start("date"): m.end()].rstrip().endswith("."):
            return None
        found = find_date(m["date"])
        if found:
            found = FoundDate(found.date, found.words, m.start("date") + found.start, m.start("date") + found.end)
        else:  # "Mar 8": a month before the day, no year
            found = FoundDate(None, m["date"].rstrip(".,"), m.start("date"), m.end("date"))
        return Dateline(found, paragraph[:end].rstrip())
    m = DATELINE_DATE_FIRST.match(head)
    if m:
        found = find_date(m["date"])
        return Dateline(found, paragraph[: m.end()].rstrip())
    m = DATELINE_NO_DATE.match(head)
    if m and m["city"].isupper():
        return Dateline(None, paragraph[: m.end()].rstrip())
    m = DATELINE_CAPS_AGENCY.match(head)
    if m and m["city"].isupper() and any(w in m["agency"].lower() for w in _AGENCY_WORDS):
        return Dateline(None, paragraph[: m.end()].rstrip())  # "ASTANA. KAZINFORM Head of State …"
    return None


def all_dates(text: str, limit: int = 20_000) -> list[FoundDate]:
    """Every full date (with its year) in the first `limit` characters, in text order."""
    head = text[:limit]
    found: list[FoundDate] = []
    for m in ISO.finditer(head):
        value = _date(int(m[1]), int(m[2]), int(m[3]))
        if value:
            found.append(FoundDate(value, m[0], m.start(), m.end()))
    for m in DOTTED.finditer(head):
        value = _date(int(m[3]), int(m[2]), int(m[1]))
        if value:
            found.append(FoundDate(value, m[0], m.start(), m.end()))
    for m in WORDS.finditer(head):
        if m[3]:
            value = _date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
            if value:
                found.append(FoundDate(value, m[0], m.start(), m.end()))
    for m in WORDS_EN.finditer(head):
        value = _date(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
        if value:
            found.append(FoundDate(value, m[0], m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def complete_year(words: str, text: str) -> dt.date | None:
    """A dateline's "28 сен" given its year by a full date of the same day and month elsewhere
    in the text ("28 сентября 2018 г." under an embedded post). None when there is none, or
    when the text has such dates in more than one year."""
    m = re.match(rf"(\d{{1,2}}) ({_MONTH_ALT})\.?$", words.strip(), re.I) or \
        re.match(rf"({_MONTH_ALT})\.? (\d{{1,2}})$", words.strip(), re.I)
    if not m:
        return None
    if m[1].isdigit():
        day, month = int(m[1]), MONTHS[m[2].lower()]
    else:
        day, month = int(m[2]), MONTHS[m[1].lower()]
    years = {f.date.year for f in all_dates(text) if f.date and f.date.month == month and f.date.day == day}
    return _date(years.pop(), month, day) if len(years) == 1 else None
