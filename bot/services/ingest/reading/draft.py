"""A draft snippet from one passage: topics, a declarative title, a ranked extractive summary,
its figures and quotes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bot.services.ingest.reading import nlp, ranking, structure
from bot.services.ingest.reading import topics as topic_routing
from bot.services.ingest.reading.figures import extract_figures
from bot.services.ingest.reading.models import Draft, FigureCandidate, Passage, Topic

TITLE_MAX = 120
SUMMARY_MAX = 1200
DISCOURSE_OPENERS = ("кроме того, ", "при этом ", "однако ", "также ", "в то же время ", "вместе с тем ",
                     "более того, ", "таким образом, ", "итак, ", "впрочем, ", "поэтому ", "и ", "а ", "но ")  # fmt: skip
WEAK_ENDINGS = frozenset("и или а но в во на по за из от до для с со к о об при про что как который чтобы не".split())


def _direct(quote: str, text: str) -> bool:
    """Is the quote direct speech («…» or a dash turn), not reported speech ("По словам X, …"),
    which a summary may well give?"""
    at = text.find(quote)
    return at > 0 and text[at - 1] in "«\"„“" or at == -1 or text[:at].strip() in ("", "—", "–", "-")


def _quoted(sentence: str) -> bool:
    return any(mark in sentence for mark in "«\"„“")


def _in_marks(quote: str, sentence: str) -> bool:
    flat = " ".join(sentence.split())
    at = flat.find(quote)
    return at > 0 and flat[at - 1] in "«\"„“"


def _summary_sentences(passage: Passage) -> list[str]:
    """The sentences a summary and a title are made of: the passage's, without those that carry
    one of its quotes (a quote goes to the quotes, said once), unless nothing else is left."""
    sentences = [s for s in (passage.sentences or nlp.sentences(passage.text)) if s.strip()]
    quoted = [" ".join(q.text.split()) for q in passage.quotes[:3] if q.speaker is not None and _direct(q.text, passage.text)]
    if quoted:
        reported = [s for s in sentences if not any(q in " ".join(s.split()) for q in quoted)]
        # an answer quoted whole: the sentence in «…» still goes to the quotes, the rest is summed up
        marked = [s for s in sentences if not any(q in " ".join(s.split()) and _in_marks(q, s) for q in quoted)]
        sentences = reported or marked or sentences
    if len(sentences) < 2 and passage.question:
        context = [s for s in nlp.sentences(passage.question) if not structure.ends_question(s)]
        sentences = context[-1:] + sentences
    return sentences


def _scores(sentences: list[str], text_for_topics: Sequence[Topic | Mapping[str, Any]] | None) -> list[float]:
    scores = ranking.textrank(sentences)
    if not scores:
        return []
    n = len(sentences)
    out = []
    for i, (sentence, score) in enumerate(zip(sentences, scores)):
        bonus = 0.0
        if text_for_topics:
            hits = sum(s for _, s in topic_routing.score_topics(sentence, text_for_topics))
            bonus += 0.03 * min(hits, 4)
        if any(c.isdigit() for c in sentence):
            bonus += 0.02
        if i == 0:
            bonus += 0.02
        if structure.ends_question(sentence):
            bonus -= 1.0
        out.append(score * n / max(n, 1) + bonus)
    return out


def summarise(passage: Passage, topics: Sequence[Topic | Mapping[str, Any]] | None = None) -> str:
    """2–4 of the passage's most central sentences, in text order, at most SUMMARY_MAX chars."""
    sentences = _summary_sentences(passage)
    if not sentences:
        return ""
    if len(sentences) <= 2:
        chosen = list(range(len(sentences)))
    else:
        want = 2 if len(sentences) <= 4 else 3 if len(sentences) <= 8 else 4
        scores = _scores(sentences, topics)
        ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
        chosen = sorted(ranked[:want])
        while len(chosen) > 2 and len(" ".join(sentences[i] for i in chosen)) > SUMMARY_MAX:
            worst = min(chosen, key=lambda i: scores[i])
            chosen.remove(worst)
    summary = " ".join(sentences[i].strip() for i in chosen)
    while len(summary) > SUMMARY_MAX and len(chosen) > 1:
        chosen.pop()
        summary = " ".join(sentences[i].strip() for i in chosen)
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"
    return summary


def _clean_title(text: str) -> str:
    text = " ".join(text.split()).strip()
    if text[:1] in "—–-" and text[1:2] == " ":
        text = text[2:]
        for sep in (", — ", ", – ", "! — ", "? — ", ". — "):
            at = text.find(sep)
            if at > 20:
                text = text[: at + (1 if sep[0] in "!?" else 0)]
                break
    low = text.lower()
    for opener in DISCOURSE_OPENERS:
        if low.startswith(opener) and len(text) > len(opener) + 10:
            text = text[len(opener) :]
            text = text[:1].upper() + text[1:]
            break
    return text.rstrip(" .;:,–—-")


