"""Plain records the emulator keeps: API calls, chats, messages (with their edit history) and
files.

They hold state only; behaviour lives in the method handlers. ``to_api`` renders a record the
way Telegram serialises it on the wire, ``snapshot`` the way tests read it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .members import Member


@dataclass
class ApiCall:
    """One HTTP request to the Bot API, decoded, with Telegram's answer."""

    method: str
    params: dict[str, Any]
    time: float  # time.time() when the request arrived
    ok: bool | None = None  # None while the request is still being answered
    error_code: int | None = None
    description: str | None = None
    result: Any = None
    parameters: dict[str, Any] | None = None  # retry_after / migrate_to_chat_id of an error
    duration: float = 0.0
    injected: bool = False  # failure forced by ``fail_next``: the bot did nothing wrong
    abandoned: bool = False  # the client had gone (e.g. a cancelled long poll) before the answer

    @property
    def refused(self) -> bool:
        """Telegram would have refused this call because of what the bot sent."""
        return self.ok is False and not self.injected and not self.abandoned

    def __getitem__(self, key: str) -> Any:  # dict-style access: call["method"]
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def __repr__(self) -> str:
        outcome = "ok" if self.ok else f"{self.error_code} {self.description!r}"
        return f"<ApiCall {self.method} {outcome} params={self.params!r}>"


@dataclass
class StoredFile:
    """A file Telegram stores: sent by a user, or uploaded by the bot.

    ``data`` is ``None`` for a file a test declared only by size (see
    ``BotApiEmulator.send_document``): too big for the Bot API to download, so never read.
    ``file_path`` is given out by the first getFile, as on Telegram.
    """

    file_id: str
    file_unique_id: str
    file_size: int
    data: bytes | None
    file_name: str | None = None
    photo_size: tuple[int, int] | None = None  # (width, height) for a photo
    mime_type: str | None = None
    file_path: str | None = None

    def document(self) -> dict[str, Any]:
        """The Telegram ``Document`` object."""
        document: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name is not None:
            document["file_name"] = self.file_name
        if self.mime_type is not None:
            document["mime_type"] = self.mime_type
        document["file_size"] = self.file_size
        return document

    def __repr__(self) -> str:
        return f"<StoredFile {self.file_id} {self.file_name!r} {self.file_size} bytes>"


