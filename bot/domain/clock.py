"""The one way the bot writes "now" into records."""

from __future__ import annotations

import datetime as dt


def utc_now_iso() -> str:
    """Now in UTC, to the second, as ISO 8601 (how every stored timestamp is written)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
