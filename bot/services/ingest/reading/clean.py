"""Normalising pasted text and recognising page chrome, line by line.

Everything here is linear in the length of the text: Markdown inline markup is removed by a
single left-to-right scan (with forward-only look-ups for closing brackets), and a line is
classified by looking at a bounded prefix of it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.services.ingest.reading import dates

RULES_FILE = Path(__file__).with_name("rules") / "chrome.yaml"

# --------------------------------------------------------------------------------------------
# Characters

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a\t\v\f"), " ")
DASHES = "—–-―−‒"
QUOTE_CLOSERS = "»\"”“'’)*_ "


def normalise(text: str) -> str:
    """Line endings to \\n, invisible characters dropped, odd spaces made plain, HTML entities
    decoded; the words are untouched."""
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.translate(_INVISIBLE).translate(_SPACES)


def collapse_spaces(line: str) -> str:
    return " ".join(line.split())


# --------------------------------------------------------------------------------------------
# Markdown inline markup

_ESCAPABLE = set("\\`*_{}[]()#+-.!>~|")


class _Finder:
    """Forward-only `str.find` for one character: each call starts where the last one could
    not have found anything earlier, so all calls together scan the line once."""

    def __init__(self, text: str, char: str) -> None:
        self.text, self.char, self.found = text, char, -2

    def after(self, position: int) -> int:
        if self.found == -1:
            return -1
        if self.found <= position:
            self.found = self.text.find(self.char, position + 1)
        return self.found


_SPECIAL = re.compile(r"[\[*_`\\<!~]")


def strip_inline(line: str) -> str:
    """Links [text](url) to their text, images and HTML tags dropped, emphasis markers, code
    backticks and backslash escapes removed. One pass, linear."""
    if not _SPECIAL.search(line):
        return line
    out: list[str] = []
    n = len(line)
    close_bracket = _Finder(line, "]")
    close_paren = _Finder(line, ")")
    close_angle = _Finder(line, ">")
    i = 0
    while i < n:
        found = _SPECIAL.search(line, i)
        if found is None:
            out.append(line[i:])
            break
        if found.start() > i:
            out.append(line[i : found.start()])
            i = found.start()
        ch = line[i]
        if ch == "\\" and i + 1 < n and line[i + 1] in _ESCAPABLE:
            out.append(line[i + 1])
            i += 2
            continue
        if ch == "[" or (ch == "!" and i + 1 < n and line[i + 1] == "["):
            image = ch == "!"
            start = i + 1 if image else i
            end = close_bracket.after(start)
            if end != -1 and end + 1 < n and line[end + 1] == "(":
                close = close_paren.after(end + 1)
                url = line[end + 2 : close] if close != -1 else ""
                if close != -1 and " " not in url.strip():
                    if not image:
                        out.append(strip_inline(line[start + 1 : end]) if end - start < 2000 else line[start + 1 : end])
                    i = close + 1
                    continue
            out.append(ch)
            i += 1
            continue
        if ch == "<":
            end = close_angle.after(i)
            inner = line[i + 1 : end] if end != -1 else ""
            if end != -1 and 0 < len(inner) <= 200 and (inner[0].isalpha() or inner[0] == "/") and _tag_like(inner):
                if inner.startswith(("http://", "https://")):
                    out.append(inner)
                i = end + 1
                continue
            out.append(ch)
            i += 1
            continue
        if ch in "*_~":
            j = i
            while j < n and line[j] == ch:
                j += 1
            run = j - i
            opens = i == 0 or not line[i - 1].isalnum()
            closes = j == n or not line[j].isalnum()
            if ch == "~":
                drop = run == 2
            elif run >= 2:
                drop = ch == "*" or opens or closes
            else:  # a single * or _ only where it opens or closes a word (*курсив*)
                drop = opens != closes or (i == 0 or j == n) and line.count(ch) >= 2
            if not drop:
                out.append(line[i:j])
            i = j
            continue
        if ch == "`":
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _tag_like(inner: str) -> bool:
    name = inner.lstrip("/").split(" ", 1)[0].rstrip("/").lower()
    return name.isalnum() and len(name) <= 10 or inner.startswith(("http://", "https://"))


def bold_line(raw: str) -> bool:
    """Is the whole line (a leading dash allowed, trailing punctuation allowed) one bold span?"""
    core = raw.strip()
    if core[:1] in DASHES:
        core = core[1:].strip()
    core = core.rstrip("?.!:…) ")
    for mark in ("**", "__"):
        if core.startswith(mark) and core.endswith(mark) and core.count(mark) == 2 and len(core) > 2 * len(mark) + 2:
            return True
    return False


def italic_line(raw: str) -> bool:
    """Is the whole line one *italic* or _italic_ span? (Some sites set questions in italics.)"""
    core = raw.strip()
    if core[:1] in DASHES:
        core = core[1:].strip()
    core = core.rstrip("?.!:…) ")
    for mark in ("*", "_"):
        if core.startswith(mark) and core.endswith(mark) and core.count(mark) == 2 and not core.startswith(mark * 2) \
                and len(core) > 4:
            return True
    return False


def atx_heading(line: str) -> tuple[int, str] | None:
    """'## Title ##' → (2, 'Title')."""
    level = 0
    while level < len(line) and level < 7 and line[level] == "#":
        level += 1
    if not 1 <= level <= 6 or level >= len(line) or line[level] != " ":
        return None
    text = line[level:].strip().rstrip("#").strip()
    return (level, text) if text else None


def is_rule(line: str) -> bool:
    core = line.replace(" ", "")
    return len(core) >= 3 and len(set(core)) == 1 and core[0] in "*-_=—"


# --------------------------------------------------------------------------------------------
# Chrome: lines that belong to the page, not the article

_SOCIAL = frozenset(
    """telegram телеграм телеграмм телеграм-канал whatsapp ватсап вотсап vk вк вконтакте facebook
    фейсбук twitter твиттер x instagram инстаграм youtube ютуб ok ок одноклассники дзен яндекс.дзен
    dzen tiktok тикток viber вайбер email e-mail mail почта threads linkedin rutube рутуб max
    pinterest reddit skype livejournal жж copy link ссылка""".split()
)
_SHARE_EXACT = frozenset(
    ("поделиться", "поделитесь", "share", "репост", "распечатать", "печать", "версия для печати",
     "скопировать ссылку", "копировать ссылку", "ссылка скопирована", "сохранить", "в закладки",
     "нравится", "не нравится", "комментарии", "комментировать", "оставить комментарий", "реакции",
     "подписаться", "подпишитесь", "отправить", "print", "comments", "like", "tweet", "читайте также",
     "смотрите также", "по теме", "теги", "реклама", "источник", "все новости", "поделиться новостью",
     "поделиться в соцсетях", "поделиться ссылкой")
)  # fmt: skip
_SHARE_WORDS = frozenset(
    "поделиться поделитесь share репост распечатать печать версия для скопировать копировать ссылку "
    "сохранить закладки нравится комментарии комментировать оставить комментарий подписаться отправить "
    "print comments like tweet".split()
)
_SHARE_PREFIXES = (
    "подписывайтесь", "подпишитесь", "подписаться на", "читайте также", "читайте нас", "читайте новости",
    "читать также", "смотрите также", "см. также", "по теме:", "теги:", "тэги:", "теги ", "метки:", "tags:",
    "ключевые слова:", "новости по теме", "другие новости", "следите за новостями", "следите за нами",
    "присоединяйтесь", "больше новостей", "все новости", "самые важные новости", "самое важное",
    "нашли ошибку", "нашли опечатку", "если вы заметили ошибку", "если вы нашли ошибку", "реклама",
    "erid", "мнение автора может не совпадать", "мнение редакции может не совпадать",
    "мнение автора не обязательно", "позиция автора может не совпадать", "редакция может не разделять",
    "редакция не несет ответственности", "перепечатка", "при использовании материалов", "при цитировании",
    "при полном или частичном", "все права защищены", "все права защищены", "источник:", "читать далее",
    "читать полностью", "подробнее:", "подробнее на", "оригинал:", "ссылка на источник", "главная »",
    "главная /", "главная >", "главная →", "вернуться к", "read more", "related:", "follow us",
    "subscribe", "advertisement", "реклама.", "также читайте", "ранее мы писали", "ранее сообщалось:",
    "новости партнеров", "новости партнёров", "материалы по теме", "популярное", "загрузка",
    "ctrl+enter", "выделите", "добавить в избранное", "в избранное", "наш телеграм", "наш канал",
    "мы в соцсетях", "мы в социальных", "наши соцсети", "рубрика:", "раздел:", "категория:",
    "share this", "reporting by", "(reporting by", "editing by", "(editing by", "additional reporting",
    "our standards:", "sign up", "read next",
)  # fmt: skip
_PHOTO_PREFIXES = (
    "фото:", "фото -", "фото –", "фото —", "на фото:", "на фото -", "на фото –", "на фото —", "на снимке:",
    "на снимке -", "на снимке –", "на снимке —", "фото ©", "фото/", "фото из открытых", "фото с сайта",
    "фото из архива", "фото пресс-службы", "фото предоставлено", "фото предоставлены", "фото автора",
    "фото взято", "фото с официального", "фото из соцсетей", "фото из социальных", "фото иллюстративное",
    "фотография:", "фотографии:", "фото и видео:", "фото и текст:", "источник фото", "источник изображения",
    "автор фото", "фотограф:", "photo:", "photo by", "photo credit", "image:", "иллюстрация:",
    "иллюстративное фото", "иллюстративное изображение", "коллаж:", "коллаж ", "скриншот", "кадр из видео",
    "кадр видео", "видео:", "инфографика:", "© ", "©", "copyright", "getty images", "depositphotos",
    "shutterstock", "фото pixabay", "фото unsplash", "фото freepik",
)  # fmt: skip
_COUNTER_WORDS = frozenset(
    "👁 👁️ 👀 💬 👍 👎 ❤ ❤️ 🔥 ⭐ просмотров просмотра просмотр просмотры views view комментариев "
    "комментария к k тыс тыс.".split()
)
BYLINE_PREFIXES = (
    "автор материала:", "автор материала -", "автор материала –", "автор материала —", "автор текста:",
    "автор:", "автор -", "автор –", "автор —", "текст:", "текст -", "текст –", "текст —", "текст и фото:",
    "беседовал:", "беседовала:", "беседовали:", "беседовал ", "беседовала ", "беседовали ",
    "беседу вел ", "беседу вела ", "беседу вёл ", "беседу вели ", "интервью взял ", "интервью взяла ",
    "интервью взял:", "интервью взяла:", "интервью записал ", "интервью записала ", "записал ", "записала ",
    "записал:", "записала:", "подготовил:", "подготовила:", "подготовил ", "подготовила ",
    "материал подготовил ", "материал подготовила ", "материал подготовил:", "материал подготовила:",
    "by ", "author:", "text:", "interviewed by ", "колонка:", "автор колонки:", "writer's picture",
    "writer’s picture",
)  # fmt: skip
INTERVIEWER_BYLINES = ("беседовал", "беседу", "интервью", "interviewed", "записал")
RUBRICS = frozenset(
    ("новости", "политика", "экономика", "общество", "мнение", "мнения", "интервью", "аналитика", "колонка",
     "колонки", "мир", "в мире", "спорт", "происшествия", "культура", "точка зрения", "блоги", "блог",
     "эксклюзив", "главное", "регионы", "бизнес", "финансы", "технологии", "наука", "здоровье", "news",
     "opinion", "interview", "analysis", "comment", "комментарий эксперта", "авторская колонка", "взгляд",
     "позиция", "эксклюзивное интервью", "большое интервью", "колонка автора", "лонгрид", "репортаж")
)  # fmt: skip
OPINION_RUBRICS = ("мнение", "колонка", "точка зрения", "блог", "opinion", "авторская колонка", "взгляд", "позиция", "комментарий эксперта")


@dataclass(frozen=True)
class Chrome:
    kind: str  # counter, photo, share, social, timestamp, byline, url, breadcrumbs, attribution
    found_date: dates.FoundDate | None = None
    byline: str | None = None  # the value after "Автор:" etc.
    byline_label: str | None = None
    rubric: str | None = None  # "Экономика" in a "Экономика | 14 марта 2026 | 👁 4 211" strip


def _plain_words(line: str) -> list[str]:
    word: list[str] = []
    words: list[str] = []
    for ch in line.lower() + " ":
        if ch.isspace() or ch in ",|•·/;":
            if word:
                words.append("".join(word).strip(".:!()[]"))
                word = []
        else:
            word.append(ch)
    return [w for w in words if w]


def _without_pictograms(low: str) -> str:
    """The line without the emoji and arrows in front of it."""
    i = 0
    while i < len(low) and i < 12 and not (low[i].isalnum() or low[i] in "«\"#(["):
        i += 1
    return low[i:] if i else low


def _hashtags(line: str) -> bool:
    """"#нацбанк #ставка #тенге": a line of hashtags only (two or more)."""
    words = line.split()
    return len(words) >= 2 and len(line) <= 300 and all(w[:1] == "#" and len(w) > 1 for w in words)


def _is_counter(line: str) -> bool:
    if len(line) > 40:
        return False
    words = _plain_words(line)
    has_digit = False
    for word in words:
        digits = word.replace(",", "").replace(".", "").replace("k", "").replace("к", "")
        if digits.isdigit():
            has_digit = True
        elif word not in _COUNTER_WORDS:
            return False
    return has_digit


def _is_social(line: str) -> bool:
    if len(line) > 120:
        return False
    words = _plain_words(line.replace("-", " ") if " " in line else line)
    return bool(words) and all(w in _SOCIAL or w in _SHARE_WORDS for w in words)


def byline(line: str) -> tuple[str, str] | None:
    """("автор:", "Иван Петров, политолог") for a byline; None otherwise."""
    if len(line) > 160:
        return None
    low = line.lower()
    for prefix in BYLINE_PREFIXES:
        if low.startswith(prefix):
            value = line[len(prefix) :].strip().lstrip(":–—-").strip()
            for stop in (" | ", " / ", " Фото", " фото", " •"):
                at = value.find(stop)
                if at > 0:
                    value = value[:at].strip(" ,;")
            if not value or not value[0].isupper():
                return None
            if prefix == "by " and len(value.split()) > 4:
                return None
            if value.endswith((".", "?", "!")) and len(value.split()) > 6:
                return None
            return prefix.strip(" :-–—"), value.rstrip(".")
    return None


def _is_page_number(line: str) -> bool:
    """"— 14 —", "- 14 -", "стр. 14", "с. 14", "page 14": a printed page's number alone."""
    if len(line) > 20:
        return False
    low = line.lower().strip()
    for prefix in ("стр.", "с.", "page", "p."):
        if low.startswith(prefix):
            low = low[len(prefix):]
            break
    else:
        if not (low[:1] in DASHES and low[-1:] in DASHES):
            return False
    core = low.strip(DASHES + " ")
    return core.isdigit() and len(core) <= 4


