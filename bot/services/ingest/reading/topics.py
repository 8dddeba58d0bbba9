"""Topic routing with the catalogue's keywords: a word matches a keyword when their lemmas
(pymorphy2) or their search roots (the bot's own `bot.domain.stemming.root`) agree; names in
«quotes» and acronyms in (brackets) in a topic's description count as phrase keywords, so a
text about «Север–Юг» routes to the topic whose description names that corridor."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.domain import stemming
from bot.services.ingest.reading import nlp, ranking
from bot.services.ingest.reading.models import Topic

DASHES = "—–‒−-‐"


@lru_cache(maxsize=65536)
def root(word: str) -> str:
    """The search root of a word: the bot's own (`bot.domain.stemming.root`), so a keyword and a
    text meet here exactly as they do in search."""
    return stemming.root(word.lower().replace("ё", "е"))


def _fold(text: str) -> str:
    out = text.lower().replace("ё", "е")
    for dash in DASHES:
        out = out.replace(dash, "-")
    return " ".join(out.replace("-", " - ").split()).replace(" - ", "-")


@dataclass(frozen=True)
class _Keyword:
    text: str
    lemma: str
    root: str
    exact: bool  # an acronym or a short word: match whole, case-sensitively for acronyms
    phrase: bool  # several words: match the folded phrase
    weight: float
    proper: bool = False  # a capitalised name (Путин, Балхаш): only capitalised words match


def as_topic(topic: Topic | Mapping[str, Any]) -> Topic:
    if isinstance(topic, Topic):
        return topic
    title = topic.get("title")
    description = topic.get("description")
    return Topic(
        slug=str(topic["slug"]),
        keywords=tuple(str(k) for k in topic.get("keywords", ())),
        title=title.get("ru") if isinstance(title, Mapping) else title,
        description=description.get("ru") if isinstance(description, Mapping) else description,
    )


def _description_phrases(description: str | None) -> list[str]:
    """«Север–Юг» and (ТМТМ) in a description."""
    if not description:
        return []
    out: list[str] = []
    for opener, closer in (("«", "»"), ("(", ")")):
        start = description.find(opener)
        while start != -1:
            end = description.find(closer, start + 1)
            if end == -1:
                break
            inner = description[start + 1 : end].strip()
            if inner and len(inner) <= 40 and (opener == "«" or inner.isupper()):
                out.append(inner)
            start = description.find(opener, end + 1)
    return out


@lru_cache(maxsize=256)
def _keywords(topic: Topic) -> tuple[_Keyword, ...]:
    out: list[_Keyword] = []
    for text, weight in [(k, 1.0) for k in topic.keywords] + [(p, 1.0) for p in _description_phrases(topic.description)]:
        words = ranking.words(text) if not any(d in text for d in DASHES) else [text]
        if len(text.split()) > 1 or any(d in text for d in DASHES):
            out.append(_Keyword(_fold(text), "", "", False, True, weight))
            continue
        exact = text.isupper() or len(text) <= 3
        word = words[0] if words else text
        proper = text[:1].isupper() and not text.isupper()
        out.append(_Keyword(text, nlp.lemma(word).replace("ё", "е"), root(word), exact, False, weight, proper))
    return tuple(out)


def score_topics(text: str, topics: Iterable[Topic | Mapping[str, Any]]) -> list[tuple[str, float]]:
    """(slug, score) for every topic with a keyword hit, best first. A keyword counts once, plus
    a little for each repetition. Linear: the text's words are counted once, then each keyword
    looks its hits up (not a pass over the words per keyword)."""
    tokens = ranking.words(text)
    parts: list[str] = []
    for token in tokens:
        parts.append(token)
        if "-" in token:
            parts.extend(p for p in token.split("-") if p)
    lemmas = [nlp.lemma(t).replace("ё", "е") for t in parts]
    roots = [root(t) for t in parts]
    words = _Counts(parts, lemmas, roots)
    folded = _fold(text)
    results: list[tuple[str, float]] = []
    for topic in map(as_topic, topics):
        score = 0.0
        for keyword in _keywords(topic):
            if keyword.phrase:
                hits = folded.count(keyword.text)
            elif keyword.exact:
                hits = words.parts.get(keyword.text, 0) if keyword.text.isupper() else words.lemmas.get(keyword.lemma, 0)
            elif keyword.proper:
                # a capitalised word whose lemma or root is the keyword's
                hits = words.proper_lemmas.get(keyword.lemma, 0) + words.proper_roots.get(keyword.root, 0) \
                    - words.proper_both.get((keyword.lemma, keyword.root), 0)
            elif len(keyword.root) >= 6:
                # Roots join derived words (энергетика ~ энергетический) but short roots collide
                # (за рубежом ~ рубежный), so a root match needs six letters.
                hits = words.lemmas.get(keyword.lemma, 0) + words.roots.get(keyword.root, 0) \
                    - words.both.get((keyword.lemma, keyword.root), 0)
            else:
                hits = words.lemmas.get(keyword.lemma, 0)
            if hits:
                score += keyword.weight * (1 + 0.25 * min(hits - 1, 4))
        if score:
            results.append((topic.slug, score))
    results.sort(key=lambda item: -item[1])
    return results


class _Counts:
    """How often each word form, lemma and root occurs in a text (a word matching a keyword by
    both its lemma and its root is counted once: `both` is taken away)."""

    def __init__(self, parts: list[str], lemmas: list[str], roots: list[str]) -> None:
        self.parts = Counter(parts)
        self.lemmas = Counter(lemmas)
        self.roots = Counter(roots)
        self.both = Counter(zip(lemmas, roots))
        proper = [(lem, r) for t, lem, r in zip(parts, lemmas, roots) if t[:1].isupper()]
        self.proper_lemmas = Counter(lem for lem, _ in proper)
        self.proper_roots = Counter(r for _, r in proper)
        self.proper_both = Counter(proper)


def choose_topics(text: str, topics: Sequence[Topic | Mapping[str, Any]]) -> tuple[str, ...]:
    """The best topic and the others that come close: a score of at least 2.5 and 35% of the best."""
    scored = score_topics(text, topics)
    if not scored:
        return ()
    best = scored[0][1]
    return tuple(slug for slug, score in scored if slug == scored[0][0] or score >= max(2.5, 0.35 * best))


def load_topics(yaml_text: str) -> tuple[Topic, ...]:
    """The topics of a catalogue in the bot's config/topics.yaml format (needs PyYAML)."""
    import yaml

    data = yaml.safe_load(yaml_text)
    items = data.get("topics", data) if isinstance(data, Mapping) else data
    return tuple(as_topic(item) for item in items)