SUBORDINATORS = ("который", "которая", "которое", "которые", "которых", "которым", "где", "когда", "чтобы",
                 "если", "поскольку", "так как", "хотя", "а ", "но ", "однако", "причем", "причём", "что ")  # fmt: skip
CLAUSE_VERBS = ("подтвержда", "показыва", "означа", "свидетельству", "говорит о том", "счита", "уверен",
                "убежд", "дума", "полага", "ясно", "важно", "очевидно", "понятно", "отмет", "подчерк")  # fmt: skip


def _ends_badly(head: str) -> bool:
    if head.lower().startswith(FRAGMENT_OPENERS):
        return True
    words = head.split()
    if len(words) < 4 or words[-1].lower().strip(",;:") in WEAK_ENDINGS:
        return True
    if head.count("«") != head.count("»") or head.count("(") != head.count(")"):
        return True
    last = words[-1].strip(",;:«»()")
    best = nlp.parses(last)
    return bool(best) and best[0].tag.POS in {"VERB", "INFN", "PRTS"} and best[0].score > 0.4


def _finite_verb(head: str) -> bool:
    for word in ranking.words(head):
        found = nlp.parses(word)
        if found and found[0].tag.POS == "VERB" and found[0].score > 0.3:
            return True
    return False


def _opens_clause(following: str) -> bool:
    """Does the text after a comma open a subordinate, participial or adverbial clause?"""
    if following.lower().startswith(SUBORDINATORS):
        return True
    first = ranking.words(following[:30])
    if not first:
        return False
    found = nlp.parses(first[0])
    return bool(found) and found[0].tag.POS in {"PRTF", "GRND"}


def _shorten(text: str, limit: int = TITLE_MAX) -> str:
    """A title of at most `limit` characters: the sentence itself, or its main clause (cut
    before a colon or semicolon, a dash after a clause with a verb, a subordinate or
    participial clause), or the что-clause a framing verb introduces ('Визит подтверждает, что
    Астана остаётся …' → 'Астана остаётся …'), or a word cut outside any quotation."""
    if len(text) <= limit:
        return text
    shorter = _acronyms(text)
    if shorter != text:
        return _shorten(shorter, limit)
    at = text.find(", что ")
    if at != -1 and any(v in text[:at].lower() for v in CLAUSE_VERBS):
        clause = text[at + 6 :].strip()
        clause = clause[:1].upper() + clause[1:]
        if 25 <= len(clause):
            return _shorten(clause.rstrip(" .;:,–—-"), limit)
    candidates: list[str] = []
    for sep in (": ", "; "):
        at = text.find(sep)
        if 25 <= at <= limit and not _ends_badly(text[:at]):
            candidates.append(text[:at])
    if not candidates:
        for sep in (" – ", " — "):
            at = text.find(sep)
            while 25 <= at <= limit:
                if not _ends_badly(text[:at]) and _finite_verb(text[:at]):
                    candidates.append(text[:at])
                at = text.find(sep, at + 3)
    if not candidates:
        at = text.find(", ")
        while 0 < at <= limit:
            head = text[:at]
            if len(head) >= 25 and not _ends_badly(head) and (_opens_clause(text[at + 2 :]) or _finite_verb(head)):
                candidates.append(head)
            at = text.find(", ", at + 2)
    if not candidates:
        # two predicates joined by "и": the first one ("… поблагодарил … за тёплый приём и пригласил …")
        at = text.find(" и ")
        while 0 < at <= limit:
            head, following = text[:at], ranking.words(text[at + 3 : at + 40])
            if len(head) >= 25 and following and _finite_verb(head) and not _ends_badly(head) \
                    and nlp.pos(following[0]) == "VERB":
                candidates.append(head)
            at = text.find(" и ", at + 3)
    if candidates:
        return max(candidates, key=len).rstrip(" ,;:–—-")
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    if cut.count("«") > cut.count("»"):
        cut = cut[: cut.rfind("«")].rstrip()
    words = cut.split()
    while words and words[-1].lower().strip(",;:") in WEAK_ENDINGS:
        words.pop()
    if not words:
        words = text[: limit - 1].rsplit(" ", 1)[0].split()
    return " ".join(words).rstrip(" ,;:–—-") + "…"


def _acronyms(text: str) -> str:
    """'по Транскаспийскому международному транспортному маршруту (ТМТМ)' → 'по ТМТМ': a name
    followed by its acronym in brackets, where the words' initials spell it. Linear."""
    out: list[str] = []
    i = 0
    while True:
        opening = text.find(" (", i)
        closing = text.find(")", opening + 2) if opening != -1 else -1
        if opening == -1 or closing == -1 or closing - opening > 12:
            out.append(text[i:])
            break
        acronym = text[opening + 2 : closing]
        words = text[i:opening].split(" ")
        count = len(acronym)
        if acronym.isupper() and acronym.isalpha() and 2 <= count <= 6 and len(words) >= count \
                and "".join(w[:1] for w in words[-count:]).upper() == acronym and all(len(w) > 2 for w in words[-count:]):
            out.append(" ".join(words[:-count] + [acronym]))
        else:
            out.append(text[i : closing + 1])
        i = closing + 1
    return "".join(out)


