"""A draft snippet from one passage: topics, a declarative title, a ranked extractive summary,
its figures and quotes."""

from __future__ import annotations

import re

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bot.services.ingest.reading import nlp, ranking, speech, structure
from bot.services.ingest.reading import topics as topic_routing
from bot.services.ingest.reading.figures import extract_figures
from bot.services.ingest.reading.models import Draft, FigureCandidate, Passage, Quote, Topic
from bot.services.ingest.reading.quotes import ANAPHORIC, evaluative

TITLE_MAX = 120
SUMMARY_MAX = 1200
DISCOURSE_OPENERS = ("кроме того, ", "при этом ", "однако ", "также ", "в то же время ", "вместе с тем ",
                     "более того, ", "таким образом, ", "итак, ", "впрочем, ", "поэтому ", "и ", "а ", "но ")  # fmt: skip
WEAK_ENDINGS = frozenset("и или а но в во на по за из от до для с со к о об при про что как который чтобы не".split())


def _quoted(sentence: str) -> bool:
    return any(mark in sentence for mark in "«\"„“")


def _in_marks(quote: str, sentence: str) -> bool:
    flat = " ".join(sentence.split())
    at = flat.find(quote)
    return at > 0 and flat[at - 1] in "«\"„“"


def choose_quotes(passage: Passage, limit: int = 3) -> tuple[Quote, ...]:
    """The passage's quotes a draft carries: attributed, whole, at most `limit` (`best_quotes`), in
    text order."""
    attributed: list[Quote] = []
    for quote in passage.quotes:
        if quote.speaker is None or any(" ".join(quote.text.split()) == " ".join(q.text.split()) for q in attributed):
            continue
        attributed.append(quote)
    return best_quotes(attributed, limit)


def best_quotes(attributed: Sequence[Quote], limit: int) -> tuple[Quote, ...]:
    """At most `limit` of the quotes, in text order: every speaker's first words, then words that
    state a number or take a view, before words that lean on the sentence before ("Это …")."""
    if len(attributed) <= limit:
        return tuple(attributed)
    speakers_seen: set[str] = set()

    def worth(index: int, quote: Quote) -> float:
        score = 0.0
        if quote.speaker and quote.speaker.name not in speakers_seen:
            speakers_seen.add(quote.speaker.name)
            score += 3  # every voice heard once before anyone twice
        if any(ch.isdigit() for ch in quote.text):
            score += 1.5
        if evaluative(quote.text):
            score += 1
        if quote.text.lower().startswith(ANAPHORIC):
            score -= 1
        return score - index * 0.01

    ranked = sorted(((worth(i, q), i) for i, q in enumerate(attributed)), reverse=True)[:limit]
    return tuple(attributed[i] for _, i in sorted(ranked, key=lambda pair: pair[1]))


def _unquoted_sentences(passage: Passage, chosen: Sequence[Quote]) -> list[str]:
    quoted = [" ".join(q.text.split()) for q in chosen]
    return [s for s in (passage.sentences or nlp.sentences(passage.text))
            if s.strip() and not any(q in " ".join(s.split()) for q in quoted)]


def _summary_sentences(passage: Passage, chosen: Sequence[Quote] | None = None) -> list[str]:
    """The sentences a summary and a title are made of: the passage's, without those that carry
    one of its chosen quotes (a quote goes to the quotes, said once), unless nothing else is left."""
    sentences = [s for s in (passage.sentences or nlp.sentences(passage.text)) if s.strip()]
    # "Министр энергетики Иван Петров:" only introduces the words after it: no summary of its own
    sentences = [s for s in sentences if not s.rstrip().endswith(":")] or sentences
    chosen = choose_quotes(passage) if chosen is None else chosen
    quoted = [" ".join(q.text.split()) for q in chosen]
    if quoted:
        reported = [s for s in sentences if not any(q in " ".join(s.split()) or _inside(s, q) for q in quoted)]
        # an answer quoted whole: the sentence in «…» still goes to the quotes, the rest is summed up
        marked = [s for s in sentences if not any(q in " ".join(s.split()) and _in_marks(q, s) for q in quoted)]
        sentences = reported or marked or sentences
    sentences = [s for s in sentences if len(s.split()) >= 3] or sentences  # "ASTANA.": a dateline's word, no sentence
    if passage.question is None:
        # someone's direct speech the reader could not credit ("«…», – отметил он" with no one
        # named before): never shown as the article's own words
        own = [s for s in sentences if not _uncredited_speech(s, passage)]
        sentences = own or sentences
    if len(sentences) < 2 and passage.question:
        context = [s for s in nlp.sentences(passage.question) if not structure.ends_question(s)]
        sentences = context[-1:] + sentences
    return sentences


