"""Telegram's ``parse_mode=HTML``: raw text -> (visible text, entities) or a parse error.

Modelled on the documented formatting rules and on how the official Bot API server behaves:
tags are matched strictly (unsupported, unclosed or mismatched tags are errors that cite the
byte offset of the offending ``<``), attributes follow the server's SGML-ish rules (unquoted
values are lower-cased name tokens), ``<pre><code class="language-x">`` collapses into one
``pre`` entity with a language, empty entities are dropped and the result is trimmed.
Not emulated: the server's later clean-up of overlapping entities (e.g. dropping entities
nested inside ``code``) and automatic url/mention detection in the bot's own text.

One deliberate deviation, on by default (``strict_ampersand``): the real server keeps an ``&``
that does not start an entity as a literal character, while the docs say it *must* be escaped.
The emulator follows the docs so a bot that forgets to escape user text fails in tests rather
than rendering ``&lt`` as ``<`` in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .utf16 import LazyByteOffset, byte_offset, utf16_len

#: tag -> entity type (``None``: decided when the tag closes)
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
SUPPORTED_TAGS = frozenset(
    [*_SIMPLE_TAGS, "span", "a", "code", "pre", "blockquote", "tg-emoji", "tg-time"]
)

_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)(?![A-Za-z])|#([0-9]+)|#[xX]([0-9a-fA-F]+))(;?)")
_TAG_OR_ENTITY = re.compile(r"[<&]")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = " \t\r\n\v\f"


class HtmlParseError(ApiError):
    """``Bad Request: can't parse entities: ...`` (what Telegram answers for broken HTML)."""

    def __init__(self, reason: str) -> None:
        super().__init__(400, f"Bad Request: can't parse entities: {reason}")
        self.reason = reason


@dataclass
class _OpenTag:
    name: str
    start: int  # index into the raw text of '<'
    utf16_start: int
    out_index: int  # position in the output chunk list when the tag opened
    attrs: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]]


def _decode_entity(raw: str, pos: int, strict: bool) -> tuple[str, int] | None:
    """Decode an HTML entity starting at ``raw[pos] == '&'``: (character, next index)."""
    match = _ENTITY_RE.match(raw, pos)
    if match is None or (strict and not match.group(4)):
        return None
    named, decimal, hexadecimal = match.group(1), match.group(2), match.group(3)
    if named:
        return _NAMED[named], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _ampersand_error(raw: str, pos: int) -> HtmlParseError:
    return HtmlParseError(
        f'Character "&" must be escaped as "&amp;" at byte offset {byte_offset(raw, pos)}'
    )


def _parse_attributes(raw: str, i: int, tag: _OpenTag, strict: bool) -> int:
    """Parse attributes after the tag name; returns the index of the closing '>'."""
    n = len(raw)
    begin = LazyByteOffset(raw, tag.start)
    while True:
        while i < n and raw[i] in _SPACE:
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if raw[i] == ">":
            return i
        name_start = i
        while i < n and raw[i] not in _SPACE and raw[i] not in "=>":
            i += 1
        name = raw[name_start:i].lower()
        if not name:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{tag.name}" at byte offset {begin}'
            )
        while i < n and raw[i] in _SPACE:
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if raw[i] != "=":
            if tag.name == "blockquote" and name == "expandable":
                tag.flags.add("expandable")
                continue
            raise HtmlParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag.name}" at byte offset {begin}'
            )
        i += 1
        while i < n and raw[i] in _SPACE:
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if raw[i] in "'\"":
            quote = raw[i]
            i += 1
            value: list[str] = []
            while i < n and raw[i] != quote:
                if raw[i] == "&":
                    decoded = _decode_entity(raw, i, strict)
                    if decoded is not None:
                        value.append(decoded[0])
                        i = decoded[1]
                        continue
                    if strict:
                        raise _ampersand_error(raw, i)
                value.append(raw[i])
                i += 1
            if i >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            i += 1
            text_value = "".join(value)
        else:
            token_start = i
            while i < n and (raw[i].isalnum() and raw[i].isascii() or raw[i] in ".-"):
                i += 1
            if i >= n or (raw[i] not in _SPACE and raw[i] != ">"):
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {byte_offset(raw, token_start)}"
                )
            text_value = raw[token_start:i].lower()
        tag.attrs.setdefault(name, text_value)