def _strip_part(part: str) -> bool:
    """A part of a header strip that is page furniture on its own: a rubric, a view or comment
    counter, a reading time ("5 min read", "3 мин")."""
    low = part.lower().strip(" .:")
    if low in RUBRICS or _is_counter(part) or _rubric_like(part):
        return True
    words = low.split()
    while words and words[0] in _READ_TIME_OPENERS:  # "Читать 6 минут", "Время чтения: 5 мин"
        words = words[1:]
    return 2 <= len(words) <= 4 and words[0].isdigit() and words[1].rstrip(".") in _READ_TIME


def _month_year(part: str) -> bool:
    """"Март 2026", "ФЕВРАЛЬ 2026": an issue's month, beside a publisher's name."""
    words = part.split()
    return len(words) == 2 and words[0].lower() in dates.MONTH_WORDS and len(words[0]) >= 4 \
        and words[1].isdigit() and len(words[1]) == 4


def _name_part(part: str) -> bool:
    """A publisher's or centre's name beside a stamp: a few words opening with a capital, with no
    digit and no sentence's end ("Центр экономических исследований «Евразия-Аналитика»")."""
    words = part.split()
    return 1 <= len(words) <= 7 and len(part) <= 80 and part[:1].isupper() \
        and not any(ch.isdigit() for ch in part) and not part.endswith((".", "!", "?", ":", ","))


