"""A figure's unit in English where the editors wrote none: "млрд долларов" → "billion dollars".

The words are data (`lexicons/units_en.yaml`, each with its example). A unit is translated only
when every word of it is known, or already in Latin letters or a sign (%, $, TEU): anything else
returns None, and the reader is shown the Russian unit marked as such — never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from bot.domain.transliteration import has_cyrillic

LEXICON = Path(__file__).with_name("lexicons") / "units_en.yaml"


@dataclass(frozen=True)
class UnitWord:
    en: str
    one: str | None = None  # after exactly 1, where it differs
    scale: bool = False  # thousand, million…: "1 million tonnes" keeps its plural
    example: str = ""


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(text.lower().replace("ё", "е").split())


@lru_cache(maxsize=1)
def lexicon() -> dict[tuple[str, ...], UnitWord]:
    """Each form, as its tokens, → its English."""
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    forms: dict[tuple[str, ...], UnitWord] = {}
    for entry in data["entries"]:
        word = UnitWord(str(entry["en"]), entry.get("one"), bool(entry.get("scale")), entry.get("example", ""))
        for form in entry["ru"]:
            forms[_tokens(str(form))] = word
    return forms


@lru_cache(maxsize=1)
def _longest() -> int:
    return max(len(form) for form in lexicon())


@lru_cache(maxsize=4096)
def unit_in_english(unit: str, value: Decimal | None = None) -> str | None:
    """The unit in English, or None where a word of it is not known for certain. A word in
    Latin letters or a sign is kept as written."""
    if not has_cyrillic(unit):
        return unit
    originals = unit.split()
    tokens = _tokens(unit)
    forms = lexicon()
    pieces: list[tuple[str, UnitWord | None]] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_longest(), len(tokens) - i), 0, -1):
            word = forms.get(tokens[i:i + size])
            if word is not None:
                pieces.append((word.en, word))
                i += size
                break
        else:
            if has_cyrillic(originals[i]):
                return None
            pieces.append((originals[i], None))
            i += 1
    if value is not None and value == 1 and not any(word and word.scale for _, word in pieces):
        pieces = [(word.one if word and word.one else en, word) for en, word in pieces]
    return " ".join(en for en, _ in pieces)
