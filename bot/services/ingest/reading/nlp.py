"""The language models, loaded lazily on first use, and small helpers around them.

razdel (sentences, tokens) has no model to load. natasha's models (embeddings, morphology,
syntax and NER taggers) ship inside the pip packages and are read from disk the first time one
of `doc`, `morph` is called; nothing is downloaded. `load_stats()` tells how long that took and
what it cost in memory.

pymorphy2 0.9.1 calls `inspect.getargspec`, which Python 3.11 removed; yargy 0.16 (imported by
natasha) patches it, and `_patch_pymorphy2` applies the same patch itself so the reader does not
depend on import order.
"""

from __future__ import annotations

import resource
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import razdel


def _patch_pymorphy2() -> None:
    import inspect

    from pymorphy2.units.base import BaseAnalyzerUnit

    def _get_param_names(klass: type) -> list[str]:
        if klass.__init__ is object.__init__:  # type: ignore[misc]
            return []
        return sorted(inspect.getfullargspec(klass.__init__).args[1:])  # type: ignore[misc]

    if not hasattr(inspect, "getargspec"):
        BaseAnalyzerUnit._get_param_names = classmethod(_get_param_names)  # type: ignore[assignment]


@dataclass(frozen=True)
class LoadStats:
    seconds: float  # wall time of loading every model
    rss_before_mb: float  # peak RSS of the process before loading
    rss_after_mb: float  # peak RSS right after loading


class _Models:
    def __init__(self) -> None:
        _patch_pymorphy2()
        from natasha import (
            MorphVocab,
            NewsEmbedding,
            NewsMorphTagger,
            NewsNERTagger,
            NewsSyntaxParser,
            Segmenter,
        )

        self.segmenter = Segmenter()
        self.morph_vocab = MorphVocab()
        embedding = NewsEmbedding()
        self.morph_tagger = NewsMorphTagger(embedding)
        self.syntax_parser = NewsSyntaxParser(embedding)
        self.ner_tagger = NewsNERTagger(embedding)


_lock = threading.Lock()
_models: _Models | None = None
_stats: LoadStats | None = None


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def models() -> _Models:
    """The natasha models, loaded on the first call (thread-safe)."""
    global _models, _stats
    if _models is None:
        with _lock:
            if _models is None:
                before = _peak_rss_mb()
                started = time.perf_counter()
                loaded = _Models()
                _stats = LoadStats(time.perf_counter() - started, before, _peak_rss_mb())
                _models = loaded
    return _models


def load_stats() -> LoadStats | None:
    """How long loading the models took and the peak RSS around it; None before they load."""
    return _stats


def is_loaded() -> bool:
    return _models is not None


# --------------------------------------------------------------------------------------------
# razdel: no model


def sentences(text: str) -> tuple[str, ...]:
    """razdel's sentences, verbatim, mended where razdel cuts inside a quotation or after an
    abbreviation (see `sentence_spans`)."""
    return tuple(text[a:b] for a, b in sentence_spans(text))


# Abbreviations that never end a sentence ("им. Абая", "т.е. Ст. Достык"), and those that may
# ("в 2024 г." / "12 млн руб.") but not before a lower-case word, a number or an acronym
# ("240 тыс. TEU", "5 млн долл. США").
NEVER_LAST = frozenset("им ул пр просп пер ст проф акад зам ген напр куб кв т.е т.к т.н т.ч и.о см р-н обл".split())
MAYBE_LAST = frozenset("""тыс млн млрд трлн руб долл коп г гг т.д т.п др мин сек км кг
    jan feb mar apr jun jul aug sep sept oct nov dec""".split())  # "at the Dec. 21 briefing"
QUOTE_RUN_MAX = 12  # sentences one quotation may span before razdel's cuts are kept
_OPEN, _CLOSE = "«„", "»“"


def _last_abbreviation(sentence: str) -> str | None:
    """'тыс' for '… мощностью 240 тыс.', 'т.е' for '… т.е.'; None when no abbreviation ends it."""
    if not sentence.endswith("."):
        return None
    head = sentence[-12:-1]
    cut = max(head.rfind(" "), head.rfind("("), head.rfind("\n"))
    word = head[cut + 1 :].lower()
    return word if word in NEVER_LAST or word in MAYBE_LAST else None


def _goes_on(following: str) -> bool:
    """Does a sentence razdel started here carry on the one before (after an abbreviation)?"""
    first = following.split(maxsplit=1)[0] if following.strip() else ""
    core = first.strip("«»\"(),.;:")
    if not core:
        return False
    if core[:1].islower() or core[:1].isdigit():
        return True
    letters = [c for c in core if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)  # TEU, США, МРП


