"""Who says what in a narrative paragraph: direct speech in quotation marks or a dash remark,
with its attribution after it («…», — заявил X / "…," said X), before it (X заявил: «…» /
X said: "…"), in the same sentence (X назвал это «…»), or carried over from the sentence before
("… заявил глава компании X." followed by a paragraph that is all quotation); and reported
speech (По словам X, … / …, сообщил X), whose speaker is named but whose words are no quote.

The words that mark speech are data (`lexicons/speech.yaml`). Who a speaker is, is left to a
`Resolver` the caller gives: the reader's resolves names with natasha; without one, names are
read from capitalised words, so the faithfulness checks can run without the language models.
Everything here is linear in the length of the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from bot.domain.models import collapse_whitespace as collapse
from bot.domain.voices import Voice, Voices, surname_key
from bot.services.ingest.reading.models import Person

PAIRS = {"«": "»", "„": "“", "“": "”"}
DASHES = "—–-―−"
MIN_WORDS = 3  # «по сути дела» is a phrase in quotation marks, not speech
LOOK_BACK = 40  # paragraphs searched for the full name of a speaker named by surname
WORD = re.compile(r"[\w’'-]+", re.UNICODE)
SENTENCE_END = re.compile(r"(?<=[.!?…])[»\"”“]?\s+(?=[«\"“„(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])")


@dataclass(frozen=True)
class Lexicon:
    verbs_ru: tuple[str, ...]
    verbs_en: frozenset[str]
    reported_ru: tuple[str, ...]
    reported_en: tuple[str, ...]
    pronouns: frozenset[str]
    role_nouns: tuple[str, ...]
    statement_nouns: tuple[str, ...]
    not_name_words_en: frozenset[str]
    not_surnames_ru: frozenset[str]
    body_verbs_ru: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = yaml.safe_load(resources.files("bot.services.ingest.reading").joinpath("lexicons/speech.yaml").read_text("utf-8"))
    return Lexicon(
        verbs_ru=tuple(data["verbs_ru"]),
        verbs_en=frozenset(data["verbs_en"]),
        reported_ru=tuple(data["reported_openers_ru"]),
        reported_en=tuple(data["reported_openers_en"]),
        pronouns=frozenset(data["pronouns_ru"]) | frozenset(data["pronouns_en"]),
        role_nouns=tuple(data["role_nouns_ru"]) + tuple(data["role_nouns_en"]),
        statement_nouns=tuple(data["statement_nouns_ru"]) + tuple(data["statement_nouns_en"]),
        not_name_words_en=frozenset(data["not_name_words_en"]),
        not_surnames_ru=frozenset(data["not_surnames_ru"]),
        body_verbs_ru=frozenset(data["body_verbs_ru"]),
    )


def words(text: str) -> list[str]:
    return WORD.findall(text)


def speech_word(word: str) -> bool:
    low = word.lower()
    lex = lexicon()
    return low.startswith(lex.verbs_ru) or low in lex.verbs_en


def has_speech_word(text: str, first: int | None = None) -> bool:
    found = words(text)
    return any(speech_word(w) for w in (found[:first] if first else found))


@dataclass(frozen=True)
class Said:
    """Words someone says in a paragraph."""

    text: str  # verbatim: inside the marks, or the dash remark without its attribution
    start: int  # where `text` starts in the paragraph
    speaker: Person | None
    attribution: str  # the words that say who speaks ("заявил глава компании Иван Петров"); "" if by position
    direct: bool = True  # False: reported speech (По словам X, …): the speaker is named, the words are no quote


# (attribution region, offset in the paragraph where the speech starts, the paragraph) -> speaker
Resolver = Callable[[str, int, str], Person | None]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the top-level «…» / „…“ / “…” / "…" quotations, marks included. Linear."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    inner_straight = 0  # straight marks opened inside a straight quotation: '"По прогнозу "Казгидромета", …"'
    for i, ch in enumerate(text):
        if ch == '"' and not stack:
            if straight is None:
                straight = i
            elif _opens(text, i) and not _closes(text, i):
                inner_straight += 1
            elif inner_straight and _closes(text, i):
                inner_straight -= 1
            else:
                spans.append((straight, i + 1))
                straight = None
            continue
        if stack and ch == PAIRS[stack[-1][0]]:
            _, start = stack.pop()
            if not stack and straight is None:
                spans.append((start, i + 1))
        elif ch in PAIRS and not (ch == "“" and stack and stack[-1][0] == "„"):
            stack.append((ch, i))
            if len(stack) > 20:
                stack.clear()
    if not spans and straight is None and "'" in text and _cyrillic(text):
        spans = _single_quoted(text)
    spans.sort()
    return spans


def _cyrillic(text: str) -> bool:
    return sum("а" <= c.lower() <= "я" for c in text) > sum("a" <= c.lower() <= "z" for c in text)


def _single_quoted(text: str) -> list[tuple[int, int]]:
    """'…' quotations, in a Russian text that marks quotations with straight single quotes and no
    other marks ('Объём растёт', — заявил он): an opening mark before a letter, a closing one
    after a letter or punctuation (an apostrophe inside a name, Кот-д'Ивуар, opens nothing)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if ch != "'":
            continue
        if start is None:
            if _opens(text, i):
                start = i
        elif _closes(text, i):
            spans.append((start, i + 1))
            start = None
    return spans


def _opens(text: str, i: int) -> bool:
    """A straight mark that opens: after a space or a bracket, before a letter or a digit."""
    return (i == 0 or text[i - 1] in " \n(«—–-") and i + 1 < len(text) and text[i + 1].isalnum()


def _closes(text: str, i: int) -> bool:
    """A straight mark that closes: after a letter or punctuation, before a space, punctuation or the end."""
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] in ".!?…,") and (i + 1 >= len(text) or not text[i + 1].isalnum())