def _rubric_like(part: str) -> bool:
    """A section name beside a stamp: one to three capitalised words, no digits or punctuation."""
    words = part.split()
    return 1 <= len(words) <= 3 and len(part) <= 30 and part[:1].isupper() \
        and all(word.replace("-", "").isalpha() for word in words)


_READ_TIME = frozenset({"min", "mins", "minute", "minutes", "мин", "минут", "минуты", "минута"})
_READ_TIME_OPENERS = frozenset({"читать", "время", "чтения", "чтения:", "read", "reading", "time", "time:", "~", "≈", "около"})


def _combined(text: str) -> Chrome | None:
    """"Опубликовано 12 ноября 2025 года, 19:05 · Автор: Данияр Исмаилов", "Экономика | 14 марта
    2026, 09:15 | 👁 4 211": stamps, bylines, rubrics and counters on one line, split by · or |;
    at least one part a stamp or a byline."""
    if len(text) > 200:
        return None
    for separator in (" · ", " | ", " • "):
        if separator in text:
            parts = [part.strip() for part in text.split(separator)]
            found = [byline(part) for part in parts]
            stamps = [dates.timestamp_line(part) or part.lower().startswith(_UPDATED) or _month_year(part)
                      for part in parts]
            if not any(stamps + found):
                continue
            named = any(stamps) and len(parts) <= 3
            if not all(f or s or _strip_part(part) or named and _name_part(part)
                       for f, s, part in zip(found, stamps, parts)):
                continue
            stamp = next((s for s in stamps if isinstance(s, dates.FoundDate)), None)
            rubric = next((part for part, f, s in zip(parts, found, stamps) if not f and not s and _rubric_like(part)), None)
            if any(found):
                name = next(f for f in found if f)
                return Chrome("byline", found_date=stamp, byline=name[1], byline_label=name[0], rubric=rubric)
            return Chrome("timestamp", found_date=stamp, rubric=rubric)
    if "·" in text and len(text) <= 80:
        letters = [ch for ch in text if ch.isalpha()]
        if letters and sum(ch.isupper() for ch in letters) >= 0.6 * len(letters):
            return Chrome("masthead")  # "ЕВРАЗИЙСКОЕ ОБОЗРЕНИЕ · № 11 (184)"
    return None


