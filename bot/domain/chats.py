"""A chat the bot delivers to, and the states its deliveries can be in.

* `active`: deliveries flow;
* `stopped`: the chat asked for a pause (`/stop`) and only the chat can lift it (`/resume`);
* `paused`: Telegram told us the bot cannot write there (removed, kicked, blocked, no rights);
  it lifts by itself when the bot is added back;
* `migrated`: the group became a supergroup; everything moved to `migrated_to`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIVE, STOPPED, PAUSED, MIGRATED = "active", "stopped", "paused", "migrated"


@dataclass(frozen=True)
class ChatSettings:
    id: int
    type: str
    title: str
    language: str
    state: str
    state_reason: str | None
    instant: bool
    timezone: str
    digest_time: str | None
    next_digest_at: float | None
    registered_by: int | None
    topics: dict[str, int | None] = field(default_factory=dict)  # topic -> forum thread

    @property
    def is_channel(self) -> bool:
        return self.type == "channel"