# An article is routed as a whole: its headline counts HEADLINE_WEIGHT times (a headline names
# what the piece is about), its text once. Below OFF_TOPIC_BELOW — not two distinct keywords of
# any topic, nor one in the headline — it fits no topic in the catalogue, and says so: its drafts
# wait for an editor to choose (or add) a topic, never filed under a general one by default.
HEADLINE_WEIGHT = 2.0
OFF_TOPIC_BELOW = 2.0
SECOND_TOPIC_SHARE = 0.5  # a second topic for the article: at least half the best score (and 2.5)
PASSAGE_SWITCH = 3.0  # a passage goes to its own topic when it scores that, and twice the article's topic


def article_topics(title: str | None, texts: Iterable[str], topics: Sequence[Topic | Mapping[str, Any]]) -> tuple[str, ...]:
    """The article's topics, best first (at most two), or () when it fits none."""
    scores = dict(score_topics(" ".join(texts), topics))
    if title:
        for slug, value in score_topics(title, topics):
            scores[slug] = scores.get(slug, 0.0) + HEADLINE_WEIGHT * value
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < OFF_TOPIC_BELOW:
        return ()
    best = ranked[0][1]
    return tuple(slug for slug, value in ranked[:2] if slug == ranked[0][0] or value >= max(2.5, SECOND_TOPIC_SHARE * best))


def passage_topic(text: str, chosen: Sequence[str], topics: Sequence[Topic | Mapping[str, Any]],
                  *, own: bool = False) -> str | None:
    """A draft's topic: the article's, or its second topic where the passage is plainly about
    that; None when the article fits no topic. With `own` (an interview's question and answer,
    each on a subject of its own) the passage's own best topic when it fits one."""
    if not chosen:
        return None
    scored = score_topics(text, topics)
    if own and scored and scored[0][1] >= OFF_TOPIC_BELOW:
        return scored[0][0]
    mine = dict(scored)
    if scored and scored[0][1] >= PASSAGE_SWITCH and scored[0][1] >= 2 * mine.get(chosen[0], 0.0):
        return scored[0][0]  # a passage plainly about another subject (a lead about the visit)
    return chosen[0]