_UPDATED = ("updated", "обновлено", "изменено", "last updated")


# --------------------------------------------------------------------------------------------
# Rules kept as data (rules/chrome.yaml): each with a comment and an example there


@dataclass(frozen=True)
class LineRule:
    name: str
    example: str
    exact: frozenset[str] = frozenset()
    prefix: tuple[str, ...] = ()
    words: frozenset[str] = frozenset()
    contains: tuple[str, ...] = ()
    max_chars: int = 300
    max_words: int | None = None
    unpunctuated: bool = False

    def matches(self, text: str, low: str) -> bool:
        if len(text) > self.max_chars:
            return False
        parts = [w for w in re.split(r"[\s|/•·,;]+", low) if w]
        if self.max_words is not None and len(parts) > self.max_words:
            return False
        if self.unpunctuated and text.rstrip(QUOTE_CLOSERS)[-1:] in ".!?":
            return False
        if self.exact and low.strip(" .:!→|,;-–—•·*") in self.exact:
            return True
        if self.prefix and low.startswith(self.prefix):
            return True
        if self.contains and any(c in low for c in self.contains):
            return True
        if self.words:
            return bool(parts) and all(w.strip(".:()") in self.words for w in parts)
        return False


@dataclass(frozen=True)
class Rules:
    lines: tuple[LineRule, ...]
    currencies: frozenset[str]
    trailing: tuple[str, ...]
    trailing_max: int
    glued_credits: tuple[str, ...]
    credit_words: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The chrome rules of rules/chrome.yaml, read once."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    lines = tuple(
        LineRule(
            name=item["name"], example=item["example"],
            exact=frozenset(item.get("exact", ())), prefix=tuple(item.get("prefix", ())),
            words=frozenset(item.get("words", ())), contains=tuple(item.get("contains", ())),
            max_chars=int(item.get("max_chars", 300)), max_words=item.get("max_words"),
            unpunctuated=bool(item.get("unpunctuated", False)),
        )
        for item in data["lines"]
    )  # fmt: skip
    return Rules(
        lines=lines,
        currencies=frozenset(data["currencies"]["words"]),
        trailing=tuple(data["trailing"]["markers"]),
        trailing_max=int(data["trailing"]["max_chars"]),
        glued_credits=tuple(data["glued_credits"]["markers"]),
        credit_words=frozenset(data["credits"]["words"]),
    )


