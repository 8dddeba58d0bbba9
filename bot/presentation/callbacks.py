"""Callback data: one typed codec for every inline button the bot sends.

Each kind of button is a small frozen dataclass with a `PREFIX`; `pack()` writes
`<prefix>:<field>:<field>…` (at most 64 bytes, Telegram's limit) and `unpack()` reads data a
client sent back — which a modified client may have made up — into the same type, or None.
Fields are typed: `int` fields take only bounded integers, `str` fields only letters, digits,
`_` and `-`. Whether a topic or a snippet named in the data exists is for the caller to ask.
"""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar, TypeVar

MAX_BYTES = 64
_WORD = re.compile(r"[A-Za-z0-9_-]{1,60}")
_INT = re.compile(r"-?[0-9]{1,19}")
C = TypeVar("C", bound="CallbackData")


@dataclasses.dataclass(frozen=True)
class CallbackData:
    PREFIX: ClassVar[str]

    def pack(self) -> str:
        values = [str(getattr(self, field.name)) for field in dataclasses.fields(self)]
        data = ":".join([self.PREFIX, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls: type[C], data: str | None) -> C | None:
        if not data or len(data.encode()) > MAX_BYTES:
            return None
        head = cls.PREFIX.split(":")
        pieces = data.split(":")
        fields = dataclasses.fields(cls)
        if pieces[: len(head)] != head or len(pieces) != len(head) + len(fields):
            return None
        values = {}
        for field, text in zip(fields, pieces[len(head):], strict=True):
            if field.type in ("int", int):
                if not _INT.fullmatch(text) or not -(2**63) <= int(text) < 2**63:
                    return None
                values[field.name] = int(text)
            elif _WORD.fullmatch(text):
                values[field.name] = text
            else:
                return None
        return cls(**values)


def unpack_any(data: str | None, kinds: tuple[type[CallbackData], ...]) -> CallbackData | None:
    """The first of `kinds` the data is, or None."""
    for kind in kinds:
        found = kind.unpack(data)
        if found is not None:
            return found
    return None


# --- readers: a topic's views and the menu -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ShowBriefing(CallbackData):
    PREFIX: ClassVar[str] = "t"
    topic: str


@dataclasses.dataclass(frozen=True)
class ShowFigures(CallbackData):
    PREFIX: ClassVar[str] = "f"
    topic: str


@dataclasses.dataclass(frozen=True)
class ShowQuote(CallbackData):
    PREFIX: ClassVar[str] = "q"
    topic: str


@dataclasses.dataclass(frozen=True)
class ShowMenu(CallbackData):
    PREFIX: ClassVar[str] = "m"


@dataclasses.dataclass(frozen=True)
class ShowEarlier(CallbackData):
    """A topic's briefing at its `index`-th snippet, newest first (0 is the newest)."""

    PREFIX: ClassVar[str] = "tp"
    topic: str
    index: int


READER_BUTTONS = (ShowBriefing, ShowFigures, ShowQuote, ShowMenu, ShowEarlier)


# --- subscriptions: the chat they change is named, every press is authorised again ----------------


@dataclasses.dataclass(frozen=True)
class ToggleTopic(CallbackData):
    PREFIX: ClassVar[str] = "s"
    chat_id: int
    topic: str


@dataclasses.dataclass(frozen=True)
class ToggleInstant(CallbackData):
    PREFIX: ClassVar[str] = "si"
    chat_id: int


SUBSCRIPTION_BUTTONS = (ToggleTopic, ToggleInstant)


@dataclasses.dataclass(frozen=True)
class RemoveAlert(CallbackData):
    """✖ under `/alerts`: remove this alert of this chat (`ax:<chat id>:<alert id>`, at most
    2 + 20 + 19 characters and two colons: far under 64 bytes)."""

    PREFIX: ClassVar[str] = "ax"
    chat_id: int
    alert_id: int


# --- editors ----------------------------------------------------------------------------------------

EDITOR_PREFIX = "ed"


@dataclasses.dataclass(frozen=True)
class PreviewDraft(CallbackData):
    PREFIX: ClassVar[str] = "ed:p"
    snippet_id: int


@dataclasses.dataclass(frozen=True)
class PublishDraft(CallbackData):
    PREFIX: ClassVar[str] = "ed:pub"
    snippet_id: int


@dataclasses.dataclass(frozen=True)
class PublishNow(CallbackData):
    """Under a draft's preview: one press puts it on the air."""

    PREFIX: ClassVar[str] = "ed:pn"
    snippet_id: int


@dataclasses.dataclass(frozen=True)
class DiscardDraft(CallbackData):
    PREFIX: ClassVar[str] = "ed:d"
    snippet_id: int


@dataclasses.dataclass(frozen=True)
class ApplyChange(CallbackData):
    PREFIX: ClassVar[str] = "ed:ap"
    token: str


@dataclasses.dataclass(frozen=True)
class CancelChange(CallbackData):
    PREFIX: ClassVar[str] = "ed:cx"
    token: str


EDITOR_BUTTONS = (PreviewDraft, PublishDraft, PublishNow, DiscardDraft, ApplyChange, CancelChange)
