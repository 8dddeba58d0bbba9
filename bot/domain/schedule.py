"""Digest times and time zones: parsing what users type, and finding the next digest moment."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def parse_time(text: str) -> str | None:
    """`8:30`, `08:30`, `8.30` → `08:30`; None for anything that is not a time of day."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(text: str) -> str | None:
    """An IANA name in any letter case (`europe/moscow`) or a UTC offset (`+3`, `UTC+05:30`).

    Offsets are stored as `UTC+05:30`; None when the text is neither.
    """
    text = text.strip()
    if not text or len(text) > 64:
        return None
    name = _zone_names().get(text.lower())
    if name:
        return name
    if text.upper() in ("UTC", "GMT", "Z"):
        return "UTC"
    match = _OFFSET.match(text)
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60 or (hours == 14 and minutes):
        return None
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone(name: str) -> dt.tzinfo:
    """The tzinfo for a stored time zone (an IANA name or `UTC±HH:MM`)."""
    if name.startswith("UTC") and len(name) == 9:
        sign = -1 if name[3] == "-" else 1
        hours, minutes = int(name[4:6]), int(name[7:9])
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return zoneinfo.ZoneInfo(name)


def next_occurrence(hhmm: str, zone_name: str, after: float) -> float:
    """The first moment strictly after `after` (Unix time) when the clock in that zone shows
    `hhmm`. A time skipped by a daylight-saving change falls on the shifted hour that day."""
    tz = zone(zone_name)
    hour, minute = (int(part) for part in hhmm.split(":"))
    local_now = dt.datetime.fromtimestamp(after, tz)
    day = local_now.date()
    for _ in range(3):
        candidate = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).timestamp()
        if candidate > after:
            return candidate
        day += dt.timedelta(days=1)
    raise AssertionError("unreachable: a clock time recurs within two days")