def rule_line(text: str) -> str | None:
    """The name of the data rule that makes the line chrome, if any."""
    low = text.lower()
    for rule in rules().lines:
        if rule.matches(text, low):
            return rule.name
    return None


_TICKER_SPLIT = re.compile(r"[\s/=|•·:]+")
_NUMBER_TOKEN = re.compile(r"^[+\-−–▲▼↑↓]?\d[\d.,]*%?$|^[+\-−–▲▼↑↓]?%?$")


def ticker_line(text: str) -> bool:
    """"USD 87.45", "• usd -4.81%", "KGS/USD = 0.01207 +0.1%": currencies and numbers only."""
    if len(text) > 120:
        return False
    currencies = rules().currencies
    codes = numbers = 0
    for token in _TICKER_SPLIT.split(text.lower()):
        token = token.strip("()[],;")
        if not token:
            continue
        if token in currencies or token.rstrip(".") in currencies:
            codes += 1
        elif _NUMBER_TOKEN.match(token):
            numbers += any(ch.isdigit() for ch in token)
        else:
            return False
    return codes >= 1 and numbers >= 1


_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.[a-zA-Zа-яА-Я]{2,6}$")


def site_label(text: str) -> bool:
    """"finance.kz", "Председатель.BY": a site's or project's name alone on a line."""
    return " " not in text and len(text) <= 40 and bool(_DOMAIN.match(text)) and not text[:1].isdigit()