def unclosed_quotation(text: str) -> int | None:
    """Where a quotation opened at a sentence start runs to the end of the paragraph with no closing
    mark (a page cut after it): '… сказал он. "Во-первых, это …' → the opening mark's position."""
    opening = [i for i, ch in enumerate(text) if ch in "«\"“„"]
    closing = [i for i, ch in enumerate(text) if ch in "»”"]
    straight = text.count('"')
    if not opening or closing or straight != 1 and any(ch in text for ch in "«“„"):
        return None
    at = opening[-1] if straight == 1 and text[opening[-1]] == '"' else None
    if at is None or text.count("«") or text.count("“") or text.count("„"):
        return None
    before = text[:at].rstrip()
    return at if (not before or before[-1] in ".!?…:") and _opens(text, at) else None


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding position `at` begins (after ". ", "! ", "? ", a newline)."""
    left = at
    while left > 0:
        ch = text[left - 1]
        if ch == "\n" or ch in " " and left >= 2 and text[left - 2] in ".!?…" and at - left > 0:
            break
        left -= 1
        if at - left > 400:
            break
    return left


def _region_after(text: str, end: int) -> tuple[str, bool]:
    """The words after a closing mark up to the end of their sentence, and whether a dash led
    them ('», — заявил он.' → ('заявил он', True); '," said Matthä.' → ('said Matthä', False))."""
    rest = text[end : end + 240]
    stripped = rest.lstrip(" ,.!?…:;")
    dashed = stripped[:1] in DASHES
    if dashed:
        stripped = stripped[1:].lstrip()
    stop = len(stripped)
    for mark in (". ", ".\n", "! ", "? ", "\n", ": «", ", «", ': "', ', "', ": “", ", “", " ("):  # "(цитата по ТАСС)"
        at = stripped.find(mark)
        if at != -1:
            stop = min(stop, at)
    region = stripped[:stop]
    if stop == len(stripped) and region.endswith("."):
        region = region[:-1]
    return region.strip(), dashed


def _attributes_after(region: str, dashed: bool) -> bool:
    """Does the region after a quotation say who spoke? The verb comes first or nearly so:
    '— заявил министр', '— приводит слова X агентство', 'said X', 'X said', 'the minister told …'."""
    found = words(region)
    if not found:
        return False
    window = 3 if dashed else 4
    return any(speech_word(w) for w in found[:window]) or " ".join(found[:2]).lower() in ("according to",)


def _region_before(text: str, start: int) -> str:
    return text[_sentence_start(text, start) : start]


def _attributes_before(region: str) -> bool:
    """'Министр заявил: «…»' / 'He said: "…"' / 'X said, "…"' / 'Министр: «…»'."""
    stripped = region.rstrip()
    if not stripped:
        return False
    if stripped.endswith(":"):
        return has_speech_word(stripped) or _name_like(stripped[:-1].split()[-3:]) or bool(
            stripped[:-1].split() and stripped[:-1].split()[-1].lower().startswith(lexicon().role_nouns))
    if stripped.endswith(","):
        last = words(stripped)[-2:]
        return any(w.lower() in lexicon().verbs_en for w in last)
    return False


def _name_like(tokens: Sequence[str]) -> bool:
    caps = [t for t in tokens if t[:1].isupper() and t.strip(".,:;").isalpha()]
    return len(caps) >= 1 and len(caps) == len(tokens)


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


BROKEN = re.compile(r"[,.!?…] [-–—] (?P<who>(?:[^.!?«»\"]|\b[A-ZА-ЯЁ]\.){4,160}?)\. [-–—] (?=[A-ZА-ЯЁ])")
SAID_THAT = re.compile(r"\b(\w+)\s*,?\s+(?:что|that)\s", re.UNICODE)


def _reported(text: str, resolve: Resolver, taken: list[tuple[int, int]], lang: str) -> list[Said]:
    """По словам X, … / According to X, … / …, сообщил X. / …, X said. — reported speech."""
    out: list[Said] = []
    lex = lexicon()
    openers = lex.reported_en if lang == "en" else lex.reported_ru
    for s_start, s_end in _sentences(text):
        if any(a < s_end and s_start < b for a, b in taken):
            continue
        sentence = text[s_start:s_end]
        low = sentence.lower()
        if low.startswith(openers):
            comma = sentence.find(",", 0, 200)
            if comma != -1 and len(words(sentence[comma:])) >= MIN_WORDS:
                region = sentence[:comma]
                out.append(Said(sentence[comma + 1 :].strip(), s_start + comma + 1, resolve(region, s_start, text),
                                region, direct=False))
            continue
        # "Директор центра Иван Петров рассказал, что …" / "The minister said that …"
        that = SAID_THAT.search(sentence)
        if that and speech_word(that.group(1)) and that.start() > 0:
            region = sentence[: that.start()]
            speaker = resolve(region, s_start, text) if any(w[:1].isupper() for w in words(region)) else None
            if speaker is not None:
                out.append(Said(sentence[that.end() :].strip(), s_start + that.end(), speaker, region, direct=False))
                continue
        # "…, сообщил глава компании Иван Петров." / "…, the minister said."
        for sep in (", — ", ", – ", ", - ", ", "):
            at = sentence.rfind(sep)
            if at <= 0:
                continue
            region = sentence[at + len(sep) :].rstrip(".!… ")
            found = words(region)
            if 1 <= len(found) <= 20 and any(speech_word(w) for w in found[:3]):
                out.append(Said(sentence[:at].strip(), s_start, resolve(region, s_start, text), region, direct=False))
                break
            if 1 <= len(found) <= 10 and lang == "en" and found[-1].lower() in lex.verbs_en:
                out.append(Said(sentence[:at].strip(), s_start, resolve(region, s_start, text), region, direct=False))
                break
    return out


def find(text: str, resolve: Resolver | None = None, *, lang: str = "ru",
         context: Person | None = None, carried: Person | None = None) -> list[Said]:
    """What is said in one paragraph, in text order. `context` is the person the text was last
    about (for 'сказал он'); `carried` the speaker a sentence before this paragraph introduced
    ('… заявил X.' / 'X said:'), whose words a paragraph of pure quotation then carries."""
    resolve = resolve or plain_resolver(context)
    found: list[Said] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, words_said: str, speaker: Person | None, region: str) -> None:
        words_said = words_said.strip().strip(",")
        if len(words(words_said)) < MIN_WORDS or any(a <= start < b for a, b in taken):
            return
        found.append(Said(words_said, start, speaker, region))
        taken.append((start, start + len(words_said)))

    # a dash remark: "— Мы готовы, — сказал министр. — Сроки прежние."
    body_at = _dash_remark(text)
    if body_at is not None:
        body = text[body_at:]
        for sep in (", — ", ", – ", ", - ", "! — ", "? — ", "… — ", ". — ", "! – ", "? – ", ". – ", "! - ", "? - "):
            at = body.find(sep)
            if at == -1:
                continue
            region, _ = _region_after(body, at + 1)
            if not _attributes_after(region, True):
                continue
            keep = at + (1 if sep[0] in "!?…." else 0)
            speaker = resolve(region, body_at, text)
            add(body_at, body[:keep], speaker, region)
            after = body.find(". ", at + len(sep))
            tail = body[after + 2 :].lstrip() if after != -1 else ""
            if tail[:1] in DASHES:  # the remark goes on after its attribution
                tail_at = body_at + len(body) - len(tail) + 1
                add(tail_at + (len(text[tail_at:]) - len(text[tail_at:].lstrip())), text[tail_at:].strip(), speaker, region)
            break
        else:
            if carried is not None and ":" not in body[:50]:  # "— Сети связи: …" is a list item, no remark
                add(body_at, body, carried, "")
    spans = quoted_spans(text)
    cut = unclosed_quotation(text)
    if cut is not None:
        spans.append((cut, len(text) + 1))  # its end stands for the closing mark the page lost
    for qs, qe in spans:
        inner = text[qs + 1 : qe - 1]
        if len(words(inner)) < MIN_WORDS or any(a <= qs + 1 < b for a, b in taken):
            continue
        broken = BROKEN.search(inner)
        if broken and _attributes_after(broken.group("who"), True):
            # «Первое, - отметил министр X. – Второе»: one quotation broken by its own attribution
            speaker = resolve(broken.group("who"), qs, text)
            add(qs + 1, inner[: broken.start()], speaker, broken.group("who"))
            add(qs + 1 + broken.end(), inner[broken.end() :], speaker, broken.group("who"))
            continue
        region, dashed = _region_after(text, qe)
        if _attributes_after(region, dashed):
            add(qs + 1, inner, resolve(region, qs, text), region)
            continue
        before = _region_before(text, qs)
        if _attributes_before(before):
            add(qs + 1, inner, resolve(before, qs, text), before.strip())
            continue
        s_start = _sentence_start(text, qs)
        sentence_end = text.find(". ", qe)
        outside = text[s_start:qs] + " " + text[qe : sentence_end if sentence_end != -1 else len(text)]
        starts_sentence = inner[:1].isupper() or inner[:1] in "«\""
        whole = inner.rstrip()[-1:] in ".!?…" or len(words(inner)) >= 5
        opener = text[s_start:qs].lower().lstrip(" «\"").startswith(lexicon().reported_ru + lexicon().reported_en)
        if (has_speech_word(outside) or opener) and whole:
            add(qs + 1, inner, resolve(outside, qs, text), outside.strip())
            continue
        # a paragraph that is all quotation, after a sentence that named the speaker
        if carried is not None and not text[:qs].strip(" «\"") and qe >= len(text.rstrip()) - 2 and starts_sentence:
            add(qs + 1, inner, carried, "")
            continue
        # a quotation opening a sentence right after the speaker's reported words ("Как отметил X,
        # … . «…»"): theirs
        previous = text[_sentence_start(text, max(0, s_start - 2)) : s_start] if s_start > 1 else ""
        if starts_sentence and text[s_start:qs].strip() == "" and previous and (
                has_speech_word(previous, 6) or previous.lower().lstrip().startswith(lexicon().reported_ru + lexicon().reported_en)):
            speaker = resolve(previous, s_start, text)
            if speaker is not None:
                add(qs + 1, inner, speaker, previous.strip())
    found.sort(key=lambda s: s.start)
    return found + _reported(text, resolve, taken, lang)


def _dash_remark(text: str) -> int | None:
    """Where the words of a paragraph opening with a speech dash start, else None."""
    if len(text) > 2 and text[0] in DASHES and text[1] == " ":
        return 2
    if len(text) > 2 and text[0] in "—–" and (text[1].isalpha() or text[1] in "«\""):
        return 1
    return None


def introduces_speaker(text: str) -> bool:
    """Does the paragraph end by handing over to speech ('… заявил глава компании X.' / 'X said:'
    / 'Министр отметил:')?"""
    tail = text.rstrip()
    last = tail[_sentence_start(tail, max(0, len(tail) - 1)) :]
    return tail.endswith(":") or has_speech_word(last) and not quoted_spans(last)


# --------------------------------------------------------------------------------------------
# Who the attribution names


Names = Callable[[str], list[Person]]  # the people named in a text, in order


def _body(region: str) -> str | None:
    """The body a plural speech verb gives the words to: 'Как заявили вечером в Минфине' → 'Минфине'."""
    found = words(region)
    for i, word in enumerate(found[:6]):
        if word.lower() in lexicon().body_verbs_ru:
            for k in range(i + 1, min(i + 4, len(found) - 1)):
                if found[k].lower() in ("в", "во") and found[k + 1][:1].isupper():
                    return found[k + 1]
    return None


THAT_WORDS = frozenset({"что", "чтобы", "that", "как", "о", "об"})


def speaks(text: str, name: str) -> bool:
    """Is the person named last in `text` under this name the one a speech verb gives words to, with
    no 'что' between them ('заявил во вторник посол Нурлан Сейтов', 'Сейтов на встрече заявил'),
    rather than someone the speech is about ('отметил, что президент … Бекетов')?"""
    key = surname_key(name)
    low = text.lower().replace("ё", "е")
    at = low.rfind(key) if key else -1
    if at == -1:
        return False
    before = words(text[max(0, at - 120) : at])[-8:]
    after = words(text[at : at + 120])[1:7]
    for near in (list(reversed(before)), after):
        for word in near:
            if word.lower() in THAT_WORDS:
                break
            if speech_word(word):
                return True
    return False


def make_resolver(names: Names, *, earlier: Sequence[str] = (), context: Person | None = None,
                  known: Sequence[Person] = (), fuller: Callable[[Person], Person] | None = None,
                  nominative: Callable[[str], str] | None = None, last_speaker: Person | None = None) -> Resolver:
    """Who an attribution names:
    - a statement ('говорится в заявлении КТЖ', 'the ministry's statement') → that statement;
    - a name → that person, completed from `known` people (a surname → the full name and role);
    - a pronoun or a bare role ('сказал он', 'отметил министр'), or nothing → the last person
      named before the speech in the paragraph, else whoever spoke last in the paragraph before
      (`last_speaker`), else the last named in the paragraphs before (`earlier`, the nearest
      last), else `context`; a title ('the Prime Minister said') is someone named before whose
      role holds all of its words."""
    lex = lexicon()

    def complete(person: Person, here: str = "") -> Person:
        if len(person.name.split()) == 1:  # a surname alone: the full name the text gave before
            for text in ([here] if here else []) + list(reversed(list(earlier)[-LOOK_BACK:])):
                if stem_of(person.name) not in text.lower().replace("ё", "е"):
                    continue
                fuller_found = [p for p in names(text) if len(p.name.split()) > 1 and _same(p.name, person.name)]
                if fuller_found:
                    person = Person(fuller_found[-1].name, person.role or fuller_found[-1].role)
                    break
        for other in known:
            if other and _same(other.name, person.name):
                if len(other.name.split()) >= len(person.name.split()):
                    return Person(other.name, person.role or other.role)
                return Person(person.name, person.role or other.role)
        return fuller(person) if fuller else person

    def last_named(text: str) -> Person | None:
        """The last person named, preferring one who speaks ('— заявил посол Нурлан Сейтов') over one
        the speech is about ('Посол отметил, что президент … Бекетов …'); never someone named
        inside a quotation (whom the speaker talks about)."""
        text = _outside_quotations(text)
        found = [p for p in (names(text) if text.strip() else []) if not any(c.isdigit() for c in p.name)]
        if not found:
            return None
        speaking = [p for p in found if speaks(text, p.name)]
        return complete((speaking or found)[-1], text)

    def resolve(region: str, position: int, paragraph: str) -> Person | None:
        tokens = [w.lower() for w in words(region)]
        statement = next((i for i, t in enumerate(tokens) if t.startswith(lex.statement_nouns)), None)
        if statement is not None and not names(region):
            phrase = " ".join(words(region)[statement:])[:120]
            return Person(_nominative_statement(phrase))
        found = [p for p in names(region) if p.name.split()[0].lower() not in lex.not_surnames_ru]
        body = _body(region)
        if body is not None and not found:
            return Person(nominative(body) if nominative else body)
        if found:
            return complete(found[0], paragraph[:position])
        person = known_in(region, known)  # "— заявил Касымов": a surname of someone the text named
        if person:
            return person
        surname = _lone_surname(region)
        if surname:
            return complete(Person(surname), paragraph[:position])
        role_at = next((i for i, t in enumerate(tokens) if t.startswith(lex.role_nouns)), None)
        if role_at is not None:
            # "— отметил российский президент": the person just written about, if the role fits
            # them; else someone known to hold it; else the role itself speaks
            # ("— сообщил аким Западно-Казахстанской области")
            region_words = words(region)
            start = role_at
            while start > 0 and region_words[start - 1].lower() in TITLE_WORDS and region_words[start - 1][:1].isupper() \
                    and region_words[start - 1].lower() not in ("the", "of", "and"):
                start -= 1  # "the Prime Minister": the whole title
            phrase = _role_phrase(region_words[start:])
            noun = phrase.split()[0].lower()[:5]
            recent = last_named(paragraph[:position]) or next(
                (p for p in (last_named(t) for t in list(earlier)[-1:-7:-1]) if p), None)
            generic = not any(w[:1].isupper() for w in phrase.split()[1:])  # "председатель правительства"
            titled = [w.lower()[:5] for w in phrase.split() if w.lower() not in ("the", "of", "and")]
            if recent and recent.role and start < role_at and not _holds(recent, titled):
                # "The Prime Minister emphasized" after a minister of trade: someone named
                # before with that whole title
                holder = next((p for t in [paragraph[:position], *list(earlier)[-1:-7:-1]]
                               for p in reversed(names(t)) if _holds(p, titled)), None)
                if holder:
                    return complete(holder)
                recent = None
            if recent and (not recent.role or noun in recent.role.lower() or generic):
                # "— добавил представитель правительства" about Петров: the role is his
                return recent if recent.role or len(phrase.split()) < 2 else Person(recent.name, phrase)
            holder = next((p for p in reversed(known) if p and p.role and noun in p.role.lower()), None)
            if holder:
                return holder
            if len(phrase.split()) - (role_at - start) >= 2:  # not a bare title ("the Kazakh President")
                return Person(phrase)  # "— сообщил аким Западно-Казахстанской области"
        pointing = any(t in lex.pronouns for t in tokens) or role_at is not None
        if pointing or not tokens:
            person = last_named(paragraph[:position])
            if person:
                return person
            if last_speaker is not None and any(t in lex.pronouns for t in tokens):
                return last_speaker  # "…," he said: whoever spoke last in the paragraph before
            for text in list(earlier)[-1:-7:-1]:
                person = last_named(text)
                if person:
                    return person
            return context
        return None

    return resolve


def _outside_quotations(text: str) -> str:
    """The text with every quotation's words blanked out (same length, so positions hold)."""
    spans = quoted_spans(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(" " * (end - start))
        last = end
    out.append(text[last:])
    return "".join(out)


def _holds(person: Person | None, title: Sequence[str]) -> bool:
    """Does the person's role hold every word of a title ('prime', 'minis')?"""
    return bool(person and person.role) and all(w in person.role.lower() for w in title)  # type: ignore[union-attr]


PHRASE_STOPS = frozenset("на в во после перед при на во время по итогам во-время during at on in after before".split())


def _role_phrase(tokens: Sequence[str]) -> str:
    """The role words an attribution gives, up to a circumstance ('аким области на итоговой
    пресс-конференции' → 'аким области')."""
    kept: list[str] = []
    for token in tokens:
        if kept and (token.lower() in PHRASE_STOPS or speech_word(token)):
            break
        kept.append(token)
    return " ".join(kept[:8])


STATEMENT_NOMINATIVE = {"заявлении": "заявление", "сообщении": "сообщение", "пресс-релизе": "пресс-релиз",
                        "релизе": "релиз", "документе": "документ", "обращении": "обращение",
                        "пресс-службе": "пресс-служба", "пресс-службы": "пресс-служба", "телеграм-канале": "телеграм-канал"}


def _nominative_statement(phrase: str) -> str:
    head, _, rest = phrase.partition(" ")
    head = STATEMENT_NOMINATIVE.get(head.lower(), head)
    return f"{head} {rest}".strip()


def _same(a: str, b: str) -> bool:
    """One person: the same surname, and a first name in common where both give one
    ('Касым-Жомарт Токаев', 'Президента Касым-Жомарта Токаева', 'Токаев')."""
    wa, wb = a.lower().replace("ё", "е").split(), b.lower().replace("ё", "е").split()
    if not (wa and wb) or stem_of(wa[-1]) != stem_of(wb[-1]):
        return False
    return len(wa) == 1 or len(wb) == 1 or bool({w[:3] for w in wa[:-1]} & {w[:3] for w in wb[:-1]})


CAPITALISED = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w’'-]*(?:\s+(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w’'-]*|bin|de|van|von|al-\w+))*", re.UNICODE)
TITLE_WORDS = frozenset("""kazakh kazakhstan kazakhstan's russian russia's deputy vice prime first energy foreign
    minister president presidential chairman chair head ceo director ambassador spokesman spokeswoman
    secretary general governor mayor senator adviser advisor chief executive the of and economy trade
    finance national bank akim professor dr mr mrs ms
    british american chinese uzbek kyrgyz tajik turkmen azerbaijani georgian turkish german french
    japanese indian iranian pakistani kyrgyzstan uzbekistan tajikistan turkmenistan azerbaijan
    georgia china russia britain turkey pakistan iran india japan germany france""".split())
