"""Launch data of a Mini App, checked as Telegram specifies.

Telegram hands the page `initData`, a query string signed with the bot's token: the secret
key is HMAC-SHA256 of the token with the key "WebAppData", and `hash` is HMAC-SHA256 of the
data-check-string (every other field as `key=value`, sorted by key, joined by newlines) with
that secret. Anything else — a changed field, a missing or repeated one, data signed for
another bot, data older than the allowed age — is refused. Pure: the time is passed in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

MAX_INIT_DATA = 8192  # real launch data is well under 2 KB
FUTURE_SLACK = 60  # seconds a client's clock may run ahead of ours
_HASH = re.compile(r"[0-9a-f]{64}")


class InitDataError(Exception):
    """Launch data that proves nothing; `reason` says why (for logs, never for the page)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LaunchUser:
    id: int
    first_name: str
    last_name: str
    username: str | None
    language_code: str | None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or str(self.id)


@dataclass(frozen=True)
class LaunchData:
    user: LaunchUser
    auth_date: int


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """The `hash` Telegram would put beside these fields (tests and tools make launch data with it)."""
    return hmac.new(secret_key(token), data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def _fields(init_data: str) -> dict[str, str]:
    if not init_data:
        raise InitDataError("no launch data")
    if len(init_data) > MAX_INIT_DATA:
        raise InitDataError("launch data too long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise InitDataError("launch data is not a query string") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise InitDataError("a field repeated")
        fields[key] = value
    return fields


def validate(init_data: str, token: str, *, max_age: float, now: float) -> LaunchData:
    """The user and time the launch data was signed for, or InitDataError."""
    fields = _fields(init_data)
    given = fields.get("hash", "")
    if not _HASH.fullmatch(given):
        raise InitDataError("no hash")
    if not hmac.compare_digest(sign(fields, token), given):
        raise InitDataError("signature does not match")
    try:
        auth_date = int(fields.get("auth_date", ""))
    except ValueError:
        raise InitDataError("no auth_date") from None
    if auth_date > now + FUTURE_SLACK:
        raise InitDataError("auth_date in the future")
    if now - auth_date > max_age:
        raise InitDataError("launch data too old")
    try:
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError, RecursionError):
        raise InitDataError("no user") from None
    if not isinstance(user, dict) or not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InitDataError("no user")
    language = user.get("language_code")

    def text(name: str) -> str:
        value = user.get(name)
        return value if isinstance(value, str) else ""

    return LaunchData(
        LaunchUser(user_id, text("first_name"), text("last_name"), text("username") or None,
                   language if isinstance(language, str) else None),
        auth_date,
    )