def tag_line(text: str) -> bool:
    """"Иван Петров Россия Минск политика Иван Петров Россия Минск": a page's tags, printed twice
    (no punctuation at all, and a run of two words comes back)."""
    if len(text) > 300 or any(ch in text for ch in ".,:;!?«»\"()"):
        return False
    words = text.lower().split()
    if len(words) < 4:
        return False
    pairs = list(zip(words, words[1:]))
    return len(set(pairs)) < len(pairs)


def photo_caption_credit(text: str) -> bool:
    """"Встреча в резиденции, 27 ноября (Фото: Иван Петров / Reuters)": a caption with its credit."""
    low = text.lower().rstrip()
    if len(text) > 400 or not low.endswith(")"):
        return False
    opening = low.rfind("(")
    return opening > 0 and low[opening + 1 :].startswith(("фото", "photo", "источник фото", "иллюстрация"))


def rubric_text(text: str) -> str:
    """A line as a rubric is looked up: lower case, stray punctuation off ("Политика ," → "политика")."""
    return text.lower().strip(" .:,;|•·-–—")


def tweet_signature(text: str) -> bool:
    """"— Глава МИД (@MFA_example) 3 июня 2019 г.": an embedded post's signature."""
    return len(text) <= 160 and text[:1] in DASHES and "(@" in text


