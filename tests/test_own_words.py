"""Seed content is written in the editors' own words: no title, summary or label repeats eight
or more consecutive words of its source outside «quotation marks», and no quote repeats a
sentence of its own summary. Checked on every seed file, next to the fidelity test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "seeds").glob("*.yaml") if not p.name.startswith(("_", ".")))
RUN = 8
WORD = re.compile(r"\w+")
QUOTED = re.compile(r"«[^«»]*»")
SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("ё", "е"))


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + n]) for i in range(len(found) - n + 1)}


def copied_runs(written: str, source: str) -> list[str]:
    """Runs of `RUN` source words the editors' text repeats outside «…» (a quotation is the
    source's words by design: it is cut out before comparing, and breaks the run)."""
    outside = QUOTED.sub(" ¶ ", written)
    pieces = outside.split("¶")
    source_runs = runs(source)
    return [" ".join(run) for piece in pieces for run in runs(piece) & source_runs]


def documents():
    for path in SEEDS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        source_text = (ROOT / "seeds" / data["source"]["text"]).read_text(encoding="utf-8")
        yield path.name, data, source_text


CASES = [(name, snippet, text) for name, data, text in documents() for snippet in data["snippets"]]
IDS = [f"{name}:{snippet['id']}" for name, snippet, _text in CASES]


@pytest.mark.parametrize(("name", "snippet", "source"), CASES, ids=IDS)
def test_titles_summaries_and_labels_are_in_own_words(name, snippet, source) -> None:
    fields = {"title": snippet["title"], "summary": snippet["summary"]}
    for i, figure in enumerate(snippet.get("figures") or []):
        fields[f"figures[{i}].label"] = figure["label"]
    copied = {field: copied_runs(text, source) for field, text in fields.items()}
    assert not any(copied.values()), {field: runs_ for field, runs_ in copied.items() if runs_}


@pytest.mark.parametrize(("name", "snippet", "source"), CASES, ids=IDS)
def test_no_quote_repeats_a_sentence_of_its_summary(name, snippet, source) -> None:
    summary_runs = runs(snippet["summary"])
    for quote in snippet.get("quotes") or []:
        for sentence in SENTENCE.findall(quote["text"]):
            assert not runs(sentence) & summary_runs, f"quote repeats its summary: {sentence!r}"
            if len(words(sentence)) < RUN:  # a short quote: the summary must not contain it whole
                assert " ".join(words(sentence)) not in " ".join(words(snippet["summary"])), sentence


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
