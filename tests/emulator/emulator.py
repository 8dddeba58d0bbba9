"""``BotApiEmulator``: start/stop the fake Bot API and drive it from tests.

The test-side half of the emulator: lifecycle (``start``/``stop``/``async with``), building
users, groups and channels (``make_user``, ``make_group``, ``make_channel``, ``set_member``,
``create_forum_topic_thread``), producing updates as Telegram clients would (``send_text``
with ``as_chat``/``thread_id``, ``send_document``, ``send_channel_post``,
``forward_channel_post``, ``press_button``, ``share_chat``, ``send_inline_query``,
``migrate_group``), the bot's own standing with its ``my_chat_member`` updates (``add_bot``,
``remove_bot``, ``block_bot``), reading what the bot did (``messages_in``, ``document_bytes``,
``calls``, ``errors``, ``callback_answers``, ``commands``), waiting for it
(``wait_for_messages``, ``wait_for``) and fault injection (``fail_next``). Update-producing
helpers are plain sync methods that are safe to call from any thread; test misuse (something
Telegram would not let a user do) raises AssertionError.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import copy
import time
from typing import Any, Callable

from aiohttp import web

from . import chat_sharing, incoming, lifecycle, methods_inline
from .errors import DEFAULT_DESCRIPTIONS, ApiError
from .limits import FloodLimits
from .members import Member, rights_for
from .models import ApiCall
from .server import ApiServer
from .spec import CANONICAL
from .state import World

DEFAULT_TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


class BotApiEmulator:
    """A Telegram Bot API server on 127.0.0.1 for one bot token."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "briefing_test_bot",
        *,
        bot_first_name: str = "Briefing Test Bot",
        flood_limits: bool | FloodLimits = True,
        flood_scale: float = 1.0,
        strict_ampersand: bool = True,
        group_privacy: bool = False,
        first_update_id: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
        local_server: bool = False,
    ) -> None:
        """
        flood_limits: True (default limits), False (off) or a ``FloodLimits`` to tune them;
            ``flood_scale`` multiplies every rate/capacity (benchmarks: e.g. 10).
        strict_ampersand: refuse an unescaped "&" in HTML (the docs' rule; the real server is
            lenient) - see ``html_entities``.
        group_privacy: deliver only commands, mentions and replies from groups, like a bot
            with privacy mode on (off by default: the bot sees every group message).
        local_server: behave as `telegram-bot-api --local` does for webhooks: plain http://,
            any port and local addresses are accepted (Telegram's own API refuses them).
        """
        self.token = token
        bot_id = int(token.split(":", 1)[0])
        if isinstance(flood_limits, FloodLimits):
            limits = flood_limits
            if flood_scale != 1.0:
                limits = dataclasses.replace(limits, scale=flood_scale)
        else:
            limits = FloodLimits(enabled=flood_limits, scale=flood_scale)
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": not group_privacy,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.world = World(
            bot=self.bot_user,
            flood=limits,
            strict_ampersand=strict_ampersand,
            group_privacy=group_privacy,
            first_update_id=first_update_id,
        )
        self.world.local_server = local_server
        self._server = ApiServer(self.world, token)
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self._seen: dict[int, int] = (
            {}
        )  # chat id -> bot messages already returned by wait_for_messages
        self.base_url = ""
        self.base_file_url = ""

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> BotApiEmulator:
        self.world.signal.bind(asyncio.get_running_loop())
        self.world.closing = False
        self._runner = web.AppRunner(
            self._server.build_app(),
            handler_cancellation=True,  # a client hanging up cancels its held getUpdates
            shutdown_timeout=1.0,
            access_log=None,
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}/bot"
        self.base_file_url = f"http://{host}:{port}/file/bot"
        return self

    async def stop(self) -> None:
        self.world.closing = True
        self.world.signal.notify()  # release held getUpdates so shutdown is quick
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.world.signal.bind(None)

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- the world the bot lives in ------------------------------------------------------

    def make_user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        is_premium: bool | None = None,
    ) -> dict[str, Any]:
        """A Telegram ``User``. Their private chat opens when they first write to the bot."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username,
                    "language_code": language_code, "is_premium": is_premium}  # fmt: skip
        user.update({name: value for name, value in optional.items() if value is not None})
        self.world.remember_user(user)
        return copy.deepcopy(user)

    def make_group(
        self,
        chat_id: int,
        title: str = "Group",
        kind: str = "supergroup",
        *,
        username: str | None = None,
        is_forum: bool | None = None,
        bot_is_admin: bool = False,
    ) -> dict[str, Any]:
        """A group or supergroup the bot is a member of (an administrator with Telegram's
        default rights if ``bot_is_admin``); returns its ``Chat``. No update is queued."""
        if kind not in ("group", "supergroup"):
            raise ValueError(f"kind must be 'group' or 'supergroup', not {kind!r}")
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        if username:
            chat["username"] = username
        if is_forum is not None:
            chat["is_forum"] = is_forum
        bot = Member("administrator", rights=rights_for(kind)) if bot_is_admin else Member("member")
        self.world.add_chat(chat, bot=bot)
        return copy.deepcopy(chat)

    def make_channel(
        self,
        chat_id: int,
        title: str = "Channel",
        username: str | None = None,
        *,
        bot_can_post: bool = True,
    ) -> dict[str, Any]:
        """A channel where the bot is an administrator, allowed to post unless
        ``bot_can_post=False``; returns its ``Chat``. No update is queued."""
        chat: dict[str, Any] = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        rights = rights_for("channel", {"can_post_messages": bot_can_post})
        self.world.add_chat(chat, bot=Member("administrator", rights=rights))
        return copy.deepcopy(chat)

    def set_member(
        self, chat: dict[str, Any], user: dict[str, Any], status: str, **rights: Any
    ) -> None:
        """Set ``user``'s status in a group or channel: "creator", "administrator", "member",
        "restricted" (supergroups), "left" or "kicked". No update is queued.

        Keywords: creator ``is_anonymous``, ``custom_title``; administrator any
        ChatAdministratorRights field (``is_anonymous``, ``can_post_messages``, ...; unnamed
        ones take Telegram's promotion defaults: all but ``can_promote_members`` and
        ``is_anonymous``), ``custom_title``, ``can_be_edited``; restricted the
        ChatMemberRestricted permissions (default False), ``is_member``, ``until_date``;
        kicked ``until_date`` (default 0: forever); member ``until_date``. ValueError otherwise.
        """
        lifecycle.set_member(self.world, chat["id"], user, status, rights)

    def create_forum_topic_thread(
        self, chat: dict[str, Any], name: str, *, by_user: dict[str, Any] | None = None
    ) -> int:
        """Open a topic in a forum supergroup; returns its message_thread_id (the id of the
        ``forum_topic_created`` service message, which is queued as a ``message`` update)."""
        return lifecycle.create_topic(self.world, chat["id"], name, by_user)

    # -- the bot's own standing ------------------------------------------------------------

    def add_bot(
        self,
        chat: dict[str, Any],
        by_user: dict[str, Any],
        *,
        as_admin: bool = False,
        can_post_messages: bool = True,
        notify: bool = True,
    ) -> dict[str, Any] | None:
        """``by_user`` adds the bot to ``chat`` (a Chat dict as make_group/make_channel return;
        a chat the emulator does not know yet is created, ``by_user`` its creator).

        The bot becomes a member, or an administrator with default rights if ``as_admin``; in
        a channel always an administrator, posting only if ``can_post_messages``. Queues (and
        returns) the ``my_chat_member`` update unless ``notify=False``.
        """
        return lifecycle.add_bot(
            self.world, chat, by_user, as_admin, can_post_messages, notify
        )

    def remove_bot(
        self,
        chat: dict[str, Any],
        by_user: dict[str, Any] | None = None,
        *,
        kicked: bool = False,
        notify: bool = True,
    ) -> dict[str, Any] | None:
        """The bot leaves (``kicked=True``: is banned from) a group or channel; ``by_user``
        defaults to the chat's creator, else a generic administrator. Queues (and returns) the
        ``my_chat_member`` update unless ``notify=False``. Afterwards the bot gets no updates
        from the chat and the Bot API refuses it there (see ``members.check_access``)."""
        return lifecycle.remove_bot(self.world, chat["id"], by_user, kicked, notify)

    def block_bot(
        self, user: dict[str, Any], blocked: bool = True, *, notify: bool = True
    ) -> dict[str, Any] | None:
        """The user blocks (or unblocks) the bot: sending to them becomes 403. Queues (and
        returns) the private chat's ``my_chat_member`` update (member -> kicked, or back)
        unless ``notify=False``; ``None`` when nothing changed."""
        return lifecycle.block_bot(self.world, user, blocked, notify)

    async def post_to_webhook(self, update: dict[str, Any]) -> int:
        """POST ``update`` to the webhook the bot registered, with its secret header, as the Bot
        API does in webhook mode; returns the HTTP status the bot answered."""
        import aiohttp

        with self.world.lock:
            webhook = dict(self.world.webhook)
        if not webhook["url"]:
            raise AssertionError("no webhook is set")
        headers = {}
        if webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
        async with aiohttp.ClientSession() as http:
            async with http.post(webhook["url"], json=update, headers=headers) as response:
                return response.status

    # -- things users do -----------------------------------------------------------------

    def send_text(
        self,
        user: dict[str, Any],
        text: str,
        chat: dict[str, Any] | None = None,
        *,
        reply_to: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None,
        as_chat: bool = False,
        thread_id: int | None = None,
    ) -> dict[str, Any] | None:
        """The user sends ``text`` (to their private chat, or to ``chat``); returns the Update.

        ``bot_command`` entities are added as a Telegram client would (pass ``entities`` to
        override). In a group the user becomes a member if they were not one. ``as_chat``: an
        anonymous administrator posts as the group (``from`` GroupAnonymousBot, ``sender_chat``
        the group). ``thread_id``: the message goes to that forum topic (a reply goes to the
        topic of the message it answers). Returns ``None`` when the bot does not see the
        message: group privacy mode, or the bot is not in the chat.
        """
        chat_id = None if chat is None else chat["id"]
        reply_id = None if reply_to is None else reply_to["message_id"]
        return incoming.user_message(
            self.world, user, text, chat_id, reply_id, entities,
            as_chat=as_chat, thread_id=thread_id,
        )  # fmt: skip

    def send_document(
        self,
        user: dict[str, Any],
        file_name: str,
        content: bytes | None,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
        thread_id: int | None = None,
        file_size: int | None = None,
        size_shown: bool = True,
    ) -> dict[str, Any] | None:
        """The user sends the file ``file_name`` with ``content`` as a document (to their
        private chat, or to ``chat``); returns the Update, ``None`` when the bot does not see it
        (as for ``send_text``).

        The message has ``document`` (file_id, file_unique_id, file_name, mime_type - guessed
        from the name unless given, see ``files`` - and file_size) and, if given, ``caption``
        with ``bot_command`` caption_entities. The bot can getFile and download the bytes.
        ``content=None`` with ``file_size`` over 20 MB declares a file the bot cannot download
        (getFile: ``file is too big``) without building it; nothing is stored.
        ``size_shown=False`` leaves ``file_size`` out of the Document (it is optional).
        """
        chat_id = None if chat is None else chat["id"]
        reply_id = None if reply_to is None else reply_to["message_id"]
        return incoming.user_document(
            self.world, user, file_name, content, chat_id,
            mime_type=mime_type, caption=caption, file_size=file_size,
            reply_to_message_id=reply_id, thread_id=thread_id, size_shown=size_shown,
        )  # fmt: skip

    def send_channel_post(self, channel: dict[str, Any], text: str) -> dict[str, Any] | None:
        """Someone posts ``text`` in ``channel``; returns the ``channel_post`` Update (``None``
        when the bot is not in the channel)."""
        return incoming.channel_post(self.world, channel["id"], text)

    def forward_channel_post(
        self,
        user: dict[str, Any],
        channel: dict[str, Any],
        text: str,
        *,
        author_signature: str | None = None,
    ) -> dict[str, Any]:
        """The user forwards the post of ``channel`` with ``text`` to the bot (the post is
        added to the channel first if it has none); returns the private ``message`` Update,
        whose ``forward_origin`` is a MessageOriginChannel."""
        return incoming.forward_channel_post(
            self.world, user, channel["id"], text, author_signature
        )

    def share_chat(
        self, user: dict[str, Any], request_id: int, chat: dict[str, Any], *, check: bool = True
    ) -> dict[str, Any]:
        """The user taps the ``request_chat`` button ``request_id`` of the bot's reply keyboard
        and picks ``chat``; returns the private ``message`` Update with ``chat_shared``.

        With ``check``, AssertionError unless the user's current keyboard has that button and
        the client would offer that chat (type, forum, username, ownership, the user's rights,
        the bot's membership). If the button asks for ``bot_administrator_rights`` the bot
        lacks, the bot is promoted and its ``my_chat_member`` update is queued first.
        """
        return chat_sharing.share_chat(self.world, user, request_id, chat["id"], check)

    def press_button(
        self, user: dict[str, Any], message: dict[str, Any], data: str, *, check: bool = False
    ) -> str:
        """The user presses the inline button with callback ``data`` under a bot message.

        ``message`` may be a ``messages_in`` entry or a Telegram Message dict. Like Telegram,
        the emulator does not require ``data`` to be on one of the message's buttons (a
        modified client can send anything, so bots must cope with forged data); pass
        ``check=True`` to assert that the *current* keyboard has such a button.
        Returns the callback query id.
        """
        chat_id = message["chat_id"] if "chat_id" in message else message["chat"]["id"]
        return incoming.button_press(self.world, user, chat_id, message["message_id"], data, check)

    def react(self, user: dict[str, Any], message: dict[str, Any], *emoji: str) -> dict[str, Any]:
        """The user reacts to a message (no emoji: takes their reaction back)."""
        chat_id = message["chat_id"] if "chat_id" in message else message["chat"]["id"]
        return incoming.reaction(self.world, user, chat_id, message["message_id"], list(emoji))

    def send_inline_query(self, user: dict[str, Any], query: str, offset: str = "") -> str:
        """The user types ``@bot query`` in some chat; returns the inline query id."""
        return methods_inline.new_inline_query(self.world, user, query, offset)

    @property
    def inline_answers(self) -> dict[str, dict[str, Any]]:
        """answerInlineQuery calls Telegram accepted, by inline query id."""
        return self.world.inline_answers

    def migrate_group(self, group: dict[str, Any], new_chat_id: int) -> dict[str, Any]:
        """Upgrade a basic group to a supergroup; sending to the old id then answers 400 with
        ``parameters.migrate_to_chat_id``. Returns the new supergroup's ``Chat``."""
        return incoming.migrate_group(self.world, group["id"], new_chat_id)

    def enqueue_update(self, update_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue any other kind of update as given, without changing the emulator's state
        (prefer ``add_bot``/``remove_bot``/``block_bot`` for ``my_chat_member``)."""
        return self.world.enqueue(update_type, copy.deepcopy(payload))

    # -- what the bot did ----------------------------------------------------------------

    def messages_in(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to ``chat_id``, in order, current state plus ``edits``.

        Each has ``message_id``, ``text`` (visible), ``entities``, ``html`` (raw text as
        sent), ``parse_mode``, ``reply_markup``, ``link_preview_options`` (as the bot gave
        them), ``link_preview`` (the address whose preview the user sees, or None),
        ``reply_to_message_id``, ``message_thread_id`` (forum topic or None), ``edits``
        (earlier versions) and ``deleted``. A document message
        has ``text`` "" and ``entities`` [], its ``document`` (file_id, file_unique_id,
        file_name, mime_type, file_size), ``caption`` ("" when none) and ``caption_entities``
        (``html`` is then the raw caption); other messages have ``document`` and ``caption``
        None.
        """
        with self.world.lock:
            state = self.world.chats.get(chat_id)
            if state is None:
                return []
            return [m.snapshot() for m in state.messages if m.sender == "bot"]

    def document_bytes(self, file_id: str) -> bytes:
        """The content of a file the emulator knows (e.g. a document the bot sent);
        AssertionError for an unknown file_id or a file declared only by its size."""
        with self.world.lock:
            stored = self.world.files.get(file_id)
        if stored is None or stored.data is None:
            raise AssertionError(f"no stored content for file_id {file_id!r}")
        return stored.data

    @property
    def calls(self) -> list[ApiCall]:
        """Every API call so far, in arrival order."""
        return self.world.calls

    @property
    def errors(self) -> list[ApiCall]:
        """Calls Telegram would have refused; ``fail_next`` faults and hung-up polls excluded."""
        with self.world.lock:
            return [call for call in self.world.calls if call.refused]

    @property
    def paid_messages(self) -> int:
        """Messages accepted with ``allow_paid_broadcast``: what Telegram would charge for."""
        return self.world.paid_messages

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        return self.world.callback_answers

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        return self.world.commands

    @property
    def chat_actions(self) -> list[dict[str, Any]]:
        return self.world.chat_actions

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet."""
        with self.world.lock:
            return copy.deepcopy(self.world.updates)

    def calls_to(self, method: str) -> list[ApiCall]:
        canonical = CANONICAL.get(method.lower(), method)
        return [call for call in self.calls if call.method == canonical]

    # -- waiting -------------------------------------------------------------------------

    async def wait_for(
        self, condition: Callable[[], Any], timeout: float = 15.0, message: str = ""
    ) -> Any:
        """Wait until ``condition()`` (sync, or returning an awaitable) is truthy; return its
        value. Raises AssertionError with a dump of recent calls on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if inspect.isawaitable(value):
                value = await value
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"condition not met within {timeout}s {message}\n{self.describe()}"
                )
            # state changes wake us at once; the short cap covers conditions on bot-side state
            await self.world.signal.wait(min(remaining, 0.05))

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 15.0
    ) -> list[dict[str, Any]]:
        """Wait for ``count`` new bot messages in ``chat_id`` since the previous call; return
        all new ones (possibly more than ``count``)."""
        seen = self._seen.get(chat_id, 0)

        def arrived() -> list[dict[str, Any]] | None:
            fresh = self.messages_in(chat_id)[seen:]
            return fresh if len(fresh) >= count else None

        try:
            fresh = await self.wait_for(arrived, timeout)
        except AssertionError:
            got = len(self.messages_in(chat_id)) - seen
            raise AssertionError(
                f"expected {count} new bot message(s) in chat {chat_id} within {timeout}s, "
                f"got {got}\n{self.describe(chat_id)}"
            ) from None
        self._seen[chat_id] = seen + len(fresh)
        return fresh

    def describe(self, chat_id: int | None = None, last: int = 25) -> str:
        """A human-readable dump for assertion messages."""
        lines = []
        if chat_id is not None:
            lines.append(f"messages in chat {chat_id}:")
            with self.world.lock:
                state = self.world.chats.get(chat_id)
                for m in state.messages if state else []:
                    flags = " (deleted)" if m.deleted else ""
                    if m.document is not None:
                        flags += f" [document {m.document.get('file_name')!r}]"
                    lines.append(f"  {m.sender} #{m.message_id}{flags}: {m.text[:200]!r}")
        lines.append(f"last {last} API calls:")
        for call in self.calls[-last:]:
            outcome = "ok" if call.ok else ("pending" if call.ok is None else
                                            f"{call.error_code} {call.description}")  # fmt: skip
            params = {k: v for k, v in call.params.items() if k not in ("timeout", "offset")}
            lines.append(f"  {call.method} -> {outcome} {str(params)[:200]}")
        if self.errors:
            lines.append(f"errors: {self.errors!r}"[:2000])
        lines.append(f"pending updates: {len(self.world.updates)}")
        return "\n".join(lines)

    # -- fault injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        *,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with this error (not in ``errors``)."""
        canonical = CANONICAL.get(method.lower())
        if canonical is None:
            raise ValueError(f"unknown Bot API method {method!r}")
        if description is None:
            description = DEFAULT_DESCRIPTIONS.get(error_code, "Error")
            if error_code == 429 and retry_after is not None:
                description = f"Too Many Requests: retry after {retry_after}"
            elif migrate_to_chat_id is not None:
                description = "Bad Request: group chat was upgraded to a supergroup chat"
        parameters: dict[str, Any] = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        with self.world.lock:
            for _ in range(times):
                self.world.faults[canonical].append(
                    ApiError(error_code, description, parameters or None)
                )
