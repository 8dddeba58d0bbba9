"""Figures as a picture, where a picture helps: a bar per comparable value.

Comparable means measured on one scale: the figures of a topic whose units share their first
word (млрд, %, тыс.) are drawn as bars, each labelled with its exact value; a topic with fewer
than two such figures gets no chart (one number is clearer as text). The font is DejaVu Sans,
which ships inside matplotlib and covers Cyrillic: nothing depends on the machine's fonts.
matplotlib is imported on the first chart, never at start-up; rendering is CPU work, so the
caller runs it in a worker thread and renders each chart once per content version.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str  # what is measured
    value: Decimal
    text: str  # the value as written beside the bar: "28 млрд"
    note: str = ""  # who states it, a caveat


def comparable(bars: Sequence[tuple[Bar, str]]) -> list[Bar]:
    """The largest group of bars on one scale (the unit's first word), in their order."""
    groups: dict[str, list[Bar]] = {}
    for bar, unit in bars:
        scale = (unit.split() or [""])[0].lower().rstrip(".")
        groups.setdefault(scale, []).append(bar)
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 2 else []


def render_bars(title: str, bars: Sequence[Bar]) -> bytes:
    """A horizontal bar chart as PNG bytes (phone-width, 1080 px wide)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure as Canvas  # no pyplot: no global state between threads

    height = 1.6 + 1.05 * len(bars)
    canvas = Canvas(figsize=(10.8, height), dpi=100)
    axes = canvas.add_axes((0.36, 0.12, 0.56, 0.74))
    labels = ["\n".join(textwrap.wrap(bar.label, 30)[:3]) for bar in bars]
    values = [float(bar.value) for bar in bars]
    positions = list(range(len(bars)))[::-1]
    axes.barh(positions, values, color="#2f7fd1", height=0.6)
    axes.set_yticks(positions, labels, fontsize=13)
    axes.set_xlim(0, max(values) * 1.35 or 1)
    axes.tick_params(axis="x", labelsize=11)
    for y, value, bar in zip(positions, values, bars, strict=True):
        axes.text(value, y, f"  {bar.text}" + (f"\n  {bar.note}" if bar.note else ""), va="center", fontsize=12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    canvas.suptitle("\n".join(textwrap.wrap(title, 60)[:2]), fontsize=16, x=0.04, ha="left")
    out = io.BytesIO()
    canvas.savefig(out, format="png")
    return out.getvalue()