# (countries and their adjectives: "Kyrgyzstan David Moran" → David Moran, "British Ambassador" is no name)


POSSESSIVE = re.compile(r"[’']s$")
TITLED_BEFORE = re.compile(r"((?:[A-Z][\w-]+ ){1,5}?[A-Z][\w-]+), $")
ROLE_OF = re.compile(r"((?:[A-Z][\w-]+ )+)of (?:the )?$")


# Words that open a phrase after "Name, " that is no role: a preposition, a conjunction, a verb.
EN_NOT_ROLE_START = frozenset("""in on at during with for from by of to as who which that and but or while when
    after before since said says told added noted""".split())


def _names_a_thing(after: str) -> bool:
    """Do the words after a run of capitals say it names a thing, not a person ("… programme",
    "… is an important programme", "… was a new project")?"""
    following = re.findall(r"[A-Za-z-]+", after.lower())[:5]
    things = lexicon().not_name_words_en
    if following[:1] and following[0] in things:
        return True
    if following[:1] in (["is"], ["was"]):
        rest = [w for w in following[1:] if w not in ("a", "an", "the")]
        return any(w in things for w in rest[:3])
    return False


def plain_names(text: str) -> list[Person]:
    """People named in a text, without the language models: runs of capitalised words that are
    no title ('Deputy Trade Minister Daniyar Bekov' → Daniyar Bekov), with the role written
    after a comma ('Jane Doe, head of the port authority') or before the name."""
    out: list[Person] = []
    for m in CAPITALISED.finditer(text):
        parts = m.group().split()
        lead: list[str] = []
        while parts and (parts[0].lower().strip("’'s") in TITLE_WORDS or parts[0].lower().startswith(lexicon().role_nouns)):
            lead.append(parts.pop(0))
        parts = [p for p in parts if not speech_word(p)]
        of_role = ROLE_OF.search(text[max(0, m.start() - 60) : m.start()])
        if of_role and not all(w.lower() in TITLE_WORDS or w.lower().startswith(lexicon().role_nouns)
                               for w in of_role.group(1).split()):
            of_role = None
        if of_role and not lead and len(parts) == 3:
            lead.append(parts.pop(0))  # "President of Uzbekistan Akmal Rashidov": the country is the role's
        if len(parts) > 3:  # "State University Marat Seitov": a name closes a run of capitals
            lead += parts[:-2]
            parts = parts[-2:]
        if any(POSSESSIVE.sub("", p.lower()) in lexicon().not_name_words_en for p in parts):
            continue  # "the Central Asian states", "the Regional Cooperation Forum"
        if _names_a_thing(text[m.end() : m.end() + 60]):
            continue  # "the Green Rail programme", "Green Rail is a new project": no person
        if not 2 <= len(parts) <= 3 or any(p.isupper() and len(p) > 1 for p in parts):
            continue
        if m.start() == 0 and lead == [] and len(parts) == 2 and parts[0].lower() in ("the", "in", "on", "at"):
            continue
        if of_role and lead:
            lead = of_role.group(0).split() + lead  # "President of Uzbekistan Akmal Rashidov"
        role = None
        after = text[m.end() : m.end() + 160]
        if after.startswith(", "):
            tail = after[2:]
            stop = min([i for i in (tail.find(","), tail.find("."), tail.find(";"), tail.find(" said"), tail.find("\n")) if i != -1] or [len(tail)])
            candidate = tail[:stop].strip()
            if candidate and candidate[:1].islower() and 1 <= len(candidate.split()) <= 14 \
                    and candidate.split()[0] not in EN_NOT_ROLE_START:  # "…, in his message": no role
                role = candidate
        if role is None and lead:
            role = " ".join(lead)
        if role is None:
            titled = TITLED_BEFORE.search(text[max(0, m.start() - 80) : m.start()])
            if titled and titled.group(1).split()[-1].lower().startswith(lexicon().role_nouns):
                role = titled.group(1)  # "citing Deputy Transport Minister, Daniyar Bekov"
        out.append(Person(" ".join(parts), role))
    return out


