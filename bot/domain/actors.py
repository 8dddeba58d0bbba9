"""Who makes a change: recorded with every change in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who made a change: a Telegram user, an admin at the command line, or the seed files."""

    id: int | None
    name: str
    via: str  # "telegram", "cli" or "seeds"


SEEDS = Actor(None, "seeds/", "seeds")
