"""Whose words: what the bot says in its own voice must be in its own words.

Nothing reaches readers with a run of `RUN` (eight) or more consecutive words of its source
outside quotation marks — in a title, a summary or a figure's label, whoever wrote it (an
editor, a reader of articles, a language model). The source's words may stand in a briefing
only as a quotation: in «…», “…”, "…" or „…“, credited to whoever says them.

Words are compared as word tokens (letters and digits, Kazakh letters included), case and ё/е
aside, against the whole source text. A run is counted in the written text: its words follow
each other there and in the source; the quoted ones among them are the source's words by
design, so only the words outside quotation marks count towards the eight ("a b c d e f g «h»
i j" still repeats nine of the source's words as the writer's own).

Linear time: the source's runs are hashed once (`SourceRuns`), each written text is read once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RUN = 8  # consecutive source words outside quotation marks that make a copy
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script (Kazakh ә ғ қ ң ө ұ ү һ і included)
# opening mark -> its closing mark; “ closes „ (Russian, German) and opens “…” (English)
_CLOSING = {"«": "»", "„": "“", "“": "”", '"': '"'}
SHOWN = 200  # characters of a copied run shown in a refusal


def _normal(word: str) -> str:
    return word.casefold().replace("ё", "е")


def words_of(text: str) -> list[str]:
    """The word tokens a text is compared by (casefolded, ё as е)."""
    return [_normal(match.group()) for match in _WORD.finditer(text)]


class SourceRuns:
    """Every run of `RUN` consecutive words of a source, hashed once: a written text is then
    checked against it in time proportional to its own length."""

    __slots__ = ("runs", "size")

    def __init__(self, source_text: str, size: int = RUN) -> None:
        found = words_of(source_text)
        self.size = size
        self.runs = frozenset(hash(tuple(found[i : i + size])) for i in range(len(found) - size + 1))

    def __contains__(self, window: tuple[str, ...]) -> bool:
        return hash(window) in self.runs


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text between matched quotation marks, marks included. An opening
    mark that is never closed quotes nothing: an unclosed «, a stray " do not hide the words
    after them. Nesting («…„…“…») and several kinds at once are fine; linear in the text."""
    open_at: dict[str, list[int]] = {closing: [] for closing in set(_CLOSING.values())}
    spans: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if char == "“" and open_at["“"]:  # closes a „…
            spans.append((open_at["“"].pop(), i + 1))
        elif char == '"' and open_at['"']:
            spans.append((open_at['"'].pop(), i + 1))
        elif char in _CLOSING:
            open_at[_CLOSING[char]].append(i)
        elif char in open_at and open_at[char]:  # » or ”
            spans.append((open_at[char].pop(), i + 1))
    return spans


def _quoted_mask(text: str) -> list[bool]:
    """For each character, whether it stands inside a quotation (a difference array: linear)."""
    depth = [0] * (len(text) + 1)
    for start, end in quoted_spans(text):
        depth[start] += 1
        depth[end] -= 1
    mask, level = [], 0
    for i in range(len(text)):
        level += depth[i]
        mask.append(level > 0)
    return mask


def copied_runs(written: str, source: str | SourceRuns) -> list[str]:
    """The runs of the source's words `written` repeats with `RUN` or more of them outside
    quotation marks, each as written (cut to `SHOWN` characters); [] when it is in its own
    words. `source`: the source's text, or its `SourceRuns` when several texts are checked."""
    return [shown for shown, _count in _copied(written, source)]


def _copied(written: str, source: str | SourceRuns) -> list[tuple[str, int]]:
    """(the run as written, cut to `SHOWN`; its number of words) for each copied run."""
    runs = source if isinstance(source, SourceRuns) else SourceRuns(source)
    size = runs.size
    tokens = [(m.start(), m.end(), _normal(m.group())) for m in _WORD.finditer(written)]
    if len(tokens) < size:
        return []
    mask = _quoted_mask(written)
    words = [word for _start, _end, word in tokens]
    # covered[i]: word i is part of some window of `size` words that the source holds
    hits = [tuple(words[i : i + size]) in runs for i in range(len(words) - size + 1)]
    copied: list[tuple[str, int]] = []
    i = 0
    while i < len(hits):
        if not hits[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(hits) and hits[j + 1]:
            j += 1
        first, last = i, j + size - 1  # the run's words: windows i..j chained
        outside = sum(1 for k in range(first, last + 1) if not mask[tokens[k][0]])
        if outside >= size:
            shown = written[tokens[first][0] : tokens[last][1]]
            copied.append((shown if len(shown) <= SHOWN else shown[: SHOWN - 1].rstrip() + "…", outside))
        i = j + 1
    return copied


@dataclass(frozen=True)
class Copied:
    """A field of a snippet that repeats its source's words as its own, and those words."""

    field: str  # "title", "summary", "figures[0].label", …
    words: str  # the first copied run, as written (cut to `SHOWN` characters)
    count: int  # how many of the run's words stand outside quotation marks


def copied_fields(fields: Mapping[str, str | None], source: str | SourceRuns) -> list[Copied]:
    """Each field (name → text) that repeats `RUN`+ source words outside quotation marks, in
    the order given, with its first copied run."""
    runs = source if isinstance(source, SourceRuns) else SourceRuns(source)
    found = []
    for name, text in fields.items():
        if text:
            copied = _copied(text, runs)
            if copied:
                found.append(Copied(name, *copied[0]))
    return found


def snippet_fields(title: str, summary: str, labels: Iterable[str | None] = (),
                   title_en: str | None = None, summary_en: str | None = None,
                   labels_en: Iterable[str | None] = ()) -> dict[str, str | None]:
    """A snippet's texts in the bot's own voice, by field name (quotes are not among them:
    they are the source's words, credited)."""
    fields: dict[str, str | None] = {"title": title, "summary": summary, "title_en": title_en, "summary_en": summary_en}
    for i, label in enumerate(labels):
        fields[f"figures[{i}].label"] = label
    for i, label in enumerate(labels_en):
        fields[f"figures[{i}].label_en"] = label
    return fields