REMARK_ATTRIBUTION = re.compile(r"(?<=[,!?…])\s[—–-]\s")


def _unattributed(sentence: str, passage: Passage) -> bool:
    """A sentence of direct speech the reader could not credit (`Passage.unattributed`)."""
    spoken = REMARK_ATTRIBUTION.split(_spoken_part(sentence))[0].rstrip(".,!?…").lstrip("—–- ")  # "…, — сказал аким."
    return len(spoken) >= 20 and any(spoken in " ".join(text.split()) for text in passage.unattributed)


def _uncredited_speech(sentence: str, passage: Passage) -> bool:
    """A sentence of direct speech the reader could not credit ("— …, — сказал аким" with no
    akim named), or carrying a quotation of 5+ words beside a speech verb that is none of the
    passage's credited quotes."""
    flat = " ".join(sentence.split())
    if _unattributed(sentence, passage):
        return True
    for start, end in speech.quoted_spans(flat):
        inner = flat[start + 1 : end - 1]
        if len(inner.split()) < 5 or any(q.speaker and (inner[:60] in q.text or q.text[:60] in inner)
                                          for q in passage.quotes):
            continue
        if speech.has_speech_word(flat[:start] + " " + flat[end:]):
            return True
    return False


def _spoken_part(sentence: str) -> str:
    """A sentence of a quotation without its marks, and for its last sentence without the
    attribution after the closing mark ('C," the President said.' → 'C')."""
    flat = " ".join(sentence.split()).lstrip(" “«\"„'")
    close = min((at for at in (flat.find("”"), flat.find("»"), flat.find('"')) if at != -1), default=-1)
    if close != -1 and not any(mark in flat[:close] for mark in "“«"):
        flat = flat[:close]  # its last sentence, before the attribution: "C,” he said."
    return flat.strip(" “”«»\"„,'")


def _inside(sentence: str, quote: str) -> bool:
    """A sentence of a quotation that runs over several sentences ("“A. B. C,” he said": B)."""
    flat = _spoken_part(sentence).rstrip(".")
    return len(flat) >= 20 and flat in quote


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


def summary_sentences(passage: Passage, topics: Sequence[Topic | Mapping[str, Any]] | None = None,
                      chosen: Sequence[Quote] | None = None) -> list[str]:
    """2–4 of the passage's most central sentences, in text order, at most SUMMARY_MAX chars
    together."""
    sentences = _summary_sentences(passage, chosen)
    return _summary_of(sentences, _scores(sentences, topics) if len(sentences) > 2 else [])


def _summary_of(sentences: list[str], scores: list[float]) -> list[str]:
    """summary_sentences with the sentences' `_scores` known (draft_passage ranks them once for
    the title and the summary)."""
    if not sentences:
        return []
    if len(sentences) <= 2:
        picked = list(range(len(sentences)))
        scores = [0.0] * len(sentences)
    else:
        want = 2 if len(sentences) <= 4 else 3 if len(sentences) <= 8 else 4
        ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
        picked = sorted(ranked[:want])
    budget = SUMMARY_MAX - 80  # room for the marks and the credit
    while len(picked) > 1 and len(" ".join(sentences[i] for i in picked)) > budget:
        picked.remove(min(picked, key=lambda i: (scores[i], -i)))
    return [" ".join(sentences[i].split()) for i in picked if len(sentences[i]) <= budget] or \
        [" ".join(sentences[picked[0]].split())[: budget - 1].rsplit(" ", 1)[0] + "…"]


