"""Reading in bounded memory and linear work, whatever the shape of a legal text: one sentence
of 24,000 words (natasha's syntax parser scores every pair of a sentence's tokens), a section
of thousands of short sentences (TextRank compares sentences pairwise), a sentence of thousands
of figures. Counted, not timed: what each stage is asked to do is recorded and bounded; the
whole article is read in a process of its own and its peak memory read back."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import textwrap

from hypothesis import given, settings, strategies as st

from bot.services.ingest.reading import figures, nlp, people, ranking
from tests.reading.conftest import ROOT

WORDS = ("поставки газа выросли на 28 млрд долларов а товарооборот между странами составил 12 процентов "
         "при этом экспорт зерна увеличился на 5 млн тонн и инвестиции в инфраструктуру маршрута "
         "достигли 3 млрд").split()


def one_sentence(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


class CountingSet(set):
    """A lemma set that counts how often TextRank compares it with another."""

    compared = 0

    def __and__(self, other):
        CountingSet.compared += 1
        return set.__and__(self, other)


def full_textrank(sets: list[set[str]], damping: float = 0.85, iterations: int = 40) -> list[float]:
    """TextRank over every pair (Mihalcea & Tarau 2004), written plainly: the reference."""
    n = len(sets)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            shared = len(sets[i] & sets[j])
            if i != j and shared and len(sets[i]) > 1 and len(sets[j]) > 1:
                weights[i][j] = shared / (math.log(len(sets[i])) + math.log(len(sets[j])))
    out = [sum(row) for row in weights]
    scores = [1.0 / n] * n
    for _ in range(iterations):
        scores = [(1 - damping) / n + damping * sum(weights[j][i] / out[j] * scores[j] for j in range(n) if weights[j][i])
                  for i in range(n)]
    total = sum(scores)
    return [s / total for s in scores]


def test_textrank_compares_each_sentence_with_a_window_of_neighbours_only(monkeypatch):
    sentences = [f"s{i}" for i in range(2_000)]
    rng = random.Random(5)
    lemmas = {s: CountingSet(rng.sample(WORDS, 4)) for s in sentences}
    monkeypatch.setattr(ranking, "content_lemmas", lemmas.__getitem__)
    CountingSet.compared = 0
    scores = ranking.textrank(sentences)
    assert len(scores) == 2_000 and abs(sum(scores) - 1) < 1e-6
    # all pairs would be 1,999,000 comparisons; the window keeps it linear
    assert CountingSet.compared <= 2_000 * ranking.WINDOW, CountingSet.compared


@given(st.lists(st.sets(st.sampled_from(WORDS[:12]), max_size=6), min_size=2, max_size=ranking.WINDOW + 1))
@settings(max_examples=40, deadline=None)
def test_textrank_within_the_window_is_full_textrank(sets):
    sentences = [f"s{i}" for i in range(len(sets))]
    by_sentence = dict(zip(sentences, sets))
    original = ranking.content_lemmas
    ranking.content_lemmas = by_sentence.__getitem__
    try:
        scores = ranking.textrank(sentences)
    finally:
        ranking.content_lemmas = original
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(scores, full_textrank(sets)))


def test_the_syntax_parser_never_gets_a_whole_long_sentence(monkeypatch):
    parsed: list[int] = []
    real = nlp.doc

    def recording(text, syntax=False, ner=True):
        if syntax:
            parsed.append(len(figures.tokenize(text)))
        return real(text, syntax, ner)

    monkeypatch.setattr(nlp, "doc", recording)
    found = figures.extract_figures(one_sentence(3_000))
    assert found and parsed, "the figures of a long sentence are still read, their labels parsed"
    assert max(parsed) <= figures.SYNTAX_TOKENS, max(parsed)
    # a sentence of ordinary length is still parsed whole
    parsed.clear()
    figures.extract_figures("Товарооборот между странами в 2024 году составил 28 млрд долларов.")
    assert parsed and max(parsed) < 20


READ_IN_A_PROCESS = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a runaway fails here, not the machine
    from bot.domain.catalogue import load_catalogue
    from bot.services.ingest import read_drafts
    text = sys.stdin.read()
    started = time.process_time()
    try:
        drafts = read_drafts(text, "one-sentence.txt", load_catalogue(Path("config/topics.yaml")))
        outcome = {"snippets": len(drafts.document["snippets"]),
                   "figures": sum(len(s.get("figures", [])) for s in drafts.document["snippets"])}
    except BaseException as exc:
        outcome = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    outcome["cpu"] = time.process_time() - started
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))
""")