TITLE_NAMES = re.compile(r"\s[-–—]\s+(?P<role>[A-Z].+)\s+(?P<name>[A-Z][\w’'-]+\s[A-Z][\w’'-]+)\s*$")


def titled_in_headline(title: str) -> Person | None:
    """The person a headline ends with, after a dash and their role ("… - British Ambassador to
    the UN Jane Doe"): an interview's interviewee where its lead names no one."""
    found = TITLE_NAMES.search(title or "")
    if found is None:
        return None
    role = found.group("role").strip(" ,")
    if not any(w.lower().startswith(lexicon().role_nouns) for w in role.split()):
        return None
    return Person(found.group("name"), role)


def plain_resolver(context: Person | None = None, known: Sequence[Person] = (), earlier: Sequence[str] = (),
                   last_speaker: Person | None = None) -> Resolver:
    """A resolver without the language models (English text; the faithfulness checks)."""
    return make_resolver(plain_names, earlier=earlier, context=context, known=known, last_speaker=last_speaker)


def _lone_surname(region: str) -> str | None:
    """A capitalised word right after the verb of an attribution ('— сказал Касымов', 'said
    Bekov'), that is no role, pronoun or statement: a surname alone."""
    found = words(region)
    for i, word in enumerate(found[:4]):
        if not speech_word(word):
            continue
        # '— сказал Касымов' / '," Bekov stated'
        for near in ([found[i + 1]] if i + 1 < len(found) else []) + ([found[i - 1]] if i else []):
            low = near.lower()
            if near[:1].isupper() and not near.isupper() and len(near) > 2 and low not in lexicon().pronouns \
                    and low not in lexicon().not_surnames_ru and low not in lexicon().not_name_words_en \
                    and not low.startswith(lexicon().role_nouns + lexicon().statement_nouns) \
                    and low not in TITLE_WORDS and not speech_word(near):
                return near
    return None