# How a draft shows source sentences it could not say in its own words: quoted and credited.
CREDIT = {"ru": ("Из материала", "{name}"), "en": ("From the article", "{name}")}


def marks_for(text: str, language: str) -> tuple[str, str]:
    """«…» unless the words hold «…» themselves (then “…”); English “…”."""
    if language == "en" or "«" in text or "»" in text:
        return ("“", "”") if "“" not in text and "”" not in text else ("«", "»")
    return "«", "»"


GAP = " (…) "  # between two sentences of one run that the source does not write side by side
QUESTION_CREDIT = {"ru": "Вопрос интервьюера", "en": "The interviewer asks"}
# direct speech whose speaker the text leaves unnamed ("— …, — сказал аким"), where a draft has nothing else
UNNAMED_CREDIT = {"ru": "Неназванный собеседник", "en": "An unnamed speaker"}
# an interview's answer whose speaker the text never names: the interviewee's words, not the article's
INTERVIEWEE_CREDIT = {"ru": "Собеседник издания", "en": "The interviewee"}


def credited(sentences: Sequence[str], passage: Passage, language: str = "ru",
             narrator: str | None = None) -> str:
    """Source sentences shown as what they are: quoted, each run credited to whoever says it in
    the source — a quote's speaker, the interviewee in an answer, the interviewer for a
    question's words, else the article itself (or its author)."""
    speakers = {" ".join(q.text.split()): q.speaker for q in passage.quotes if q.speaker}
    question = " ".join((passage.question or "").split())
    default = passage.speaker.name if passage.speaker else (  # an answer's or a transcript turn's speaker
        INTERVIEWEE_CREDIT.get(language, INTERVIEWEE_CREDIT["ru"]) if passage.question  # an answer, its speaker unnamed
        else narrator or CREDIT.get(language, CREDIT["ru"])[0])
    flat_text = " ".join(passage.text.split())
    groups: list[tuple[str, list[str]]] = []
    for sentence in sentences:
        flat = " ".join(sentence.split())
        if question and flat in question and flat not in flat_text:
            label = QUESTION_CREDIT.get(language, QUESTION_CREDIT["ru"])
        else:
            said = next(((text, p) for text, p in speakers.items() if p and (text in flat or _inside(flat, text))), None)
            label = said[1].name if said else default
            if said is not None:
                # only the speaker's own words go inside the marks, not "…," the President said
                flat = said[0] if said[0] in flat else _spoken_part(flat)
            elif _unattributed(flat, passage):  # someone's words, whose the text does not say
                label = UNNAMED_CREDIT.get(language, UNNAMED_CREDIT["ru"])
                flat = REMARK_ATTRIBUTION.split(_spoken_part(flat))[0].rstrip(",").lstrip("—–- ")
        if groups and groups[-1][0] == label:
            groups[-1][1].append(flat)
        else:
            groups.append((label, [flat]))
    out = []
    source = flat_text + " " + question
    for label, texts in groups:
        body = texts[0]
        for text in texts[1:]:
            body += (" " if f"{body.rsplit(GAP, 1)[-1]} {text}" in source else GAP) + text
        opening, closing = marks_for(body, language)
        out.append(f"{label}: {opening}{body}{closing}")
    return " ".join(out)


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
    seen: set[tuple[Decimal, Decimal | None, str, int | None]] = set()
    out = []
    for figure in found:
        key = (figure.value, figure.value_to, figure.unit, figure.year)
        if key in seen:
            continue
        seen.add(key)
        out.append(figure)
    return tuple(out)


def _number_text(value: Decimal, language: str) -> str:
    text = format(value.normalize(), "f")
    return text if language == "en" else text.replace(".", ",")