def _entity_for(tag: _OpenTag, offset: int, length: int, content: str, raw: str) -> dict | None:
    """The entity a closed tag produces (``None`` for nothing)."""
    begin = LazyByteOffset(raw, tag.start)
    base = {"offset": offset, "length": length}
    if tag.name in _SIMPLE_TAGS:
        return {"type": _SIMPLE_TAGS[tag.name], **base}
    if tag.name == "span":
        return {"type": "spoiler", **base}
    if tag.name == "code":
        language = tag.attrs.get("class", "")
        entity = {"type": "code", **base}
        if language.startswith("language-") and len(language) > 9:
            entity["_language"] = language[9:]
        return entity
    if tag.name == "pre":
        return {"type": "pre", **base}
    if tag.name == "blockquote":
        kind = "expandable_blockquote" if "expandable" in tag.flags else "blockquote"
        return {"type": kind, **base}
    if tag.name == "a":
        url = tag.attrs.get("href") or content
        if url.startswith("tg://user?id="):
            user_id = url.removeprefix("tg://user?id=")
            if user_id.isdigit():
                return {
                    "type": "text_mention",
                    **base,
                    "user": {"id": int(user_id), "is_bot": False, "first_name": ""},
                }
        if not url.strip():
            return None
        return {"type": "text_link", **base, "url": url}
    if tag.name == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise HtmlParseError(
                f"Invalid custom emoji identifier specified at byte offset {begin}"
            )
        return {"type": "custom_emoji", **base, "custom_emoji_id": emoji_id}
    if tag.name == "tg-time":
        unix = tag.attrs.get("unix", "")
        if not unix.lstrip("-").isdigit():
            raise HtmlParseError(f'Tag "tg-time" must have attribute "unix" at byte offset {begin}')
        entity = {"type": "date_time", **base, "unix_time": int(unix)}
        if tag.attrs.get("format"):
            entity["date_time_format"] = tag.attrs["format"]
        return entity
    raise AssertionError(tag.name)  # pragma: no cover - SUPPORTED_TAGS guards this


def parse_html(raw: str, *, strict_ampersand: bool = True) -> ParsedText:
    """Parse Telegram HTML; raises :class:`HtmlParseError` exactly where Telegram refuses."""
    out: list[str] = []
    utf16_pos = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i, n = 0, len(raw)

    def emit(chunk: str) -> None:
        nonlocal utf16_pos
        out.append(chunk)
        utf16_pos += utf16_len(chunk)

    while i < n:
        ch = raw[i]
        if ch == "&":
            decoded = _decode_entity(raw, i, strict_ampersand)
            if decoded is not None:
                emit(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise _ampersand_error(raw, i)
            emit(ch)
            i += 1
            continue
        if ch != "<":
            # a run of plain text up to the next tag or entity, in one piece
            special = _TAG_OR_ENTITY.search(raw, i + 1)
            stop = special.start() if special else n
            emit(raw[i:stop])
            i = stop
            continue

        begin = LazyByteOffset(raw, i)
        if i + 1 < n and raw[i + 1] == "/":
            close = raw.find(">", i + 2)
            if close < 0:
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            end_name = raw[i + 2 : close].rstrip(_SPACE).lower()
            top = stack[-1]
            if end_name and end_name != top.name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{top.name}>", '
                    f'found "</{end_name}>"'
                )
            stack.pop()
            length = utf16_pos - top.utf16_start
            if length > 0:
                content = "".join(out[top.out_index :])
                entity = _entity_for(top, top.utf16_start, length, content, raw)
                if entity is not None:
                    if entity["type"] == "pre":
                        _merge_code_into_pre(entity, entities)
                    entities.append(entity)
            i = close + 1
            continue

        j = i + 1
        while j < n and raw[j] not in _SPACE and raw[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        name = raw[i + 1 : j].lower()
        if name not in SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
        tag = _OpenTag(name=name, start=i, utf16_start=utf16_pos, out_index=len(out))
        close = _parse_attributes(raw, j, tag, strict_ampersand)
        if name == "span" and tag.attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        stack.append(tag)
        i = close + 1

    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    for entity in entities:
        entity.pop("_language", None)
    return trim(ParsedText("".join(out), entities))


def _merge_code_into_pre(pre: dict, entities: list[dict]) -> None:
    """``<pre><code class="language-x">…</code></pre>`` is one ``pre`` entity with a language."""
    for index in range(len(entities) - 1, -1, -1):
        inner = entities[index]
        if inner["type"] == "code" and (inner["offset"], inner["length"]) == (
            pre["offset"],
            pre["length"],
        ):
            if inner.get("_language"):
                pre["language"] = inner["_language"]
            del entities[index]
            return


def trim(parsed: ParsedText) -> ParsedText:
    """Strip leading/trailing whitespace as Telegram does, shifting and clipping entities."""
    text = parsed.text
    stripped_left = text.lstrip(_SPACE)
    head = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip(_SPACE)
    total = utf16_len(result)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - head, 0)
        end = min(entity["offset"] + entity["length"] - head, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText(result, entities)
