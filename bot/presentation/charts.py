"""Figures as a picture, where a picture helps: one chart per unit family, a bar per value.

Bars share an axis only where their values are measured alike: the unit family the domain reads
from each figure's unit (`numerals.measure`: "млрд долларов" and "млн долларов" are both USD, at
their own scales; "тысяч компаний" counts companies). A figure whose unit is a bare scale
("28 млрд", no currency stated) is on no chart: its caption line says so with its caveat. A
family with fewer than two figures gets no chart (one number is clearer as text); a topic with no
such family gets no picture. Each family is a panel of its own, with its own axis, titled with its
units as written, in one picture (one photo, one caption, the topic's buttons under it).

A range ("8–9 млн тонн") is drawn as its range, never as one of its ends: a solid bar to its
lower end and a pale, hatched part on to its upper end, with the range written beside it ("8–9
млн тонн"); the caption says how to read it (`render.chart_caption`).

Labels longer than three lines of 30 characters are cut with "…", never silently. The font is
DejaVu Sans, which ships inside matplotlib and covers Cyrillic: nothing depends on the machine's
fonts. matplotlib is imported on the first chart, never at start-up; rendering is CPU work, so the
caller runs it in a worker thread and renders each chart once per content version.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.numerals import measure

LABEL_WIDTH, LABEL_LINES = 30, 3
TITLE_WIDTH, TITLE_LINES = 60, 2
ELLIPSIS = "…"


@dataclass(frozen=True)
class Bar:
    label: str  # what is measured
    value: Decimal  # as stated, before its unit's scale
    text: str  # the value as written beside the bar: "28 млрд"
    note: str = ""  # who states it, a caveat
    unit: str = ""  # the unit as the reader reads it ("млрд долларов"): its panel's title
    value_to: Decimal | None = None  # a range's upper end, as stated (`value` is its lower end)


@dataclass(frozen=True)
class Panel:
    """The bars of one unit family, and which of the given figures they are."""

    family: str
    bars: tuple[Bar, ...]
    lengths: tuple[Decimal, ...]  # each value with its scale: 500 млн and 4 млрд долларов compare
    members: tuple[int, ...]  # positions of these bars among the figures given to `panels`
    uppers: tuple[Decimal | None, ...] = ()  # a range's upper end with its scale, else None

    @property
    def title(self) -> str:
        return " / ".join(dict.fromkeys(bar.unit for bar in self.bars if bar.unit))

    @property
    def has_range(self) -> bool:
        return any(upper is not None for upper in self.uppers)


def panels(bars: Sequence[tuple[Bar, str]]) -> list[Panel]:
    """One panel per unit family of two bars or more, in the order of the family's first figure;
    `bars` pairs each bar with its figure's unit as the source states it (the family is read
    from that, whatever language the labels are in). A bar whose unit is a bare scale is on none."""
    groups: dict[str, list[tuple[int, Bar, Decimal, Decimal | None]]] = {}
    for position, (bar, unit) in enumerate(bars):
        measured = measure(bar.value, unit)
        if measured.family is not None:
            upper = measure(bar.value_to, unit).magnitude if bar.value_to is not None else None
            groups.setdefault(measured.family, []).append((position, bar, measured.magnitude, upper))
    return [
        Panel(family, tuple(row[1] for row in rows), tuple(row[2] for row in rows), tuple(row[0] for row in rows),
              tuple(row[3] for row in rows))
        for family, rows in groups.items()
        if len(rows) >= 2
    ]


def unit_stated(value: Decimal, unit: str) -> bool:
    """Whether a figure's unit says what it counts (not a bare "млрд")."""
    return measure(value, unit).family is not None


def cut(text: str, width: int, lines: int) -> str:
    """`text` wrapped to `lines` lines of `width`, ending in "…" where it had to be cut."""
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=ELLIPSIS)) or ELLIPSIS


def bar_label(bar: Bar) -> str:
    return cut(bar.label, LABEL_WIDTH, LABEL_LINES)


def render_panels(title: str, charts: Sequence[Panel]) -> bytes:
    """Horizontal bar charts, one under another, as PNG bytes (phone-width, 1080 px wide)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure as Canvas  # no pyplot: no global state between threads

    head, gap, foot, per_bar = 0.7, 0.75, 0.3, 1.05
    heights = [gap + per_bar * len(panel.bars) for panel in charts]
    total = head + sum(heights) + foot
    canvas = Canvas(figsize=(10.8, total), dpi=100)
    canvas.suptitle(cut(title, TITLE_WIDTH, TITLE_LINES), fontsize=16, x=0.04, y=1 - 0.25 / total, ha="left", va="top")
    top = total - head
    for panel, height in zip(charts, heights, strict=True):
        bars_height = height - gap
        axes = canvas.add_axes((0.36, (top - height) / total + 0.05 / total, 0.56, bars_height / total))
        _draw(axes, panel)
        axes.set_title(cut(panel.title, TITLE_WIDTH, 1), fontsize=13, loc="left", pad=8)
        top -= height
    out = io.BytesIO()
    canvas.savefig(out, format="png")
    return out.getvalue()


BAR_COLOUR, RANGE_COLOUR = "#2f7fd1", "#a9cbef"


def _draw(axes, panel: Panel) -> None:
    lengths = [float(length) for length in panel.lengths]
    uppers = [float(upper) if upper is not None else None for upper in panel.uppers or [None] * len(lengths)]
    ends = [upper if upper is not None else length for length, upper in zip(lengths, uppers, strict=True)]
    positions = list(range(len(panel.bars)))[::-1]
    axes.barh(positions, lengths, color=BAR_COLOUR, height=0.6)
    ranged = [(y, length, upper) for y, length, upper in zip(positions, lengths, uppers, strict=True) if upper is not None]
    if ranged:  # a range: pale and hatched from its lower end to its upper one
        axes.barh([y for y, _, _ in ranged], [upper - length for _, length, upper in ranged],
                  left=[length for _, length, _ in ranged], color=RANGE_COLOUR, edgecolor=BAR_COLOUR,
                  hatch="//", linewidth=1, height=0.6)
    axes.set_yticks(positions, [bar_label(bar) for bar in panel.bars], fontsize=13)
    axes.set_xlim(0, max(ends) * 1.35 or 1)
    axes.set_xticks([])  # every bar carries its value as written; an axis of 4e9 would not help
    for y, end, bar in zip(positions, ends, panel.bars, strict=True):
        axes.text(end, y, f"  {bar.text}" + (f"\n  {bar.note}" if bar.note else ""), va="center", fontsize=12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