def known_in(region: str, known: Sequence[Person]) -> Person | None:
    """Someone of `known` whose surname (in any case) stands in the region."""
    low = " " + " ".join(words(region.lower().replace("ё", "е"))) + " "
    for person in known:
        stem = stem_of(person.name)
        if stem and f" {stem}" in low:
            return person
    return None


stem_of = surname_key  # a surname's first letters, so declined forms meet ('Токаева' → 'токае')


# --------------------------------------------------------------------------------------------
# A source's voices, for the faithfulness rules


class Spoken(Protocol):
    text: str
    speaker: Person | None


def voices_of(passages: Sequence[tuple[str | None, str, Person | None, Sequence[Spoken], Sequence[Spoken]]]) -> Voices:
    """Voices from passages given as (question, answer or paragraph, who answers, quotations,
    reported speech): a question is the interviewer's, an answer the interviewee's, a narrative
    paragraph the piece's own; quotations are their speakers' (in an answer, those the
    interviewee gives to someone else), reported speech the person it names."""
    out: list[Voice] = []
    for question, body, answering, direct, reported in passages:
        if question:
            out.append(Voice(collapse(question), "interviewer"))
        if question and answering:
            out.append(Voice(collapse(body), "interviewee", answering.name, answering.role))
        else:
            out.append(Voice(collapse(body), "narrative"))
        for said in direct:
            if said.speaker and not (question and said.speaker == answering):
                out.append(Voice(collapse(said.text), "speaker", said.speaker.name, said.speaker.role))
        for said in reported:
            if said.speaker:
                out.append(Voice(collapse(said.text), "reported", said.speaker.name, said.speaker.role))
    return tuple(v for v in out if v.text)


