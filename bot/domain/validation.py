"""Turning validation failures into one sentence an editor can act on."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class ContentError(Exception):
    """Content (a seed file, the catalogue, an upload) that cannot be used as it is."""


def _path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def describe_validation_error(exc: ValidationError, raw: Any) -> str:
    """Name the snippet (by its id when it has one) and the field of the first problem."""
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    where = ""
    if len(loc) >= 2 and loc[0] == "snippets" and isinstance(loc[1], int):
        snippet_id = None
        try:
            snippet_id = raw["snippets"][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        label = f"snippet {snippet_id!r}" if snippet_id else f"snippet #{loc[1] + 1}"
        field = _path(loc[2:])
        where = f"{label}, field {field!r}" if field else label
    elif loc:
        where = f"field {_path(loc)!r}"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{where}: {message}{suffix}" if where else f"{message}{suffix}"
