"""Decode Bot API request parameters the way Telegram does.

Telegram takes parameters from the query string and from a JSON, urlencoded or multipart body,
and converts each value by the parameter's declared type. That matters for python-telegram-bot:
it posts ``application/x-www-form-urlencoded`` (``multipart/form-data`` when uploading) where
*every* value is a string - numbers and booleans JSON-dumped (``"123"``, ``"true"``) and
objects/arrays JSON-serialised (``reply_markup='{"inline_keyboard": ...}'``) - so a value is only
meaningful once matched against the method's spec (``spec.METHODS``).

File parts of a multipart body are kept as :class:`UploadedFile` (bytes, file name, content
type) for ``file`` parameters such as sendDocument's ``document``. A body over the server's
size limit is refused as Telegram's front end does: 413 ``Request Entity Too Large``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import ApiError, bad_request
from .spec import METHODS

_INT_RE = re.compile(r"^\s*[+-]?\d+\s*$")
_NUMBER_RE = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
#: Bots may upload files of up to 50 MB (sendDocument and friends).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}

#: Telegram's wording for some missing required parameters (the rest get a generic message).
_MISSING = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "document": "there is no document in the request",
}
#: Where the emulator decodes differently from the spec: a fractional long-poll timeout
#: (python-telegram-bot sends timedelta(seconds=0.5) as "0.5") is honoured, not truncated to 0,
#: so a bot polling with a sub-second timeout does not spin.
_KIND_OVERRIDES = {("getUpdates", "timeout"): "float"}
_JSON_ERRORS = {
    "reply_markup": "can't parse reply keyboard markup JSON object",
    "entities": "can't parse entities JSON object",
    "caption_entities": "can't parse entities JSON object",
    "link_preview_options": "can't parse link preview options JSON object",
}


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        return f"<UploadedFile {self.field} {self.filename!r} {len(self.data)} bytes>"


def request_too_large() -> ApiError:
    """What Telegram's front end answers for an upload over the limit (50 MB for bots): HTTP
    413 before any method runs, not a ``Bad Request``."""
    return ApiError(413, "Request Entity Too Large")


async def read_raw(request: web.Request) -> dict[str, Any]:
    """Merge query string and body into one dict of still-undecoded values."""
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except web.HTTPRequestEntityTooLarge:
            raise request_too_large() from None
        except ValueError as exc:
            raise bad_request(f"can't parse JSON request body: {exc}") from None
        if not isinstance(body, dict):
            raise bad_request("JSON request body must be an object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge:
            raise request_too_large() from None
        for name, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                if len(data) > MAX_UPLOAD_BYTES:
                    raise request_too_large()
                params[name] = UploadedFile(name, value.filename, value.content_type, data)
            elif isinstance(value, bytes):
                params[name] = value.decode("utf-8", "replace")
            else:
                params[name] = value
    return params


def _type_error(name: str, expected: str) -> ApiError:
    return bad_request(f'field "{name}" must be of type {expected}')


def _coerce(name: str, kind: str | None, value: Any) -> Any:
    if kind is None or kind == "file":
        return value
    if isinstance(value, UploadedFile):
        raise _type_error(name, kind)
    if kind == "int":
        if isinstance(value, bool):
            raise _type_error(name, "Integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value)  # the server truncates, as it does "1.5" in form data
        if isinstance(value, str) and _INT_RE.match(value):
            return int(value)
        if isinstance(value, str) and _NUMBER_RE.match(value):
            return int(float(value))
        raise _type_error(name, "Integer")
    if kind == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _type_error(name, "Float") from None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _type_error(name, "Boolean")
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        raise _type_error(name, "String")
    if kind == "chat":
        if isinstance(value, bool):
            raise _type_error(name, "Integer or String")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            return int(value) if _INT_RE.match(value) else value.strip()
        raise _type_error(name, "Integer or String")
    if kind == "json":
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(
                    _JSON_ERRORS.get(name, f"can't parse {name} JSON object")
                ) from None
        return value
    raise AssertionError(kind)  # pragma: no cover


def _kind(method: str, name: str) -> str | None:
    """How to decode a parameter; ``None`` for ones the spec does not list (kept raw)."""
    if (method, name) in _KIND_OVERRIDES:
        return _KIND_OVERRIDES[(method, name)]
    entry = METHODS[method].get(name)
    return entry[0] if entry else None


def decode(method: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed parameters of ``method``; raises 400 for bad values and missing required ones.

    Parameters the spec does not know are kept as sent (Telegram ignores them, tests may not).
    A JSON ``null`` counts as absent; so does an empty chat_id/text/message_id (Telegram's
    "... is empty"), while e.g. setWebhook's ``url=""`` stays a valid value.
    """
    spec = METHODS[method]
    decoded = {
        name: _coerce(name, _kind(method, name), value)
        for name, value in raw.items()
        if value is not None
    }
    for name, (_, required) in spec.items():
        value = decoded.get(name)
        if required and (value is None or (value == "" and name in _MISSING)):
            raise bad_request(_MISSING.get(name, f"parameter {name} is required"))
    return decoded
