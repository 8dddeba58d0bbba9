"""Telegram HTML: escaping, measuring and splitting messages.

Telegram counts the 4096-character limit on the text after entity parsing, in UTF-16 code
units, and every message must be valid HTML on its own. `split_html` therefore measures
visible text only, prefers to break between paragraphs, then lines, sentences and words, and
closes the tags open at a break and reopens them in the next part.
"""

from __future__ import annotations

import html
import re

MESSAGE_LIMIT = 4096
UNIT = re.compile(r"<[^>]*>|&#?\w+;|[\s\S]")
TAG = re.compile(r"<(/?)([a-zA-Z-]+)")
# Break kinds, best first: paragraph, line, sentence end, word.
PARAGRAPH, LINE, SENTENCE, WORD = range(4)


def escape(text: str) -> str:
    """Escape content for parse_mode=HTML (quotes too: text may end up in attributes)."""
    return html.escape(text, quote=True)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_text(markup: str) -> str:
    """What the reader sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def visible_length(markup: str) -> int:
    return utf16_length(visible_text(markup))


def _unit_length(unit: str) -> int:
    if unit.startswith("<"):
        return 0
    if unit.startswith("&") and len(unit) > 1:
        return utf16_length(html.unescape(unit))
    return utf16_length(unit)


def _break_kind(previous: str, unit: str) -> int | None:
    if unit == "\n":
        return PARAGRAPH if previous == "\n" else LINE
    if unit == " ":
        return SENTENCE if previous in ".!?…»" else WORD
    return None


def split_html(markup: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Parts of at most `limit` visible UTF-16 units, each valid HTML on its own."""
    markup = markup.strip()
    if visible_length(markup) <= limit:
        return [markup] if markup else []
    units = UNIT.findall(markup)
    parts: list[str] = []
    start, reopen = 0, []  # reopen: opening tags carried over into the current part
    while start < len(units):
        end, open_at_end = _next_break(units, start, reopen, limit)
        body = "".join(reopen) + "".join(units[start:end]) + _closing(open_at_end)
        if visible_text(body).strip():
            parts.append(_trim(body))
        start, reopen = end, open_at_end
        while start < len(units) and units[start].isspace():
            start += 1
    return parts


def _next_break(units: list[str], start: int, reopen: list[str], limit: int) -> tuple[int, list[str]]:
    """Where the part beginning at `start` should end, and the tags open there.

    The best kind of break wins if it keeps at least half the limit; otherwise the next kind.
    """
    stack = list(reopen)
    length = 0
    breaks: dict[int, tuple[int, list[str], int]] = {}  # kind -> (end index, open tags, length)
    previous = ""
    for index in range(start, len(units)):
        unit = units[index]
        size = _unit_length(unit)
        if length + size > limit:
            for kind in (PARAGRAPH, LINE, SENTENCE, WORD):
                if kind in breaks and (breaks[kind][2] >= limit // 2 or kind == WORD):
                    return breaks[kind][0], breaks[kind][1]
            if breaks:
                end, open_tags, _ = breaks[min(breaks)]
                return end, open_tags
            return index, stack
        length += size
        tag = TAG.match(unit)
        if tag:
            if tag.group(1):
                if stack and _tag_name(stack[-1]) == tag.group(2).lower():
                    stack.pop()
            elif not unit.endswith("/>"):
                stack.append(unit)
        else:
            kind = _break_kind(previous, unit)
            if kind is not None and length > 1:
                breaks[kind] = (index + 1, list(stack), length)
            previous = unit
    return len(units), stack


def _tag_name(opening: str) -> str:
    match = TAG.match(opening)
    return match.group(2).lower() if match else ""


def _closing(stack: list[str]) -> str:
    return "".join(f"</{_tag_name(tag)}>" for tag in reversed(stack))


def _trim(part: str) -> str:
    """Strip whitespace at the edges of a part, outside or just inside its tags."""
    return re.sub(r"^((?:<[^>]*>)*)\s+", r"\1", re.sub(r"\s+((?:</[^>]*>)*)$", r"\1", part))
