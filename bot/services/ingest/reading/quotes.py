"""Quotes: the interviewee's own sentences in an answer, and attributed speech in narrative
(«…», — заявил Токаев / Токаев заявил: «…» / По словам министра X, … / — …, — сказал он).
Every quote is a verbatim substring of the passage text; the interviewer's question is never
looked at.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.services.ingest.reading import nlp, people, ranking, structure
from bot.services.ingest.reading.figures import extract_figures
from bot.services.ingest.reading.models import Person, Quote
from bot.services.ingest.reading.speech import quoted_spans as _quoted_spans

QUOTE_MIN, QUOTE_MAX = 30, 300
ANAPHORIC = ("это ", "этот ", "эти ", "здесь ", "там ", "он ", "она ", "они ", "такие ", "такой ", "тогда ",
             "поэтому ", "кроме того", "также ", "и ", "а ", "но ", "при этом")  # fmt: skip
OPENERS = ("по словам ", "по мнению ", "как отметил", "как отметила", "как заявил", "как заявила",
           "как подчеркнул", "как подчеркнула", "как сказал", "как сказала", "как пояснил", "как пояснила",
           "как рассказал", "как рассказала", "как считает", "как уверен", "как уверена", "как отмечает",
           "как говорит", "как подчеркивает", "как подчёркивает", "как объясняет", "как объяснил",
           "как объяснила", "как полагает", "как добавил", "как добавила", "как уточнил", "как уточнила",
           "according to ")  # fmt: skip


def _fit(text: str) -> str | None:
    """A quote of at most QUOTE_MAX characters: the text, or its leading sentences that fit."""
    text = text.strip()
    if len(text) <= QUOTE_MAX:
        return text if len(text.split()) >= 3 else None
    kept = ""
    for sentence in nlp.sentences(text):
        candidate = text[: text.find(sentence) + len(sentence)] if sentence in text else ""
        if candidate and len(candidate.strip()) <= QUOTE_MAX:
            kept = candidate.strip()
        else:
            break
    return kept or None


# stems of words that give a view rather than a fact: what must be done, what is wrong or right
EVALUATIVE = ("долж", "нужн", "нужен", "надо", "необходим", "важн", "главн", "счита", "дума", "увер",
              "убежд", "полага", "уверен", "проблем", "недовол", "доволен", "не хватает", "нельзя", "лучш",
              "хуже", "плох", "хорош", "риск", "опас", "ошибк", "выгод", "невыгод", "стоит ", "пора",
              "беспоко", "тревож", "ловушк", "слишком", "рано", "поздно", "справедлив", "перестать",
              "should", "must", "need", "believe", "think", "wrong", "right")  # fmt: skip


def evaluative(text: str) -> bool:
    low = text.lower()
    return any(stem in low for stem in EVALUATIVE)


def answer_quotes(sentences: Sequence[str], speaker: Person | None, *, limit: int = 3) -> tuple[Quote, ...]:
    """The speaker's quotable sentences of an answer, in text order: those that give a view come
    first; a sentence that only states a number is left to the figures (it is one of them), and
    a sentence holding a «…» quotation is left to `attributed_quotes`."""
    if not sentences:
        return ()
    scores = ranking.textrank(sentences)
    candidates = []
    for i, (sentence, score) in enumerate(zip(sentences, scores)):
        text = sentence.strip()
        if not QUOTE_MIN <= len(text) <= QUOTE_MAX or structure.ends_question(text):
            continue
        if not (text[:1].isupper() or text[:1] in "«\""):
            continue
        if _quoted_spans(text) or extract_figures(text):
            continue
        if text.lower().startswith(ANAPHORIC):
            score *= 0.6
        if evaluative(text):
            score *= 1.5
        candidates.append((score, i, text))
    chosen = sorted(sorted(candidates, reverse=True)[:limit], key=lambda c: c[1])
    return tuple(Quote(text, speaker) for _, _, text in chosen)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], not cut inside it."""
    left = start
    while left > 0 and not (text[left - 1] in ".!?\n" and (left >= len(text) or text[left] in " \n")):
        left -= 1
        if start - left > 400:
            break
    right = end
    while right < len(text) and not (text[right] in ".!?\n" and (right + 1 >= len(text) or text[right + 1] in " \n")):
        right += 1
        if right - end > 300:
            break
    return left, min(len(text), right + 1)