@dataclass
class StoredMessage:
    """Current state of a message plus the versions it had before each edit.

    A document message keeps its caption in ``text``/``entities``/``html`` (edits, "not
    modified" and privacy mode treat both alike); ``to_api`` and ``snapshot`` show it as
    ``caption``.
    """

    message_id: int
    chat_id: int
    date: int
    sender: str  # "bot", "user" or "channel"
    from_user: dict[str, Any] | None
    text: str
    entities: list[dict[str, Any]]
    html: str  # the raw ``text`` parameter, before parse_mode was applied
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    message_thread_id: int | None = None
    is_topic_message: bool = False  # sent in a forum topic
    sender_chat: dict[str, Any] | None = None  # anonymous admins post as the group
    author_signature: str | None = None
    forward_origin: dict[str, Any] | None = None
    service: dict[str, Any] | None = None  # e.g. {"chat_shared": {...}}: replaces the text
    document: dict[str, Any] | None = None  # the Telegram ``Document``; ``text`` is its caption
    photo: list[dict[str, Any]] | None = None  # the ``PhotoSize`` list; ``text`` is its caption
    link_preview_options: dict[str, Any] | None = None  # as the bot gave them (see formatting)
    link_preview: str | None = None  # the address whose preview the user sees, if any
    edit_date: int | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    def content(self) -> tuple[Any, ...]:
        """What 'message is not modified' compares."""
        return (self.text, self.entities, self.reply_markup, self.link_preview_options)

    def _text_keys(self) -> tuple[str, str]:
        return ("caption", "caption_entities") if self.document or self.photo else ("text", "entities")

    def push_edit(self, edit_date: int | None) -> None:
        """Archive the current version; ``edit_date`` becomes the new version's edit time."""
        text_key, entities_key = self._text_keys()
        self.edits.append(
            {
                text_key: self.text,
                entities_key: copy.deepcopy(self.entities),
                "html": self.html,
                "parse_mode": self.parse_mode,
                "reply_markup": copy.deepcopy(self.reply_markup),
                "link_preview_options": copy.deepcopy(self.link_preview_options),
                "link_preview": self.link_preview,
                "date": self.edit_date or self.date,
            }
        )
        self.edit_date = edit_date

    def to_api(self, chat: dict[str, Any], reply_to: dict[str, Any] | None = None) -> dict:
        """The Telegram ``Message`` object.

        ``entities`` and ``reply_markup`` are shared, not copied: a stored message only ever
        gets new ones (edits rebind them), and deep-copying them for every answer made the
        emulator, not the bot, the bottleneck of throughput benchmarks."""
        message: dict[str, Any] = {"message_id": self.message_id}
        if self.message_thread_id is not None:
            message["message_thread_id"] = self.message_thread_id
        if self.from_user is not None:
            message["from"] = copy.deepcopy(self.from_user)
        if self.sender_chat is not None:
            message["sender_chat"] = copy.deepcopy(self.sender_chat)
        elif self.sender == "channel" or (self.sender == "bot" and chat["type"] == "channel"):
            message["sender_chat"] = copy.deepcopy(chat)
        message["date"] = self.date
        message["chat"] = copy.deepcopy(chat)
        if self.forward_origin is not None:
            message["forward_origin"] = copy.deepcopy(self.forward_origin)
        if self.is_topic_message:
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.author_signature is not None:
            message["author_signature"] = self.author_signature
        if self.service is not None:
            message.update(copy.deepcopy(self.service))
            return message
        if self.document is not None:
            message["document"] = dict(self.document)
        if self.photo is not None:
            message["photo"] = [dict(size) for size in self.photo]
        text_key, entities_key = self._text_keys()
        if self.text or (self.document is None and self.photo is None):
            message[text_key] = self.text
        if self.entities:
            message[entities_key] = self.entities
        if self.link_preview_options:
            message["link_preview_options"] = dict(self.link_preview_options)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            # Telegram echoes only inline keyboards; reply keyboards live on the client.
            message["reply_markup"] = self.reply_markup
        return message

    def snapshot(self) -> dict[str, Any]:
        """Test-facing view (see ``BotApiEmulator.messages_in``)."""
        is_document = self.document is not None or self.photo is not None
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "date": self.date,
            "text": "" if is_document else self.text,
            "entities": [] if is_document else copy.deepcopy(self.entities),
            "document": dict(self.document) if self.document is not None else None,
            "photo": [dict(size) for size in self.photo] if self.photo is not None else None,
            "caption": self.text if is_document else None,
            "caption_entities": copy.deepcopy(self.entities) if is_document else [],
            "html": self.html,
            "parse_mode": self.parse_mode,
            "reply_markup": copy.deepcopy(self.reply_markup),
            "link_preview_options": copy.deepcopy(self.link_preview_options),
            "link_preview": self.link_preview,
            "reply_to_message_id": self.reply_to_message_id,
            "message_thread_id": self.message_thread_id,
            "edits": copy.deepcopy(self.edits),
            "deleted": self.deleted,
        }


@dataclass
class ChatState:
    """A chat the emulator knows, its messages, members and forum topics."""

    chat: dict[str, Any]  # the Telegram ``Chat`` object
    started: bool = True  # private chats: the user has written to the bot
    blocked: bool = False  # private chats: the user blocked the bot
    migrated_to: int | None = None  # a group upgraded to this supergroup id
    #: groups and channels: user id (the bot's included) -> membership; absent means "left"
    members: dict[int, Member] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)  # forums: thread id -> topic name
    messages: list[StoredMessage] = field(default_factory=list)
    by_id: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1

    @property
    def id(self) -> int:
        return self.chat["id"]

    @property
    def type(self) -> str:
        return self.chat["type"]

    def add(self, message: StoredMessage) -> StoredMessage:
        self.messages.append(message)
        self.by_id[message.message_id] = message
        return message

    def new_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class Reply:
    """A successful answer that also carries Telegram's optional ``description``."""

    result: Any
    description: str | None = None
