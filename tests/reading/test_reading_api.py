from __future__ import annotations

import dataclasses

import pytest

import bot.services.ingest.reading
from bot.services.ingest.reading import Article, Draft, FigureCandidate, Passage, Person, Quote


@pytest.mark.parametrize("cls", [Article, Draft, FigureCandidate, Passage, Person, Quote])
def test_frozen(cls):
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen


def test_public_names():
    for name in ("read_article", "extract_figures", "draft_passage", "load_topics", "layout", "load_stats",
                 "InputTooLarge", "MAX_CHARS"):
        assert hasattr(bot.services.ingest.reading, name)


def test_importing_loads_no_model():
    import subprocess
    import sys

    code = ("import bot.services.ingest.reading, bot.services.ingest.reading.nlp as n; "
            "bot.services.ingest.reading.layout('Текст.\\n\\n— Вопрос?\\n\\n— Ответ.'); print(n.is_loaded())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
