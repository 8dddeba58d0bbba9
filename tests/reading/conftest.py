from __future__ import annotations

import warnings
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).resolve().parents[2]
BORISOV = ROOT / "seeds/sources/borisov-2025-11-12.txt"
TOPICS_YAML = ROOT / "config/topics.yaml"

warnings.filterwarnings("ignore", message="pkg_resources is deprecated")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def topics():
    from bot.services.ingest.reading import load_topics

    if TOPICS_YAML.exists():
        return load_topics(TOPICS_YAML.read_text(encoding="utf-8"))
    pytest.skip("the bot's topic catalogue is not on this machine")


@pytest.fixture(scope="session")
def read():
    from functools import lru_cache

    from bot.services.ingest.reading import read_article

    @lru_cache(maxsize=None)
    def _read(name: str):
        return read_article(sample(name), filename=name)

    return _read
