"""Offices and who held them (`lexicons/offices.yaml`): a quotation a page credits only to a
title ("…," the Kazakh President said) goes to the holder on the page's date, and only when the
page names that holder somewhere itself. No date, no holder named, or a title that fits no office:
no one (the quotation stays uncredited rather than guessed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from bot.services.ingest.reading.models import Person

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _stems(text: str) -> list[str]:
    return [w.lower().replace("ё", "е")[:5] for w in _WORD.findall(text)]


@dataclass(frozen=True)
class _Holder:
    name: str
    name_en: str
    start: date
    end: date | None


@dataclass(frozen=True)
class _Office:
    titles: tuple[tuple[str, ...], ...]  # each title as the stems of its words
    role: str
    role_en: str
    holders: tuple[_Holder, ...]


@lru_cache(maxsize=1)
def offices() -> tuple[_Office, ...]:
    data = yaml.safe_load(resources.files("bot.services.ingest.reading").joinpath("lexicons/offices.yaml").read_text("utf-8"))
    return tuple(
        _Office(
            titles=tuple(tuple(_stems(t)) for t in entry["titles"]),
            role=entry["role"],
            role_en=entry["role_en"],
            holders=tuple(_Holder(h["name"], h["name_en"], h["from"], h.get("to")) for h in entry["holders"]),
        )
        for entry in data["offices"]
    )


def holder(attribution: str, on: date | None, named: list[Person], english: bool) -> Person | None:
    """Who the title in `attribution` was on `on`, as the page names them (`named`: the people it
    names anywhere), with the office as their role; None where that cannot be told."""
    if on is None or not attribution:
        return None
    said = set(_stems(attribution))
    for office in offices():
        if not any(all(stem in said for stem in title) for title in office.titles):
            continue
        for h in office.holders:
            if h.start <= on and (h.end is None or on <= h.end):
                surname = _stems((h.name_en if english else h.name).split()[-1])[0]
                written = next((p for p in named if surname in _stems(p.name)[-1:]), None)
                if written is None:
                    return None
                return Person(written.name, written.role or (office.role_en if english else office.role))
        return None
    return None
