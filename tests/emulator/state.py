"""The emulated Telegram side of one bot: chats, messages, the update queue and bot settings.

Everything mutable lives here, behind one re-entrant lock, because test code may create
updates from another thread while the aiohttp handlers run on the event loop. Method handlers
take the lock, change state, and call ``signal.notify()`` so held ``getUpdates`` and test
waiters re-check.
"""

from __future__ import annotations

import collections
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from .errors import ApiError, bad_request, forbidden
from .limits import FloodController, FloodLimits
from .members import Member, check_access, check_can_send
from .models import ApiCall, ChatState, StoredFile, StoredMessage
from .notify import ChangeSignal

#: Update types delivered when allowed_updates is empty or was never set.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def private_chat_object(user: dict[str, Any]) -> dict[str, Any]:
    """The ``Chat`` of a user's private chat with the bot."""
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    for name in ("last_name", "username"):
        if user.get(name):
            chat[name] = user[name]
    return chat


@dataclass
class Poll:
    """A getUpdates request being held; a newer one (or setWebhook) supersedes it."""

    superseded_by: str | None = None


class World:
    def __init__(
        self,
        *,
        bot: dict[str, Any],
        flood: FloodLimits,
        strict_ampersand: bool,
        group_privacy: bool,
        first_update_id: int,
    ) -> None:
        self.lock = threading.RLock()
        self.signal = ChangeSignal()
        self.bot = bot
        #: how the bot appears as a message sender (getMe's capability flags are not repeated)
        self.bot_sender = {k: bot[k] for k in ("id", "is_bot", "first_name", "username")}
        self.flood = FloodController(flood)
        self.paid_messages = 0  # accepted with allow_paid_broadcast (0.1 Star each on Telegram)
        self.clock = time.monotonic  # flood-control clock; tests may substitute a fake one
        self.strict_ampersand = strict_ampersand
        self.group_privacy = group_privacy

        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, ChatState] = {}
        self.usernames: dict[str, int] = {}

        self.updates: list[dict[str, Any]] = []
        #: update_id -> (the queued update, its JSON): encoded once, when it is queued, as a
        #: server that stores its updates would; getUpdates joins these (see `updates_body`)
        self.encoded: dict[int, tuple[dict[str, Any], str]] = {}
        self.next_update_id = first_update_id
        self.allowed_updates: list[str] = []
        self.webhook: dict[str, Any] = {"url": ""}
        #: like `telegram-bot-api --local`: webhooks may be plain HTTP, on any port, local
        self.local_server = False
        self.active_poll: Poll | None = None
        self.closing = False
        self.logged_out = False

        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.reactions: dict[tuple[int, int, int], list[str]] = {}  # (chat, message, user) -> emoji
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.inline_queries: dict[str, dict[str, Any]] = {}
        self.inline_answers: dict[str, dict[str, Any]] = {}
        self._next_query = 0
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int, dict[str, Any]] = {}  # private chat id -> its menu button
        self.chat_actions: list[dict[str, Any]] = []

        self.files: dict[str, StoredFile] = {}  # file_id -> file
        self.file_paths: dict[str, StoredFile] = {}  # getFile's file_path -> file
        self._next_file = 0

        self.calls: list[ApiCall] = []
        self.faults: dict[str, collections.deque[ApiError]] = collections.defaultdict(
            collections.deque
        )

    # -- bookkeeping ---------------------------------------------------------------------

    @staticmethod
    def now() -> int:
        return int(time.time())

    def record(self, call: ApiCall) -> None:
        with self.lock:
            self.calls.append(call)

    def take_fault(self, method: str) -> ApiError | None:
        with self.lock:
            queue = self.faults.get(method)
            return queue.popleft() if queue else None

    # -- chats ---------------------------------------------------------------------------

    def remember_user(self, user: dict[str, Any]) -> None:
        with self.lock:
            self.users[user["id"]] = user

    @property
    def bot_id(self) -> int:
        return self.bot["id"]

    def add_chat(self, chat: dict[str, Any], *, bot: Member | None = None) -> ChatState:
        """Create (or update) a chat; ``bot`` is the bot's membership there, if it changes."""
        with self.lock:
            state = self.chats.get(chat["id"])
            if state is None:
                state = self.chats[chat["id"]] = ChatState(chat=chat)
            else:
                state.chat.update(chat)
            if bot is not None:
                state.members[self.bot_id] = bot
            if chat.get("username"):
                self.usernames[chat["username"].lower()] = chat["id"]
            return state

    def member(self, state: ChatState, user_id: int) -> Member:
        """``user_id``'s membership; in a private chat its user and the bot are members
        (the bot is ``kicked`` while the user blocks it) and everyone else has ``left``."""
        if state.type == "private":
            if user_id == self.bot_id and state.blocked:
                return Member("kicked", until_date=0)
            return Member("member" if user_id in (state.id, self.bot_id) else "left")
        return state.members.get(user_id) or Member("left")

    def bot_member(self, state: ChatState) -> Member:
        return self.member(state, self.bot_id)

    def user_object(self, user_id: int) -> dict[str, Any]:
        """The ``User`` as Telegram shows it (the bot without getMe's capability flags)."""
        return self.bot_sender if user_id == self.bot_id else self.users[user_id]

    def private_chat(self, user: dict[str, Any]) -> ChatState:
        """The user's private chat with the bot, opened (as by /start) if needed."""
        with self.lock:
            self.remember_user(user)
            state = self.chats.get(user["id"])
            if state is None:
                return self.add_chat(private_chat_object(user))
            state.started = True
            return state

    def find_chat(self, chat_id: int | str) -> ChatState:
        """Look a chat up by id or @username; 400 ``chat not found`` otherwise."""
        with self.lock:
            if isinstance(chat_id, str):
                if not chat_id.startswith("@"):
                    raise bad_request("chat not found")
                found = self.usernames.get(chat_id[1:].lower())
                if found is None:
                    raise bad_request("chat not found")
                chat_id = found
            state = self.chats.get(chat_id)
            if state is None:
                if chat_id in self.users:
                    raise forbidden("bot can't initiate conversation with a user")
                raise bad_request("chat not found")
            return state

    def chat_for(self, chat_id: int | str, access: str) -> ChatState:
        """``find_chat`` plus the server's membership gate (see ``members.check_access``)."""
        with self.lock:
            state = self.find_chat(chat_id)
            check_access(state, self.bot_member(state), access)
            return state

    def chat_for_sending(self, chat_id: int | str) -> ChatState:
        state = self.find_chat(chat_id)
        if state.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": state.migrated_to},
            )
        if state.type == "private":
            if state.blocked:
                raise forbidden("bot was blocked by the user")
            if not state.started:
                raise forbidden("bot can't initiate conversation with a user")
            return state
        bot = self.bot_member(state)
        check_access(state, bot, "write")
        check_can_send(state, bot)
        return state

    def find_message(self, state: ChatState, message_id: int) -> StoredMessage | None:
        message = state.by_id.get(message_id)
        return None if message is None or message.deleted else message

    def api_message(self, state: ChatState, message: StoredMessage) -> dict[str, Any]:
        """Telegram's Message object, with the replied-to message one level deep.

        A message in a forum topic that replies to nothing carries the topic's creation
        message as ``reply_to_message``, as on Telegram.
        """
        reply_to = None
        replied_id = message.reply_to_message_id
        if (
            replied_id is None
            and message.is_topic_message
            and message.message_thread_id != message.message_id
        ):
            replied_id = message.message_thread_id
        if replied_id is not None:
            replied = state.by_id.get(replied_id)
            if replied is not None:
                reply_to = replied.to_api(state.chat)
        return message.to_api(state.chat, reply_to)

    # -- updates -------------------------------------------------------------------------

    def wants(self, update_type: str) -> bool:
        if self.allowed_updates:
            return update_type in self.allowed_updates
        return update_type not in DEFAULT_EXCLUDED_UPDATES

    def enqueue(self, update_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Create an update; it is queued only if the bot's allowed_updates let it through."""
        with self.lock:
            update = {"update_id": self.next_update_id, update_type: payload}
            self.next_update_id += 1
            if self.wants(update_type):
                self.updates.append(update)
                self.encoded[update["update_id"]] = (update, json.dumps(update))
        self.signal.notify()
        return update

    def updates_body(self, batch: list[dict[str, Any]]) -> bytes:
        """getUpdates' answer, byte for byte what ``json.dumps`` makes of the envelope, from the
        encodings made when the updates were queued (an update is never changed once queued;
        one that is not the object queued, as a test may put there, is encoded now)."""
        parts = []
        for update in batch:
            cached = self.encoded.get(update["update_id"])
            parts.append(cached[1] if cached is not None and cached[0] is update else json.dumps(update))
        return ('{"ok": true, "result": [' + ", ".join(parts) + "]}").encode()

    def confirm(self, offset: int) -> None:
        """getUpdates ``offset``: forget updates below it (negative: keep only the last -N)."""
        with self.lock:
            if offset > 0:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            elif offset < 0:
                self.updates = self.updates[offset:]
            if offset and len(self.encoded) > len(self.updates):
                kept = {u["update_id"] for u in self.updates}
                self.encoded = {k: v for k, v in self.encoded.items() if k in kept}

    def begin_poll(self, reason: str = "getUpdates") -> Poll:
        with self.lock:
            if self.active_poll is not None:
                self.active_poll.superseded_by = reason
            poll = self.active_poll = Poll()
        self.signal.notify()
        return poll

    def end_poll(self, poll: Poll) -> None:
        with self.lock:
            if self.active_poll is poll:
                self.active_poll = None

    def supersede_poll(self, reason: str) -> None:
        with self.lock:
            if self.active_poll is not None:
                self.active_poll.superseded_by = reason
                self.active_poll = None
        self.signal.notify()

    # -- files ---------------------------------------------------------------------------

    def add_file(
        self,
        data: bytes | None,
        file_name: str | None,
        mime_type: str | None,
        file_size: int | None = None,
    ) -> StoredFile:
        """Store a new file under fresh ids shaped like Telegram's document ids."""
        with self.lock:
            self._next_file += 1
            number = self._next_file
            stored = StoredFile(
                file_id=f"BQACAgIAAxkBAAIB{number:08X}ZW11bGF0b3I",
                file_unique_id=f"AgADBQ{number:06d}",
                file_size=len(data) if data is not None else int(file_size or 0),
                data=data,
                file_name=file_name,
                mime_type=mime_type,
            )
            self.files[stored.file_id] = stored
            return stored

    def file_path_for(self, stored: StoredFile) -> str:
        """The file's download path, given out once (``documents/file_N.ext`` as on Telegram)."""
        with self.lock:
            if stored.file_path is None:
                extension = (stored.file_name or "").rpartition(".")[2]
                suffix = f".{extension}" if extension.isalnum() and len(extension) <= 8 else ""
                stored.file_path = f"documents/file_{len(self.file_paths)}{suffix}"
                self.file_paths[stored.file_path] = stored
            return stored.file_path

    # -- callback queries ----------------------------------------------------------------

    def new_callback_query_id(self) -> str:
        with self.lock:
            self._next_query += 1
            return str(4_730_000_000_000_000_000 + self._next_query)