def test_a_250_kb_one_sentence_article_is_read_in_bounded_memory():
    text = "Поставки и цены\n\n" + one_sentence(22_500)
    assert 250_000 < len(text.encode()) < 270_000 and len(text) < 200_000  # within both upload limits
    done = subprocess.run([sys.executable, "-c", READ_IN_A_PROCESS], input=text, capture_output=True, text=True,
                          cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\none sentence of 22,500 words: {outcome}")
    assert "error" not in outcome, outcome
    assert outcome["snippets"] >= 1 and outcome["figures"] >= 1
    assert outcome["peak_mb"] < 800, outcome
    assert outcome["cpu"] < 60, outcome  # CPU seconds of the process: generous, and no wall clock


# --------------------------------------------------------------------------------------------
# Linear reading, counted: what a whole read does (every Python call, natasha's own included)
# grows with the article's length and no faster; the parts that were rewritten to be so give
# exactly what the plain versions gave.

def _article(paragraphs: int, seed: int = 7) -> str:
    """A news text of this project's own sentences, no paragraph twice (a repeated one is read as
    page chrome): quotes with their speakers, figures, places, and paragraphs that name nobody."""
    rng = random.Random(seed)
    people = [("Аскар", "Жумабаев", "министр транспорта"), ("Светлана", "Ким", "глава ассоциации экспортёров"),
              ("Олжас", "Бекетов", "директор порта"), ("Мария", "Орлова", "аналитик агентства"),
              ("Ерик", "Сагинтаев", "председатель союза перевозчиков"), ("Дина", "Мусина", "экономист банка")]
    places = ["Актау", "Курыке", "Хоргосе", "Достыке", "Алтынколе", "Атырау", "Бейнеу", "Шалкаре"]
    goods = ["зерна", "угля", "удобрений", "контейнеров", "металла", "хлопка"]
    blocks = ["Порт нарастил перевалку зерна", "3 апреля 2026", "Автор: Нурлан Сеитов"]
    for index in range(paragraphs):
        first, last, role = rng.choice(people)
        place, good, value = rng.choice(places), rng.choice(goods), rng.randint(2, 900)
        blocks.append(rng.choice([
            f"«Мы ждём, что {good} через {place} пойдёт больше уже к {index % 28 + 1} числу, если {value} вагонов "
            f"придут вовремя», — сказал {role} {first} {last}.",
            f"Через {place} в прошлом году прошло {value} тыс. тонн {good}, а экспорт вырос на {value % 60 + 1}%.",
            f"Как пояснил {role} {first} {last}, {value % 40 + 2} новых причалов для {good} в {place} откроют к {2026 + index % 5} году.",
            f"Товарооборот со странами Каспия по {good} составил {value} млн долларов. Маршрут через {place} загружен.",
            f"Железнодорожники обещают пустить в {place} ещё {value} составов с грузом {good}, когда закончат ремонт.",
        ]))
    return "\n\n".join(blocks)


def _calls_to_read(text: str, catalogue) -> int:
    """Python calls made reading `text`, with natasha's documents not yet made (cold)."""
    import cProfile
    import pstats

    from bot.services.ingest import read_drafts

    nlp.doc.cache_clear()
    profile = cProfile.Profile()
    profile.enable()
    read_drafts(text, "linear.txt", catalogue)
    profile.disable()
    return pstats.Stats(profile).total_calls


def test_reading_work_grows_linearly_with_the_article():
    """The calls made for each added character stay the same as the article doubles: the second
    doubling costs per character what the first did (the fixed cost of a read, its 12 drafts,
    cancels out of the differences)."""
    from bot.domain.catalogue import load_catalogue

    catalogue = load_catalogue(ROOT / "config" / "topics.yaml")
    _calls_to_read(_article(60, seed=1), catalogue)  # words' analyses cached, as in a running bot
    texts = [_article(paragraphs) for paragraphs in (40, 80, 160)]
    calls = [_calls_to_read(text, catalogue) for text in texts]
    sizes = [len(text) for text in texts]
    first = (calls[1] - calls[0]) / (sizes[1] - sizes[0])
    second = (calls[2] - calls[1]) / (sizes[2] - sizes[1])
    print(f"\ncalls per added character: {first:.0f} from {sizes[0]:,} to {sizes[1]:,}, "
          f"{second:.0f} from {sizes[1]:,} to {sizes[2]:,}")
    assert second <= 1.15 * first, (sizes, calls)


def test_natasha_reads_each_paragraph_about_once_however_long_the_article(monkeypatch):
    """Its documents are the costly part of a read (NER of every paragraph, syntax of every
    sentence with a figure): an article of more paragraphs than the document cache holds is
    parsed about once over, never again for each paragraph that looks back. (The cache made
    small here, 64 documents for 512, to show it with a short article.)"""
    from functools import lru_cache

    from natasha import Doc

    from bot.domain.catalogue import load_catalogue
    from bot.services.ingest import read_drafts

    parsed: list[int] = []
    real = Doc.segment

    def counting(self, segmenter):
        parsed.append(len(self.text))
        return real(self, segmenter)

    monkeypatch.setattr(Doc, "segment", counting)
    monkeypatch.setattr(nlp, "doc", lru_cache(maxsize=64)(nlp.doc.__wrapped__))
    text = _article(160)
    read_drafts(text, "long.txt", load_catalogue(ROOT / "config" / "topics.yaml"))
    print(f"\n{len(parsed)} documents, {sum(parsed):,} characters parsed for an article of {len(text):,}")
    assert len(parsed) > 2 * 64  # more than the cache holds
    assert sum(parsed) <= 1.6 * len(text)


def _plain_score_topics(text, topic_list):
    """score_topics as first written: every keyword against every word (the reference)."""
    from bot.services.ingest.reading import topics as routing

    parts = []
    for token in ranking.words(text):
        parts.append(token)
        if "-" in token:
            parts.extend(p for p in token.split("-") if p)
    lemmas = [nlp.lemma(t).replace("ё", "е") for t in parts]
    roots = [routing.root(t) for t in parts]
    folded = routing._fold(text)
    results = []
    for topic in map(routing.as_topic, topic_list):
        score = 0.0
        for keyword in routing._keywords(topic):
            if keyword.phrase:
                hits = folded.count(keyword.text)
            elif keyword.exact:
                hits = sum(1 for t in parts if t == keyword.text) if keyword.text.isupper() \
                    else sum(1 for lem in lemmas if lem == keyword.lemma)
            elif keyword.proper:
                hits = sum(1 for t, lem, r in zip(parts, lemmas, roots)
                           if t[:1].isupper() and (lem == keyword.lemma or r == keyword.root))
            else:
                hits = sum(1 for lem, r in zip(lemmas, roots)
                           if lem == keyword.lemma or (r == keyword.root and len(r) >= 6))
            if hits:
                score += keyword.weight * (1 + 0.25 * min(hits - 1, 4))
        if score:
            results.append((topic.slug, score))
    results.sort(key=lambda item: -item[1])
    return results


TOPIC_WORDS = ("энергетика энергетический энергетики Энергетика газ газа Газ газовый АЭС аэс Росатом росатома "
               "Росатома Балхаш балхашский Путин путина визит визиты Кремль кремлёвский рубежом рубежный "
               "товарооборот торговли Экспорт экспортёры ВВП ввп ИИ логистика маршрут Север–Юг «Север–Юг» "
               "север-юг Север Юг ТМТМ транзитный транзит нефть-газ газ-нефть компании компания и в на "
               "ещё ёлка 2026 — , .").split()


@given(st.lists(st.sampled_from(TOPIC_WORDS), max_size=40))
@settings(max_examples=150, deadline=None)
def test_score_topics_counts_as_the_plain_reading_does(words):
    from bot.services.ingest.reading import load_topics, topics as routing

    catalogue = load_topics((ROOT / "config" / "topics.yaml").read_text(encoding="utf-8"))
    text = " ".join(words)
    assert routing.score_topics(text, catalogue) == _plain_score_topics(text, catalogue)


def _letter_by_letter(text: str) -> list[str]:
    out, current = [], []
    for ch in text + " ":
        if ch.isalpha() or (ch in "-‐" and current):
            current.append(ch)
        elif current:
            out.append("".join(current).strip("-‐"))
            current = []
    return [w for w in out if w]


@given(st.text(alphabet=st.sampled_from(list("аБёЁzZ-‐ _1٣²½Ⅻ〇一.,«»—\u0301\u00adǅʰⅰ\n")) | st.characters(), max_size=40))
@settings(max_examples=300, deadline=None)
def test_words_are_letter_runs_as_str_isalpha_reads_them(text):
    assert ranking.words(text) == _letter_by_letter(text)


def test_a_paragraph_naming_nobody_is_not_morph_tagged_and_one_naming_someone_is_as_before(monkeypatch):
    from natasha import Doc

    tagged: list[str] = []
    real = Doc.tag_morph

    def counting(self, tagger):
        tagged.append(self.text)
        return real(self, tagger)

    monkeypatch.setattr(Doc, "tag_morph", counting)
    nobody = "Железнодорожники обещают пустить дополнительные составы через Актау."
    somebody = "Министр транспорта Аскар Жумабаев посетил порт Актау и встретился с докерами."
    nlp.doc.cache_clear()
    assert not [s for s in nlp.doc(nobody).spans if s.type == "PER"]
    assert tagged == []
    people_doc = nlp.doc(somebody)
    assert [s.text for s in people_doc.spans if s.type == "PER"] == ["Аскар Жумабаев"] and tagged == [somebody]
    eager = nlp.doc(somebody, ner=False)  # morphology first, as every doc was made before
    assert [(t.text, t.pos, t.feats) for t in people_doc.tokens] == [(t.text, t.pos, t.feats) for t in eager.tokens]
    assert all(t.pos for t in people_doc.tokens)


PARAGRAPHS = [
    "Министр транспорта Аскар Жумабаев посетил порт Актау и встретился с докерами.",
    "Железнодорожники обещают пустить дополнительные составы через Актау.",
    "«Очередей на границе больше не будет», — заявила глава таможни Ольга Смирнова.",
    "По словам эксперта Ивана Петрова, грузооборот порта вырастет к осени на 12%.",
    "Погода в регионе в выходные будет тёплой, без осадков.",
]
SENTENCES = [
    "Товарооборот двух стран вырос на 12% и составил 28 млрд долларов.",
    "Компания вложит в строительство терминала около 3 млрд тенге.",
    "Протяжённость новой дороги составит 240 километров.",
]


def _tokens(d):
    return [(t.text, t.pos, tuple(sorted((t.feats or {}).items())), t.head_id, t.rel) for t in (d.tokens or [])]


def test_docs_made_ahead_in_batches_are_the_docs_made_one_at_a_time():
    """prefetch_ner / prefetch_docs run the models over many texts at once (half the time): the
    same people, roles, tags and parses as one text at a time."""
    nlp.doc.cache_clear()
    nlp.forget_prefetched()
    one_by_one = [people.mentions(p) for p in PARAGRAPHS]
    parsed = [_tokens(nlp.doc(s, syntax=True, ner=False)) for s in SENTENCES]
    nlp.doc.cache_clear()
    people.prefetch(PARAGRAPHS)
    nlp.prefetch_docs(SENTENCES)
    assert [people.mentions(p) for p in PARAGRAPHS] == one_by_one
    assert [_tokens(nlp.doc(s, syntax=True, ner=False)) for s in SENTENCES] == parsed
    assert nlp._docs_ready == {}  # each taken once; the document cache keeps them from there
