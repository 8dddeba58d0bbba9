"""Russian word normalisation for search and topic routing.

Snowball (PyStemmer) removes inflections: энергетике and энергетика both become `энергетик`;
a second pass evens out the few words whose dictionary form Snowball misreads as inflected.
It keeps derivational suffixes, though, so the adjective энергетический stays
`энергетическ`. People searching for "энергетический" mean the same subject, so on top of
the stem we drop a few adjective-forming suffixes (-ическ, -ск, -н) and the noun suffix -ик:
both words then share the root `энергет`. English words go through the English stemmer.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_russian = Stemmer.Stemmer("russian")
_english = Stemmer.Stemmer("english")

WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)
CYRILLIC = re.compile(r"[а-яё]")
# Tried in order, each at most once, and only while a root of 4+ letters remains.
DERIVATIONAL_SUFFIXES = ("ическ", "ск", "н", "ик")
MIN_ROOT = 4


def words(text: str) -> list[str]:
    """Lower-cased words of a text, ё folded into е, in order."""
    return [match.group().lower().replace("ё", "е") for match in WORD.finditer(text)]


@lru_cache(maxsize=65536)
def root(word: str) -> str:
    """The search root of one lower-case word. Words of up to three letters (ИИ, АЭС, газ) are
    kept whole: stemming them would leave one letter that matches everything."""
    if len(word) <= 3:
        return word
    if not CYRILLIC.search(word):
        return _english.stemWord(word) if word.isalpha() else word
    stem = _russian.stemWord(word)
    if len(stem) > MIN_ROOT:
        # Snowball reads some nominatives as case forms: Росатом → росат, but Росатома →
        # росатом. A second pass brings every form of such a word to one stem.
        stem = _russian.stemWord(stem)
    for suffix in DERIVATIONAL_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_ROOT:
            stem = stem[: -len(suffix)]
    return stem


def roots(text: str) -> list[str]:
    """Search roots of every word in the text, in order (duplicates kept)."""
    return [root(word) for word in words(text)]
