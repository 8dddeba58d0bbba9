"""Alerts: words a chat follows across every topic (`/alert Балхаш`).

An alert is matched as search matches a query: by the roots of its words (`stemming.root`),
all of them, anywhere in a snippet's searchable text — so `/alert Балхаш` meets «Балхаше»,
«балхашской», «Балхашская АЭС». Two alerts with the same roots are the same alert
(`/alert Балхаше` after `/alert Балхаш` adds nothing), and `/alert off` finds an alert by
its roots too.

What a chat may set is bounded, each refusal naming its problem: words of at least
`MIN_LETTERS` characters (two letters would match far too much), no stop words («для»,
«the»), at most `MAX_WORDS` words of at most `MAX_WORD_LENGTH` characters each, at most
`MAX_ALERTS` alerts a chat. Several alerts come at once separated by commas or semicolons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.search_text import STOP_WORDS
from bot.domain.stemming import WORD, root

MAX_ALERTS = 20
MIN_LETTERS = 3
MAX_WORDS = 4
MAX_WORD_LENGTH = 30
MAX_INPUT = 1000  # characters of a command read at all
SEPARATORS = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class AlertWords:
    """One alert as typed: its words (for showing) and the roots it matches (its identity)."""

    words: str  # the words as the chat typed them, one space apart
    roots: tuple[str, ...]  # distinct roots, sorted

    @property
    def key(self) -> str:
        return " ".join(self.roots)


@dataclass(frozen=True)
class Alert:
    """A stored alert of a chat."""

    id: int
    chat_id: int
    words: str
    roots: tuple[str, ...]
    thread_id: int | None = None


@dataclass(frozen=True)
class AlertProblem:
    """Why a typed alert was refused: `kind` is short, stop, long, many; `words` are the
    offending words (for short, stop, long) and `text` the alert as typed."""

    kind: str
    text: str
    words: tuple[str, ...] = ()
    suggestion: str = ""  # the alert without its offending words, where some are left


@dataclass(frozen=True)
class ParsedAlerts:
    alerts: tuple[AlertWords, ...] = ()
    problems: tuple[AlertProblem, ...] = field(default_factory=tuple)


def _word_text(word: str) -> str:
    return word.lower().replace("ё", "е")


def parse_alerts(text: str) -> ParsedAlerts:
    """The alerts in what the chat typed (comma-separated), and the problems of those that
    cannot be alerts. Duplicates (the same roots) are given once."""
    alerts: dict[str, AlertWords] = {}
    problems: list[AlertProblem] = []
    for part in SEPARATORS.split(text[:MAX_INPUT]):
        typed = [match.group() for match in WORD.finditer(part)]
        if not typed:
            continue
        shown = " ".join(typed)[:MAX_WORDS * (MAX_WORD_LENGTH + 1)]
        long = [word for word in typed if len(word) > MAX_WORD_LENGTH]
        if long:
            problems.append(AlertProblem("long", shown, tuple(word[:MAX_WORD_LENGTH] + "…" for word in long)))
            continue
        short = [word for word in typed if len(word) < MIN_LETTERS]
        stop = [word for word in typed if len(word) >= MIN_LETTERS and _word_text(word) in STOP_WORDS]
        kept = [word for word in typed if word not in short and word not in stop]
        if short or stop:
            suggestion = " ".join(kept) if kept and len(kept) <= MAX_WORDS else ""
            if short:
                problems.append(AlertProblem("short", shown, tuple(dict.fromkeys(short)), suggestion))
            if stop:
                problems.append(AlertProblem("stop", shown, tuple(dict.fromkeys(stop)), suggestion))
            continue
        if len(typed) > MAX_WORDS:
            problems.append(AlertProblem("many", shown))
            continue
        roots = tuple(sorted({root(_word_text(word)) for word in typed}))
        found = AlertWords(" ".join(typed), roots)
        alerts.setdefault(found.key, found)
    return ParsedAlerts(tuple(alerts.values()), tuple(problems))


def alert_terms(roots_key: str) -> tuple[str, ...]:
    """The roots of a stored alert (its `roots` column) as a tuple."""
    return tuple(roots_key.split())