def issue_number(text: str) -> bool:
    """"№47", "№ 11 (184)": a magazine issue's number alone on a line."""
    core = text.replace(" ", "")
    return core.startswith("№") and len(core) <= 16 and any(ch.isdigit() for ch in core) \
        and all(ch.isdigit() or ch in "№()/-" for ch in core)


def cut_trailing(paragraph: str) -> tuple[str, str | None]:
    """A paragraph without the sentence that sends the reader elsewhere at its end
    ("… Подробнее — в материале РБК"), and what was cut."""
    low = paragraph.lower()
    best = -1
    for marker in rules().trailing:
        at = low.rfind(marker)
        if at > best and len(paragraph) - at <= rules().trailing_max:
            best = at
    if best <= 0 or paragraph[:best].rstrip()[-1:] not in ".!?»\"”…":
        return paragraph, None
    return paragraph[:best].rstrip(), paragraph[best:].strip()


def cut_glued_credit(paragraph: str) -> tuple[str, str | None]:
    """A photo credit glued inside a paragraph, with the caption before it (after the last
    sentence's end): "… в акимате. Новый мост открыли Иллюстративное фото из архива «Газеты» В …"."""
    low = paragraph.lower()
    for marker in rules().glued_credits:
        at = low.find(marker, 1)
        if at <= 0 or paragraph[at - 1] != " ":
            continue
        # the credit runs to its closing quote or bracket, else to the next capital after a space
        end = -1
        for closer in ("»", ")", "\""):
            close = paragraph.find(closer, at, at + 120)
            if close != -1:
                end = close + 1
                break
        if end == -1:
            continue
        start = max(paragraph.rfind(". ", 0, at), paragraph.rfind("! ", 0, at), paragraph.rfind("? ", 0, at))
        start = start + 2 if start != -1 else 0
        removed = paragraph[start:end].strip()
        if len(removed) > 300:
            continue
        return (paragraph[:start] + paragraph[end:].lstrip()).strip(), removed
    return paragraph, None


def credit_parenthesis(paragraph: str) -> tuple[str, str | None, list[str]]:
    """A wire story's closing credit in brackets ("… соседние страны. (Иван Петров, текст Анны
    Сидоровой)"): the paragraph without it, the credit, and the names in it as written."""
    text = paragraph.rstrip()
    if not text.endswith(")"):
        return paragraph, None, []
    opening = text.rfind("(")
    if opening <= 0 or len(text) - opening > 160 or text[:opening].rstrip()[-1:] not in ".!?»\"”…":
        return paragraph, None, []
    inner = text[opening + 1 : -1]
    words = [w.strip(",;.:").lower() for w in inner.split()]
    if not words or not any(w in rules().credit_words for w in words):
        return paragraph, None, []
    names: list[str] = []
    for part in re.split(r"[,;]", inner):
        tokens = [t for t in part.split() if t.strip(".").lower() not in rules().credit_words]
        if 2 <= len(tokens) <= 3 and all(t[:1].isupper() for t in tokens):
            names.append(" ".join(tokens))
    if not names:
        return paragraph, None, []
    return text[:opening].rstrip(), text[opening:], names


