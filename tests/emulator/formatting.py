"""Turn a method's ``text``/``parse_mode``/``entities`` into what the user will see.

Shared by sendMessage and editMessageText so both enforce the same rules: explicit
``entities`` win over ``parse_mode``; HTML goes through the strict parser; the visible text is
trimmed and must be 1-4096 UTF-16 code units *after* parsing. Captions (sendDocument,
editMessageCaption: ``caption``/``parse_mode``/``caption_entities``) follow the same rules but
may be empty and are limited to 1024 units.

``link_preview_options`` (LinkPreviewOptions) is checked as the Bot API server checks it: an
Object (``object expected as link preview options``), its flags JSON booleans and its ``url`` a
String (``field "X" must be of type Boolean/String``). What the user then sees is recorded as the
message's ``link_preview``: nothing when disabled, else the given ``url`` or the first link of
the text.
"""

from __future__ import annotations

from typing import Any

from .errors import bad_request, not_implemented
from .html_entities import ParsedText, parse_html, trim
from .utf16 import utf16_len

MAX_MESSAGE_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
PREVIEW_FLAGS = ("is_disabled", "prefer_small_media", "prefer_large_media", "show_above_text")


def _explicit_entities(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    for entity in raw:
        if not (
            isinstance(entity, dict)
            and isinstance(entity.get("type"), str)
            and isinstance(entity.get("offset"), int)
            and isinstance(entity.get("length"), int)
        ):
            raise bad_request("can't parse MessageEntity JSON object")
    return [dict(entity) for entity in raw]


def _render(raw: str, parse_mode: str, entities: Any, strict_ampersand: bool) -> ParsedText:
    if entities is not None:
        return trim(ParsedText(raw, _explicit_entities(entities)))
    if not parse_mode:
        return trim(ParsedText(raw, []))
    if parse_mode.lower() == "html":
        return parse_html(raw, strict_ampersand=strict_ampersand)
    if parse_mode.lower() in ("markdown", "markdownv2"):
        raise not_implemented(f"parse_mode {parse_mode}")
    raise bad_request("unsupported parse_mode")


def render_text(params: dict[str, Any], *, strict_ampersand: bool) -> ParsedText:
    """Visible text and entities for ``params``; raises 400 exactly where Telegram would."""
    parsed = _render(
        params.get("text") or "",
        (params.get("parse_mode") or "").strip(),
        params.get("entities"),
        strict_ampersand,
    )
    if not parsed.text:
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > MAX_MESSAGE_UTF16:
        raise bad_request("message is too long")
    return parsed


def render_caption(params: dict[str, Any], *, strict_ampersand: bool) -> ParsedText:
    """Visible caption and entities (possibly empty: no caption) for ``params``."""
    parsed = _render(
        params.get("caption") or "",
        (params.get("parse_mode") or "").strip(),
        params.get("caption_entities"),
        strict_ampersand,
    )
    if utf16_len(parsed.text) > MAX_CAPTION_UTF16:
        raise bad_request("message caption is too long")
    return parsed


def check_link_preview_options(value: Any) -> dict[str, Any] | None:
    """The LinkPreviewOptions as given (None when absent); 400 where the server refuses them."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("object expected as link preview options")
    for name in PREVIEW_FLAGS:
        if name in value and not isinstance(value[name], bool):
            raise bad_request(f'field "{name}" must be of type Boolean')
    if "url" in value and not isinstance(value["url"], str):
        raise bad_request('field "url" must be of type String')
    return {name: value[name] for name in (*PREVIEW_FLAGS, "url") if value.get(name)}


def link_preview(options: dict[str, Any] | None, parsed: ParsedText) -> str | None:
    """The address whose preview the user sees under (or above) the message, if any: the
    options' ``url``, else the first link of the text (a text_link's address or a bare URL)."""
    if options and options.get("is_disabled"):
        return None
    if options and options.get("url"):
        return options["url"]
    links = sorted((e for e in parsed.entities if e["type"] in ("text_link", "url")), key=lambda e: e["offset"])
    for entity in links:
        if entity["type"] == "text_link":
            return entity["url"]
        encoded = parsed.text.encode("utf-16-le")
        return encoded[2 * entity["offset"]:2 * (entity["offset"] + entity["length"])].decode("utf-16-le")
    return None
