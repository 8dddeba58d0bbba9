"""Seed content is written in the editors' own words: no title, summary or label repeats eight
or more consecutive words of its source outside quotation marks (the rule every publication is
held to, `bot.domain.own_words`), and no quote repeats a sentence of its own summary. Checked on
every seed file, next to the fidelity test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.domain.own_words import RUN, SourceRuns, copied_fields, copied_runs, snippet_fields, words_of

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "seeds").glob("*.yaml") if not p.name.startswith(("_", ".")))
SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    found = words_of(text)
    return {tuple(found[i : i + n]) for i in range(len(found) - n + 1)}


def documents():
    for path in SEEDS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        source_text = (ROOT / "seeds" / data["source"]["text"]).read_text(encoding="utf-8")
        yield path.name, data, source_text


CASES = [(name, snippet, text) for name, data, text in documents() for snippet in data["snippets"]]
IDS = [f"{name}:{snippet['id']}" for name, snippet, _text in CASES]


@pytest.mark.parametrize(("name", "snippet", "source"), CASES, ids=IDS)
def test_titles_summaries_and_labels_are_in_own_words(name, snippet, source) -> None:
    figures = snippet.get("figures") or []
    fields = snippet_fields(snippet["title"], snippet["summary"], [f["label"] for f in figures],
                            snippet.get("title_en"), snippet.get("summary_en"), [f.get("label_en") for f in figures])
    assert copied_fields(fields, SourceRuns(source)) == []


@pytest.mark.parametrize(("name", "snippet", "source"), CASES, ids=IDS)
def test_no_quote_repeats_a_sentence_of_its_summary(name, snippet, source) -> None:
    summary_runs = runs(snippet["summary"])
    for quote in snippet.get("quotes") or []:
        for sentence in SENTENCE.findall(quote["text"]):
            assert not runs(sentence) & summary_runs, f"quote repeats its summary: {sentence!r}"
            if len(words_of(sentence)) < RUN:  # a short quote: the summary must not contain it whole
                assert " ".join(words_of(sentence)) not in " ".join(words_of(snippet["summary"])), sentence


@pytest.mark.parametrize(("name", "snippet", "source"), CASES, ids=IDS)
def test_every_snippet_has_english_and_every_figure_says_who_states_it(name, snippet, source) -> None:
    assert snippet.get("title_en") and snippet.get("summary_en")
    for figure in snippet.get("figures") or []:
        assert figure.get("label_en") and figure.get("unit_en") and figure.get("stated_by")
    for quote in snippet.get("quotes") or []:
        assert quote.get("text_en"), "a quote needs its English rendering"


def test_the_check_catches_a_copied_sentence() -> None:
    source = "Атомная энергетика имеет здесь стратегический масштаб: Казахстан определился с площадкой под строительство АЭС."
    copied = "Эксперт говорит, что атомная энергетика имеет здесь стратегический масштаб: Казахстан определился с площадкой."
    quoted = "Эксперт говорит: «атомная энергетика имеет здесь стратегический масштаб: Казахстан определился с площадкой»."
    assert copied_runs(copied, source)
    assert not copied_runs(quoted, source)


# --- the rule itself: runs of 7 and 8, quotation marks, random texts ------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

SOURCE_WORDS = st.text(alphabet="абвгдежзиклмнопрстуфхцчшщэюяәғқңөұүһі0123456789", min_size=2, max_size=8)
# the writer's own words: an alphabet the source never uses, so they never extend a copied run
OWN_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
MARKS = st.sampled_from([("«", "»"), ("“", "”"), ('"', '"'), ("„", "“")])
CASE = st.sampled_from([str.lower, str.upper, str.title, lambda w: w])


@st.composite
def copies(draw, length: int):
    """A source of distinct words, a run of `length` of them, and own words around the run."""
    source = draw(st.lists(SOURCE_WORDS, min_size=length + 2, max_size=60, unique=True))
    start = draw(st.integers(0, len(source) - length))
    run = source[start : start + length]
    before = draw(st.lists(OWN_WORDS, max_size=6))
    after = draw(st.lists(OWN_WORDS, max_size=6))
    case = draw(CASE)
    punctuation = draw(st.sampled_from([" ", ", ", " — ", ": "]))
    return " ".join(source) + ".", before, [case(word) for word in run], after, punctuation


def written(before, run, after, punctuation=" ", marks=None) -> str:
    middle = punctuation.join(run)
    if marks:
        middle = f"{marks[0]}{middle}{marks[1]}"
    return " ".join([*before, middle, *after])


@settings(max_examples=150, deadline=None)
@given(copies(RUN - 1))
def test_seven_copied_words_pass(case) -> None:
    source, before, run, after, punctuation = case
    assert copied_runs(written(before, run, after, punctuation), source) == []


@settings(max_examples=150, deadline=None)
@given(st.integers(RUN, RUN + 12).flatmap(copies), MARKS)
def test_eight_copied_words_are_refused_and_quoting_them_passes(case, marks) -> None:
    source, before, run, after, punctuation = case
    text = written(before, run, after, punctuation)
    [copied] = copied_runs(text, source)
    assert words_of(copied) == words_of(" ".join(run))  # the copied words are shown, as written
    assert copied_runs(written(before, run, after, punctuation, marks), source) == []
    fields = copied_fields({"title": "own words", "summary": text}, source)
    assert [c.field for c in fields] == ["summary"] and fields[0].count == len(run)


@settings(max_examples=100, deadline=None)
@given(copies(RUN + 4), MARKS)
def test_quoting_a_few_of_the_words_does_not_make_the_rest_own(case, marks) -> None:
    """Eight or more words of the run left outside the marks are still the source's words."""
    source, before, run, after, _punctuation = case
    text = " ".join([*before, *run[:2], f"{marks[0]}{run[2]}{marks[1]}", *run[3:], *after])
    assert copied_runs(text, source)
    half = " ".join([*before, f"{marks[0]}{' '.join(run[:6])}{marks[1]}", *run[6:], *after])
    assert copied_runs(half, source) == []  # 6 words outside: fewer than eight