def _has_speech_verb(region: str) -> bool:
    return any(structure.speech_verb(w) or w.lower().startswith(("назва", "назыв", "назов"))
               for w in ranking.words(region))


def attributed_quotes(text: str, context: Person | None = None) -> tuple[Quote, ...]:
    """Attributed speech in a narrative paragraph."""
    found: list[tuple[int, Quote]] = []
    covered: list[tuple[int, int]] = []

    def add(start: int, quote_text: str, speaker: Person | None) -> None:
        fitted = _fit(quote_text)
        if fitted and fitted in text and not any(a <= start < b for a, b in covered):
            found.append((start, Quote(fitted, speaker)))
            covered.append((start, start + len(fitted)))

    # «…», — заявил X. / X заявил: «…» / назвал их «…»
    for qs, qe in _quoted_spans(text):
        inner = text[qs + 1 : qe - 1]
        if len(inner.split()) < 3:
            continue
        after = text[qe : qe + 160]
        lead_after = after.lstrip(" ,.!?…")
        before = text[max(0, qs - 200) : qs]
        speaker: Person | None = None
        attributed = False
        if lead_after[:1] in "—–-":
            region = lead_after[1:]
            stop = min([p for p in (region.find(". "), region.find("\n"), region.find("«")) if p != -1] or [len(region)])
            region = region[:stop]
            if _has_speech_verb(" ".join(region.split()[:3])):
                attributed = True
                speaker = people.resolve_speaker(region, text, context, qs)
        if not attributed and before.rstrip().endswith(":"):
            region = before.rstrip()[:-1]
            cut = max(region.rfind(". "), region.rfind("\n"))
            region = region[cut + 1 :]
            if _has_speech_verb(region):
                attributed = True
                speaker = people.resolve_speaker(region, text, context, qs)
        if not attributed:
            s_start, s_end = _sentence_bounds(text, qs, qe)
            outside = text[s_start:qs] + " " + text[qe:s_end]
            if _has_speech_verb(outside) and len(inner.split()) >= 3:
                speaker = people.resolve_speaker(outside, text, context, qs)
                attributed = speaker is not None
        if attributed:
            add(qs + 1, inner, speaker)
    # По словам X, … / Как отметил X, …
    for s_start, s_end in nlp.sentence_spans(text):
        sentence = text[s_start:s_end]
        low = sentence.lower()
        if low.startswith(OPENERS):
            comma = sentence.find(", ", 0, 220)
            if comma != -1:
                region = sentence[:comma]
                rest = sentence[comma + 2 :]
                if len(rest.split()) >= 3:
                    add(s_start + comma + 2, rest, people.resolve_speaker(region, text, context))
    # — Мы готовы, — сказал министр.
    body = structure._dash_body(text)
    if body is not None:
        offset = len(text) - len(body)
        for sep in (", — ", ", – ", "! — ", "? — ", "… — ", "! – ", "? – ", ". — ", ". – "):
            at = body.find(sep)
            if at != -1:
                region = body[at + len(sep) :]
                first_words = " ".join(region.split()[:2])
                if _has_speech_verb(first_words):
                    keep = at + (1 if sep[0] in "!?…." else 0)
                    stop = min([p for p in (region.find(". "), region.find("\n")) if p != -1] or [len(region)])
                    add(offset, body[:keep], people.resolve_speaker(region[:stop], text, context, offset))
                    break
    found.sort(key=lambda item: item[0])
    return tuple(q for _, q in found)
