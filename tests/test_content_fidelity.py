"""Every figure, quote and number the bot shows must be traceable to the source it cites.

These checks read the seed files directly (not through the bot's loader), so a bug in the
loader's own checks cannot hide an unfaithful figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(p for p in SEEDS.iterdir() if p.suffix in {".yaml", ".yml"})
CATALOGUE = yaml.safe_load((ROOT / "config" / "topics.yaml").read_text(encoding="utf-8"))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load(path: Path) -> tuple[dict, str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    source_text = (SEEDS / document["source"]["text"]).read_text(encoding="utf-8")
    return document, flat(source_text)


def test_there_is_at_least_one_seed_file() -> None:
    assert SEED_FILES


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_figure_is_found_in_its_source(path: Path) -> None:
    document, source = load(path)
    for snippet in document["snippets"]:
        for figure in snippet.get("figures") or []:
            evidence = flat(figure["evidence"])
            assert evidence in source, (snippet["id"], evidence)
            value = format(figure["value"], "g") if isinstance(figure["value"], float) else str(figure["value"])
            assert re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d])", evidence), (snippet["id"], value)
            if figure.get("year") is not None:
                assert str(figure["year"]) in source


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_quote_is_verbatim_and_short(path: Path) -> None:
    document, source = load(path)
    for snippet in document["snippets"]:
        quotes = snippet.get("quotes") or []
        assert 1 <= len(quotes) <= 2, snippet["id"]
        for quote in quotes:
            assert flat(quote["text"]) in source, (snippet["id"], quote["text"])
            assert len(quote["text"]) <= 300


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_number_in_written_text_occurs_in_the_source(path: Path) -> None:
    document, source = load(path)
    source_numbers = set(re.findall(r"\d+", source))
    for snippet in document["snippets"]:
        texts = [snippet["title"], snippet["summary"]]
        texts += [f"{f['label']} {f['unit']}" for f in snippet.get("figures") or []]
        for text in texts:
            for number in re.findall(r"\d+", text):
                assert number in source_numbers, (snippet["id"], number)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_summaries_are_two_to_four_sentences(path: Path) -> None:
    document, _ = load(path)
    for snippet in document["snippets"]:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[А-ЯЁA-Z«])", flat(snippet["summary"])) if s]
        assert 2 <= len(sentences) <= 4, (snippet["id"], len(sentences))


def test_every_topic_has_content_and_required_commands_exist() -> None:
    commands = {topic["command"] for topic in CATALOGUE["topics"]}
    assert {"energy", "logistics", "economy"} <= commands
    covered = {
        snippet["topic"]
        for path in SEED_FILES
        for snippet in yaml.safe_load(path.read_text(encoding="utf-8"))["snippets"]
    }
    assert covered == {topic["slug"] for topic in CATALOGUE["topics"]}


@pytest.mark.parametrize("value", ["1E+1000000", "1E+999999", "NaN", "sNaN", "Infinity", "1e15", "0.0000001"])
def test_a_figure_value_must_be_a_number_a_figure_can_be(value) -> None:
    from pydantic import ValidationError

    from bot.domain.models import Figure

    with pytest.raises(ValidationError):
        Figure(value=value, unit="млрд", label="оборот", evidence="оборот")
    assert Figure(value="1.5", unit="млрд", label="оборот", evidence="1,5 млрд").value_text == "1,5"