@settings(max_examples=100, deadline=None)
@given(copies(RUN + 2), st.sampled_from(["«", "“", '"', "„", "»"]))
def test_an_unclosed_mark_hides_nothing(case, mark) -> None:
    source, before, run, after, _punctuation = case
    assert copied_runs(" ".join([*before, mark, *run, *after]), source)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_random_texts_never_break_the_check(text, source) -> None:
    found = copied_runs(text, source)
    for run in found:
        assert len(words_of(run)) >= RUN and run[:20].strip() in text
    if len(words_of(text)) >= RUN and not any(mark in text for mark in "«»“”„\""):
        assert copied_runs(text, text)  # a text against itself, nothing quoted: all of it copied


def test_kazakh_letters_and_case_are_words_like_any_other() -> None:
    source = "Қазақстан мен Ресей арасындағы сауда айналымы өткен жылы едәуір өсті деп хабарлады министрлік."
    assert copied_runs("ҚАЗАҚСТАН МЕН РЕСЕЙ АРАСЫНДАҒЫ САУДА АЙНАЛЫМЫ ӨТКЕН ЖЫЛЫ", source)
    assert not copied_runs("Қазақстан мен Ресей арасындағы сауда айналымы өткен", source)  # seven
    assert copied_runs("Ёлки и зелёные ели растут тут и там вот", "ёлки и зеленые ели растут тут и там вот")


def test_a_long_copied_run_is_shown_cut_and_counted_whole() -> None:
    source = " ".join(f"слово{i}" for i in range(60)) + "."
    [copied] = copied_fields({"summary": f"Итак: {source}"}, source)
    assert copied.count == 60 and len(copied.words) <= 200 and copied.words.endswith("…")
    [quoted_in_the_middle] = copied_fields({"summary": source.replace("слово30", "«слово30»")}, source)
    assert quoted_in_the_middle.count == 59  # only the words outside the marks are counted