def source_voices(text: str, interviewee: str | None, people: Sequence[str] = ()) -> Voices:
    """Who says what in a stored source's text, without the language models: its interview
    turns (questions the interviewer's, answers `interviewee`'s) and the speech in its narrative
    paragraphs, its speakers resolved among `people` (the names the content credits) or read
    from capitalised words. Linear in the text; for the domain's `VoiceReader`."""
    from bot.services.ingest.reading import structure  # the layout stage loads no models

    known = [Person(name) for name in people if name]
    person = Person(interviewee) if interviewee else None
    laid = structure.layout(text)
    lang = "en" if laid.language == "en" else "ru"
    passages: list[tuple[str | None, str, Person | None, Sequence[Said], Sequence[Said]]] = []
    earlier: list[str] = []
    carried: Person | None = None
    for segment in laid.segments:
        body = "\n\n".join(segment.answer)
        if segment.question is not None:
            passages.append((segment.question, body, person, (), ()))
            carried = None
        else:
            resolve = plain_resolver(None, known, earlier)
            said = find(body, resolve, lang=lang, carried=carried)
            passages.append((None, body, None, [x for x in said if x.direct], [x for x in said if not x.direct]))
            carried = resolve(body[-200:], len(body[-200:]), body[-200:]) if introduces_speaker(body) else None
        earlier.append(body)
    return voices_of(passages)