def _quote_depth(sentence: str, depth: int, straight: int) -> tuple[int, int]:
    for ch in sentence:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch == '"':
            straight ^= 1
    return depth, straight


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, stop) of the sentences: razdel's, joined again where it cut inside «…» (a quote
    of several sentences stays one with its "— сказал …") or after an abbreviation followed by
    what carries the sentence on ("240 тыс. TEU"). Linear: each of razdel's sentences is looked
    at once; a quotation left open for QUOTE_RUN_MAX sentences keeps razdel's cuts."""
    raw: list[tuple[int, int]] = []
    offset = 0
    for block in text.split("\n\n"):  # a sentence never runs over a paragraph break
        raw += [(offset + s.start, offset + s.stop) for s in razdel.sentenize(block) if s.text.strip()]
        offset += len(block) + 2
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []  # razdel's sentences of one open quotation
    depth = straight = 0
    for start, stop in raw:
        piece = text[start:stop]
        if out and not run:
            previous = text[out[-1][0] : out[-1][1]]
            word = _last_abbreviation(previous)
            if word and (word in NEVER_LAST or _goes_on(piece)):
                start = out.pop()[0]
                piece = text[start:stop]
                depth, straight = _quote_depth(piece, 0, 0)
                if depth or straight:
                    run = [(start, stop)]
                    continue
                out.append((start, stop))
                continue
        depth, straight = _quote_depth(piece, depth, straight)
        if depth or straight:
            run.append((start, stop))
            if len(run) >= QUOTE_RUN_MAX:
                out.extend(run)
                run, depth, straight = [], 0, 0
            continue
        if run:
            out.append((run[0][0], stop))
            run = []
        else:
            out.append((start, stop))
    out.extend(run)
    return out


# --------------------------------------------------------------------------------------------
# natasha


# Docs made ahead in batches (`prefetch_ner`, `prefetch_docs`), by doc()'s arguments; doc()
# takes each once (its own cache keeps it from there). The oldest are dropped past READY_MAX.
_docs_ready: dict[tuple[str, bool, bool], Any] = {}
_ready_lock = threading.Lock()
READY_MAX = 4096
NER_BATCH = 32


def prefetch_ner(texts: list[str]) -> None:
    """`doc(text)` (names, and morphology where NER finds a person) for many texts at once, in
    slovnet's batches across texts: the same spans and tags as one text at a time, in about half
    the time (the models' work per call is mostly overhead for a paragraph)."""
    from natasha import Doc
    from natasha.doc import adapt_spans, inject_morph, sent_words

    todo = [t for t in dict.fromkeys(texts) if t.strip() and (t, False, True) not in _docs_ready]
    if not todo:
        return
    m = models()
    m.ner_tagger.infer.encoder.batch_size = NER_BATCH
    m.morph_tagger.infer.encoder.batch_size = NER_BATCH
    docs = []
    for text, markup in zip(todo, _by_length(m.ner_tagger, todo)):
        d = Doc(text)
        if not any(span.type == "PER" for span in markup.spans):
            d.spans = []  # nobody named: a names-only doc has nothing more to give (no segmentation)
            docs.append(d)
            continue
        d.segment(m.segmenter)
        d.spans = list(adapt_spans(d, markup.spans))
        d.envelop_span_tokens()
        d.envelop_sent_spans()
        docs.append(d)
    sents = [sent for d in docs if d.spans and any(span.type == "PER" for span in d.spans) for sent in d.sents]
    for sent, tagged in zip(sents, _by_length(m.morph_tagger, [sent_words(sent) for sent in sents])):
        inject_morph(sent.tokens, tagged.tokens)
    _keep(((text, False, True), d) for text, d in zip(todo, docs))


def _by_length(model: Any, items: list[Any]) -> list[Any]:
    """`model.map(items)` in the items' order, run shortest first: a batch is padded to its
    longest item, so items of like length waste less (the same results)."""
    order = sorted(range(len(items)), key=lambda i: len(items[i]))
    out: list[Any] = [None] * len(items)
    for i, result in zip(order, model.map([items[i] for i in order])):
        out[i] = result
    return out


def forget_prefetched() -> None:
    """Drop docs made ahead and not taken yet (a bench reading cold)."""
    with _ready_lock:
        _docs_ready.clear()


def _keep(items) -> None:  # noqa: ANN001 - pairs of doc()'s arguments and a Doc
    with _ready_lock:
        _docs_ready.update(items)
        while len(_docs_ready) > READY_MAX:
            del _docs_ready[next(iter(_docs_ready))]