def _whole_sentence(text: str, passage: Passage) -> str:
    """The passage's sentence that holds these words, when it is no longer than a summary."""
    flat = " ".join(text.split())
    others = [" ".join(q.text.split()) for q in passage.quotes if " ".join(q.text.split()) != flat]
    return next((" ".join(s.split()) for s in passage.sentences if flat in " ".join(s.split())
                 and len(s) <= SUMMARY_MAX - 80 and s.count("«") == s.count("»")
                 and not any(o in " ".join(s.split()) for o in others)), flat)


def honest_title(passage: Passage, figures: Sequence[FigureCandidate], quotes: Sequence[Quote],
                 fallback: str, language: str = "ru") -> tuple[str, bool]:
    """A title in the bot's own construction when the passage gives one, and whether it is one:
    what a key figure measures and its value ('Рост поставок газа: 20 %'), or who says what in a
    short quote ('Алексей Миллер: «Это серьёзные цифры»'); else the source's sentence (`fallback`),
    for the editor to put in their own words."""
    by_quote = next((f"{q.speaker.name}: {''.join(marks_for(q.text, language)[:1])}{q.text.rstrip('.')}"
                     f"{marks_for(q.text, language)[1]}"
                     for q in quotes if q.speaker and len(q.text.split()) <= 14
                     and len(q.speaker.name) + len(q.text) + 4 <= TITLE_MAX), None)
    by_figure = None
    for figure in figures:
        label = " ".join(figure.label.split())
        unit_stems = {w.lower()[:5] for w in ranking.words(figure.unit)}
        says_more = any(w.lower()[:5] not in unit_stems for w in ranking.words(label) if len(w) > 3)
        if len(label.split()) >= 2 and len(label) <= 80 and says_more:  # not "автомобили: 186 тыс. автомобилей"
            unit = f" {figure.unit}" if figure.unit and figure.unit != "%" else figure.unit
            upper = f"–{_number_text(figure.value_to, language)}" if figure.value_to is not None else ""  # 8–9
            by_figure = f"{label[:1].upper()}{label[1:]}: {_number_text(figure.value, language)}{upper}{unit}"
            break
    if passage.heading and _heading_states(passage.heading) and len(passage.heading.split()) < 8:
        return _shorten(_clean_title(passage.heading)), True  # the author's own short section title
    if passage.question and by_quote:
        return by_quote, True
    if by_figure and len(by_figure) <= TITLE_MAX:
        return by_figure, True
    if by_quote:
        return by_quote, True
    return fallback, False


def draft_passage(passage: Passage, topics: Sequence[Topic | Mapping[str, Any]], *, language: str = "ru",
                  narrator: str | None = None) -> Draft:
    """A draft snippet for one passage: its title and summary shown honestly — the bot's own
    construction, or source sentences quoted and credited (an editor puts them in their own
    words, or a language model proposes them)."""
    topic_list = [topic_routing.as_topic(t) for t in topics]
    routing_text = "\n".join(part for part in (passage.heading, passage.question, passage.text) if part)
    chosen_topics = topic_routing.choose_topics(routing_text, topic_list)
    quotes = choose_quotes(passage, limit=4)
    lead: Quote | None = None
    if quotes and not _unquoted_sentences(passage, quotes):
        # all the passage says is quotation: one of them (the first that gives no view) sums it up
        lead = next((q for q in quotes if not evaluative(q.text)), quotes[0])
        quotes = tuple(q for q in quotes if q is not lead)
    quotes = best_quotes(quotes, 3)
    sentences = _summary_sentences(passage, quotes)
    scores = _scores(sentences, topic_list)
    kept = set(sentences)
    spare = [s for s in passage.sentences if s not in kept]
    figures = passage_figures(passage)
    title, own = honest_title(passage, figures, quotes, draft_title(passage, sentences, scores, spare), language)
    summary = credited([_whole_sentence(lead.text, passage)] if lead else _summary_of(sentences, scores),
                       passage, language, narrator)
    return Draft(
        title=title,
        summary=summary,
        topics=chosen_topics,
        figures=figures,
        quotes=quotes,
        own_title=own,
    )