INTERROGATIVES = frozenset("что как почему зачем где когда кто какой какая какие каков сколько куда откуда чем ли".split())
FRAGMENT_OPENERS = ("о том", "о чем", "о чём", "как ", "почему ", "зачем ", "что ", "чем ", "где ", "когда ")


def _titleworthy(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and not structure.ends_question(text)


def _heading_states(heading: str) -> bool:
    """A heading can be the title when it says something: three words or more, no question, and
    a verb ("Атомный проект перешёл в практическую плоскость"); a heading that only names a
    topic ("Деньги и тарифы", "Газ и энергокольцо") is no title."""
    words = ranking.words(heading.lower())
    return _titleworthy(heading) and len(words) >= 3 and words[0] not in INTERROGATIVES and _finite_verb(heading)


ANAPHORIC_OPENERS = ("по словам", "об этом ", "по мнению", "по его словам", "по её словам", "по ее словам", "по их словам", "для этого", "это ", "он ",
                     "она ", "они ", "поэтому", "там ", "здесь ")  # fmt: skip


def draft_title(passage: Passage, sentences: list[str], scores: list[float], spare: Sequence[str] = ()) -> str:
    """The heading when it states something; else the most central declarative sentence that
    fits, among those ranking close to the best; else a whole sentence of the answer that went
    to the quotes (`spare`: never one in «…»); else the best one, shortened."""
    if passage.heading and _heading_states(passage.heading):
        return _shorten(_clean_title(passage.heading))
    ranked = sorted(range(len(sentences)), key=lambda i: -scores[i]) if scores else []
    ranked = [i for i in ranked if _titleworthy(sentences[i])]
    if ranked:
        top = scores[ranked[0]]
        # a whole sentence that stands on its own (no "По его словам", "Для этого" opening it)
        standing = [i for i in ranked if not sentences[i].lower().startswith(ANAPHORIC_OPENERS)] or ranked
        for floor in (0.6, 0.0):
            for i in standing[:8]:
                cleaned = _clean_title(sentences[i])
                if 25 <= len(cleaned) <= TITLE_MAX and scores[i] >= floor * top:
                    return cleaned
        for sentence in spare:
            cleaned = _clean_title(sentence)
            if 25 <= len(cleaned) <= TITLE_MAX and _titleworthy(cleaned) and not _quoted(sentence) \
                    and not sentence.lower().startswith(ANAPHORIC_OPENERS):
                return cleaned
        return _shorten(_clean_title(sentences[standing[0]]))
    if passage.question:
        context = [s for s in nlp.sentences(passage.question) if _titleworthy(s)]
        if context:
            return _shorten(_clean_title(context[0]))
    if passage.heading and not structure.ends_question(passage.heading) and any(c.isalpha() for c in passage.heading):
        return _shorten(_clean_title(passage.heading))
    return _noun_words(passage.text) or "Без заголовка"


def _noun_words(text: str) -> str:
    """For a passage with no statement at all: its nouns and adjectives, in order."""
    kept: list[str] = []
    for word in ranking.words(text[:2000]):
        if word.lower() in INTERROGATIVES or len(word) < 3:
            continue
        found = nlp.parses(word)
        if found and found[0].tag.POS in {"NOUN", "ADJF"}:
            kept.append(word)
        if len(kept) >= 8:
            break
    title = " ".join(kept)
    return _shorten(title[:1].upper() + title[1:]) if title else ""


def passage_figures(passage: Passage) -> tuple[FigureCandidate, ...]:
    """Figures of the question and the answer, one per value, unit and year."""
    found = list(extract_figures(passage.question)) if passage.question else []
    found += list(extract_figures(passage.text))
    seen: set[tuple[Decimal, str, int | None]] = set()
    out = []
    for figure in found:
        key = (figure.value, figure.unit, figure.year)
        if key in seen:
            continue
        seen.add(key)
        out.append(figure)
    return tuple(out)


def draft_passage(passage: Passage, topics: Sequence[Topic | Mapping[str, Any]]) -> Draft:
    """A draft snippet for one passage."""
    topic_list = [topic_routing.as_topic(t) for t in topics]
    routing_text = "\n".join(part for part in (passage.heading, passage.question, passage.text) if part)
    chosen_topics = topic_routing.choose_topics(routing_text, topic_list)
    sentences = _summary_sentences(passage)
    scores = _scores(sentences, topic_list)
    spare = [s for s in passage.sentences if s not in sentences]
    title = draft_title(passage, sentences, scores, spare)
    summary = summarise(passage, topic_list)
    return Draft(
        title=title,
        summary=summary,
        topics=chosen_topics,
        figures=passage_figures(passage),
        quotes=passage.quotes[:3],
    )
