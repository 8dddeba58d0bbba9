"""Names and abbreviations with the same meaning in Russian and English (`lexicons/aliases.yaml`):
Росатом and Rosatom, АЭС and NPP. Matched by search root, so every case form of a member counts.

`others(root)` is what routing and search add to a word: the roots of the other members of its
group. Pure and cached; the groups are checked when first read (one word a member, one group a
member), so a mistake in the file fails at start-up, not as a silent miss.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.domain.stemming import root, words

LEXICON = Path(__file__).with_name("lexicons") / "aliases.yaml"


class AliasError(ValueError):
    pass


@lru_cache(maxsize=1)
def groups() -> tuple[frozenset[str], ...]:
    """Each group as the set of its members' roots."""
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    found: list[frozenset[str]] = []
    owner: dict[str, str] = {}
    for group in data["groups"]:
        roots = set()
        for member in group:
            member_words = words(str(member))
            if len(member_words) != 1:
                raise AliasError(f"{LEXICON.name}: {member!r} must be one word")
            member_root = root(member_words[0])
            if owner.setdefault(member_root, str(member)) != str(member) and member_root not in roots:
                raise AliasError(f"{LEXICON.name}: {member!r} and {owner[member_root]!r} are in two groups")
            roots.add(member_root)
        found.append(frozenset(roots))
    return tuple(found)


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    return {member: group for group in groups() for member in group}


def others(word_root: str) -> frozenset[str]:
    """The roots a word's root means the same as (empty for a word in no group)."""
    group = _index().get(word_root)
    return group - {word_root} if group else frozenset()


def added(roots: list[str]) -> list[str]:
    """The roots of the aliases of `roots` that are not among them already, each once, in order."""
    present = set(roots)
    extra = [other for word_root in roots for other in sorted(others(word_root)) if other not in present]
    return list(dict.fromkeys(extra))
