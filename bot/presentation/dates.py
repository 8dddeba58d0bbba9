"""Dates as readers write them: "8 декабря 2025", "8 December 2025" — never ISO, never a
month abbreviated by the machine's locale."""

from __future__ import annotations

import datetime as dt

from bot.domain.schedule import zone
from bot.presentation.texts import t

MONTHS_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def reader_date(date: dt.date | None, lang: str) -> str:
    if date is None:
        return t(lang, "date_unknown")
    months = MONTHS_EN if lang == "en" else MONTHS_RU
    return f"{date.day} {months[date.month - 1]} {date.year}"


def reader_moment(moment: float, zone_name: str, lang: str) -> str:
    """A moment in a chat's time zone: "25 ноября 2026, 08:30"."""
    local = dt.datetime.fromtimestamp(moment, zone(zone_name))
    return f"{reader_date(local.date(), lang)}, {local:%H:%M}"