def prefetch_docs(texts: list[str]) -> None:
    """Morphology and syntax for many short texts at once (slovnet's batches across texts: the
    same parses in about half the time); `doc(text, syntax=True, ner=False)` then takes them."""
    from natasha import Doc
    from natasha.doc import inject_morph, inject_syntax, offset_syntax, sent_words

    todo = [t for t in dict.fromkeys(texts) if t.strip() and (t, True, False) not in _docs_ready]
    if not todo:
        return
    m = models()
    docs = []
    for text in todo:
        d = Doc(text)
        d.segment(m.segmenter)
        docs.append(d)
    sents = [sent for d in docs for sent in d.sents]
    chunks = [sent_words(sent) for sent in sents]
    m.morph_tagger.infer.encoder.batch_size = NER_BATCH
    m.syntax_parser.infer.encoder.batch_size = NER_BATCH
    for sent, markup in zip(sents, _by_length(m.morph_tagger, chunks)):
        inject_morph(sent.tokens, markup.tokens)
    parsed = iter(_by_length(m.syntax_parser, chunks))
    for d in docs:
        for sent_id, sent in enumerate(d.sents, 1):
            inject_syntax(sent.tokens, next(parsed).tokens)
            offset_syntax(sent_id, sent.tokens)
    _keep(((text, True, False), d) for text, d in zip(todo, docs))


@lru_cache(maxsize=512)
def doc(text: str, syntax: bool = False, ner: bool = True) -> Any:
    """A natasha Doc with morphology (and NER, syntax when asked) for a short text.

    A doc for names only (NER without syntax: `people.mentions`, which reads the morphology only
    around the people NER finds) gets its morphology only when NER finds a person: a paragraph
    with nobody in it is not morph-tagged for nothing (and, made ahead by `prefetch_ner`, is not
    even segmented: its doc has no spans and no tokens). The tagger reads the doc's sentences
    alone, never its names, so the morphology is the same whichever runs first."""
    from natasha import Doc

    with _ready_lock:
        ready = _docs_ready.pop((text, syntax, ner), None)  # the cache keeps it from here
    if ready is not None:
        return ready
    m = models()
    d = Doc(text)
    d.segment(m.segmenter)
    if ner and not syntax:
        d.tag_ner(m.ner_tagger)
        if any(span.type == "PER" for span in d.spans):
            d.tag_morph(m.morph_tagger)
        return d
    d.tag_morph(m.morph_tagger)
    if syntax:
        d.parse_syntax(m.syntax_parser)
    if ner:
        d.tag_ner(m.ner_tagger)
    return d


@lru_cache(maxsize=65536)
def parses(word: str) -> tuple[Any, ...]:
    """pymorphy2's analyses of one word (dictionary only, no context); none for a word it
    cannot look at (its Latin-script check asks Unicode for a name some characters lack)."""
    try:
        return tuple(models().morph_vocab.parse(word))
    except ValueError:
        return ()


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The most likely dictionary form of a word, lower-cased (ё kept)."""
    found = parses(word)
    return found[0].normal_form if found else word.lower()


def inflect_parse(parse: Any, grammemes: set[str]) -> Any:
    """pymorphy2's own `inflect` with OpenCorpora grammemes (natasha's wrapper wants UD ones)."""
    from pymorphy2.analyzer import Parse

    try:
        return Parse.inflect(parse, set(grammemes))
    except (ValueError, KeyError):
        return None


def pos(word: str) -> str | None:
    """The most likely OpenCorpora part of speech of a word (NOUN, ADJF, VERB, ...)."""
    found = parses(word)
    return found[0].tag.POS if found else None


def has_pos(word: str, wanted: set[str] | frozenset[str], min_score: float = 0.0) -> bool:
    return any(p.tag.POS in wanted and p.score >= min_score for p in parses(word))


def inflect(word: str, grammemes: set[str], prefer: set[str] | None = None) -> str:
    """`word` put into the given grammemes (e.g. {"nomn"}), in the analysis that best fits
    `prefer` (e.g. the case natasha tagged it with); the word itself when it cannot be."""
    candidates = parses(word)
    if not candidates:
        return word
    if prefer:
        ranked = sorted(candidates, key=lambda p: -len(prefer & set(p.tag.grammemes)) - p.score)
    else:
        ranked = list(candidates)
    for parse in ranked:
        changed = inflect_parse(parse, grammemes)
        if changed is not None:
            return match_case(word, changed.word)
    return word


UD_TO_OC_CASE = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


def match_case(original: str, new: str) -> str:
    """`new` written in the letter case of `original` (Title, UPPER or lower), with ё kept where
    the original had it."""
    new = restore_yo(original, new)
    if original.isupper() and len(original) > 1:
        return new.upper()
    if original[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in new.split("-"))
    return new


def restore_yo(original: str, new: str) -> str:
    """pymorphy2 may write е where the text has ё: put the ё back where the stems agree."""
    if "ё" not in original.lower():
        return new
    low = original.lower()
    out = list(new)
    for i, ch in enumerate(low[: len(new)]):
        if ch == "ё" and out[i].lower() == "е":
            out[i] = "Ё" if out[i].isupper() else "ё"
    return "".join(out)