def chrome(line: str, *, position: str = "body") -> Chrome | None:
    """What kind of page chrome a (cleaned, single) line is, or None for article text.

    `position` is "head" for the lines above the article text, "tail" below it, "body" in
    between; a few kinds (rubrics) are only chrome in the head."""
    text = line.strip()
    if not text:
        return None
    head = text[:200]
    low = head.lower()
    bare = _without_pictograms(low)  # "👉 Подписывайтесь …" reads as "подписывайтесь …"
    if bare != low and len(text) <= 300 and (bare.startswith(_SHARE_PREFIXES) or bare.rstrip(".:!→ ") in _SHARE_EXACT):
        return Chrome("share")
    if _hashtags(text):
        return Chrome("share")
    stamp = dates.timestamp_line(text)  # before counters: "15.11.2025" is a date, not a count
    if not stamp and text.endswith("]") and len(text) <= 120:
        # Telegram Desktop's copy of a post: "Канал, [06.03.2026 18:42]"
        opening = text.rfind("[")
        inner = dates.timestamp_line(text[opening + 1 : -1]) if opening > 0 else False
        if isinstance(inner, dates.FoundDate):
            return Chrome("timestamp", found_date=inner)
    if stamp:
        return Chrome("timestamp", found_date=stamp if isinstance(stamp, dates.FoundDate) else None)
    if _is_counter(text):
        return Chrome("counter")
    if _is_page_number(text):
        return Chrome("counter")
    combined = _combined(text)
    if combined:
        return combined
    if len(text) <= 300 and low.startswith(_PHOTO_PREFIXES):
        return Chrome("photo")
    if low.strip("[]() ").rstrip(".: ") in ("фото", "photo", "видео", "video", "иллюстрация", "фотогалерея", "галерея"):
        return Chrome("photo")
    if len(text) <= 300 and (low.startswith(_SHARE_PREFIXES) or low.rstrip(".:!→ ") in _SHARE_EXACT):
        return Chrome("share")
    if _is_social(text):
        return Chrome("social")
    if ticker_line(text):
        return Chrome("ticker")
    named = rule_line(text)
    if named:
        return Chrome("share" if named in ("promotions", "video links") else "site", rubric=None)
    if site_label(text) or issue_number(text):
        return Chrome("site")
    if tweet_signature(text):
        return Chrome("embed")
    if tag_line(text):
        return Chrome("tags")
    if photo_caption_credit(text):
        return Chrome("photo")
    if text in ("-", "—", "–", "•", "*", "|"):
        return Chrome("site")
    if " " not in text and low.startswith(("http://", "https://", "www.")):
        return Chrome("url")
    if len(text) <= 200 and (text.count(" > ") + text.count(" » ") + text.count(" / ") + text.count(" → ")) >= 2 \
            and low.startswith(("главная", "новости", "home", "news")):
        return Chrome("breadcrumbs")
    found = byline(text)
    if found:
        return Chrome("byline", byline=found[1], byline_label=found[0])
    return _name_then_stamp(text)


_STAMP_LABELS = ("опубликовано", "опубликована", "опубликован", "обновлено", "published", "updated", "posted")


def _name_then_stamp(text: str) -> Chrome | None:
    """"Иван Петров Опубликовано сегодня в 19:01": a byline and a stamp with no separator. The
    name is the author; the stamp's date, if it has one (a relative "сегодня" has none)."""
    if len(text) > 120:
        return None
    low = text.lower()
    for label in _STAMP_LABELS:
        at = low.find(" " + label)
        if at <= 0:
            continue
        name, stamp = text[:at].strip(" ,|·"), text[at + 1 :]
        words = name.split()
        if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.replace("-", "").isalpha() and len(w) > 1 for w in words):
            continue
        found = dates.timestamp_line(stamp)
        if found is False:
            continue
        return Chrome("byline", found_date=found if isinstance(found, dates.FoundDate) else None,
                      byline=name, byline_label="автор")
    return None


_AGENCY_TAIL = re.compile(r"(?<=[.!?])\s*[–—-]\s*[A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,24}$")


def cut_agency_tail(paragraph: str) -> tuple[str, str | None]:
    """"… crude exports.– NNN-KTA": a wire agency's name glued after the last sentence."""
    m = _AGENCY_TAIL.search(paragraph[-60:])
    if not m:
        return paragraph, None
    start = len(paragraph) - 60 + m.start() if len(paragraph) > 60 else m.start()
    return paragraph[:start].rstrip(), paragraph[start:].strip()
