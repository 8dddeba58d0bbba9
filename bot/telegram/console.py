"""`python -m bot console`: chat with the bot in a terminal, no token needed.

The very same Application and handlers run; only the transport differs. `LocalBotApi` is a
`BaseRequest` that answers the Bot API calls in-process, and typed lines become updates fed
to `Application.process_update`. Buttons appear as numbered choices: type the number (a copy
button prints what it would put on the clipboard). A quote is shown with a bar (│), a folded
one — Telegram's expandable blockquote — with a dotted bar (┊) and a note that it opens on a
tap; a card's link preview is a 🔗 line under it.

The console is a sandbox with the real delivery: the sender and corrector run as in the bot,
so what they send to the console user (a new briefing on a subscribed topic, a digest, a
correction) appears as it happens, marked as a delivery. Files the bot sends (`/export`) are
written to a folder and their paths printed; `/upload PATH` sends a local file as a Telegram
document, which the bot downloads through getFile like any other.
"""

from __future__ import annotations

import asyncio
import contextvars
import html
import itertools
import json
import mimetypes
import re
import sys
import time
from pathlib import Path
from urllib.parse import unquote
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.presentation.texts import t
from bot.telegram.startup import on_startup, on_stopping, stop_application

CONSOLE_TOKEN = "1:console-local-transport-no-network"
BOT_USER = {"id": 1, "is_bot": True, "first_name": "Briefing", "username": "briefing_console_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


CONSOLE_USER_ID = 1001
MAX_DOWNLOAD = 20 * 1024 * 1024  # what getFile serves on Telegram's own API
# True while the console is handling what the user typed: a message sent outside it is the
# sender's or the corrector's work (a delivery), not a reply
_replying: contextvars.ContextVar[bool] = contextvars.ContextVar("console_replying", default=False)


class ConsoleRefusal(Exception):
    """A call Telegram would refuse (400); the message is Telegram's description."""


@dataclass
class LocalBotApi(BaseRequest):
    """The Bot API methods a session uses, answered in memory; files the bot sends are written
    to `files_dir`, files the user uploads are served from their local paths."""

    output: TextIO = field(default_factory=lambda: sys.stdout)
    color: bool = False
    files_dir: Path | None = None
    # (message_id, label, callback data), or (message_id, label, None, text a copy button copies)
    buttons: list[tuple] = field(default_factory=list)
    lang: str = "ru"
    uploads: dict[str, Path] = field(default_factory=dict)  # file_id -> the local file
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download of what getFile answered
            return self._download(url)
        name = url.rsplit("/", 1)[-1]
        params = {k: json.loads(v) if v.startswith(("{", "[")) else v
                  for k, v in (request_data.json_parameters if request_data else {}).items()}
        if name in ("sendDocument", "sendPhoto") and request_data is not None:
            params["files"] = {key: value for key, value in (request_data.multipart_data or {}).items()}
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: console does not support {name}"}
            return 400, json.dumps(body).encode()
        try:
            result = handler(params)
        except ConsoleRefusal as exc:
            return 400, json.dumps({"ok": False, "error_code": 400, "description": str(exc)}).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- Bot API methods -----------------------------------------------------------------

    def _api_getMe(self, params: dict) -> dict:
        return BOT_USER

    def _api_setMyCommands(self, params: dict) -> bool:
        return True

    def _api_answerCallbackQuery(self, params: dict) -> bool:
        if params.get("text"):
            self._print(f"  ({params['text']})")
        return True

    def _api_getFile(self, params: dict) -> dict:
        file_id = str(params.get("file_id", ""))
        path = self.uploads.get(file_id)
        if path is None or not path.is_file():
            raise ConsoleRefusal("Bad Request: invalid file_id")
        size = path.stat().st_size
        if size > MAX_DOWNLOAD:
            raise ConsoleRefusal("Bad Request: file is too big")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": size,
                "file_path": f"documents/{file_id}/{path.name}"}

    def _download(self, url: str) -> tuple[int, bytes]:
        file_path = unquote(url).split(CONSOLE_TOKEN + "/", 1)[-1]
        parts = file_path.split("/")
        path = self.uploads.get(parts[1]) if len(parts) == 3 and parts[0] == "documents" else None
        if path is None or not path.is_file():
            return 404, b"Not Found"
        return 200, path.read_bytes()

    def _api_sendMessage(self, params: dict) -> dict:
        message_id = next(self._message_ids)
        if not _replying.get():
            self._print("\n📬 ── delivery ──")
        self._show(message_id, params)
        return {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params.get("text", "")}

    def _api_sendDocument(self, params: dict) -> dict:
        """`/export` in the console: the file is written to `files_dir` and its path shown."""
        message_id = next(self._message_ids)
        for name, content, *_mime in params.get("files", {}).values():
            where = ""
            if self.files_dir is not None:
                self.files_dir.mkdir(parents=True, exist_ok=True)
                target = self.files_dir / Path(str(name)).name
                target.write_bytes(content)
                where = f" → saved to {target}"
            self._print(f"\n[file {name}, {len(content):,} bytes{where}] {params.get('caption', '')}")
        return {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": int(params["chat_id"]), "type": "private"}}

    def _api_sendPhoto(self, params: dict) -> dict:
        """A chart: the console says what picture would arrive, and shows its caption."""
        message_id = next(self._message_ids)
        for name, content, *_mime in params.get("files", {}).values():
            self._print(f"\n[picture {name}, {len(content):,} bytes]")
        self._show(message_id, {**params, "text": params.get("caption", "")})
        photo = [{"file_id": f"console-photo-{message_id}", "file_unique_id": f"p{message_id}", "width": 1080, "height": 600}]
        return {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": int(params["chat_id"]), "type": "private"}, "photo": photo,
                "caption": params.get("caption", "")}

    def _api_editMessageText(self, params: dict) -> dict:
        """A button that navigates replaces the message it is under: the console shows the new one."""
        message_id = int(params["message_id"])
        self._print("\n(edited)" if _replying.get() else "\n📬 ── delivery corrected (edited in place) ──")
        self._show(message_id, params)
        return {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params.get("text", "")}

    def _api_editMessageReplyMarkup(self, params: dict) -> dict:
        """Subscription buttons update in place; the console shows the new set."""
        message_id = int(params["message_id"])
        self._show_buttons(message_id, params)
        return {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": "…"}

    # --- showing messages ----------------------------------------------------------------

    def _print(self, text: str) -> None:
        print(text, file=self.output, flush=True)

    def _show(self, message_id: int, params: dict) -> None:
        self._print("")
        self._print(terminal_text(params.get("text", ""), self.color, self.lang))
        preview = params.get("link_preview_options") or {}
        if preview.get("url") and not preview.get("is_disabled"):
            self._print(f"🔗 {preview['url']}")
        self._show_buttons(message_id, params)

    def _show_buttons(self, message_id: int, params: dict) -> None:
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard") or []
        if keyboard:
            self.buttons = []
            labels = []
            for row in keyboard:
                for button in row:
                    if "callback_data" in button:
                        self.buttons.append((message_id, button["text"], button["callback_data"]))
                        labels.append(f"[{len(self.buttons)}] {button['text']}")
                    elif "copy_text" in button:
                        self.buttons.append((message_id, button["text"], None, button["copy_text"]["text"]))
                        labels.append(f"[{len(self.buttons)}] {button['text']}")
            self._print("  ".join(labels))


def terminal_text(markup: str, color: bool, lang: str = "ru") -> str:
    """Telegram HTML as terminal text: bold and italics as ANSI (when a terminal), quotes with a
    bar, a folded (expandable) quote with a dotted bar and a note that it opens on a tap."""
    bold, italic, reset = ("\033[1m", "\033[3m", "\033[0m") if color else ("", "", "")

    def quote(match: re.Match) -> str:
        folded = "expandable" in match.group(1)
        bar = "┊" if folded else "│"
        lines = [f"  {bar} {line}" for line in match.group(2).split("\n")]
        if folded:
            lines.append(f"  {bar} ({html.unescape(t(lang, 'console_folded'))})")
        return "\n".join(lines)

    text = re.sub(r"<blockquote([^>]*)>(.*?)</blockquote>", quote, markup, flags=re.S)
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', r"\2 (\1)", text, flags=re.S)
    text = re.sub(r"</?(b|strong)>", lambda m: reset if m.group().startswith("</") else bold, text)
    text = re.sub(r"</?(i|em)>", lambda m: reset if m.group().startswith("</") else italic, text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


Build = Callable[[str, BaseRequest], Application]  # (token, transport) -> the bot's Application


class ConsoleChat:
    """A private chat between one local user and the bot. `build` is the composition root's
    `build_application` with the services bound: the very Application users get."""

    def __init__(self, build: Build, *, lang: str = "ru", output: TextIO | None = None,
                 color: bool | None = None, files_dir: Path | None = None) -> None:
        self.output = output or sys.stdout
        use_color = self.output.isatty() if color is None else color
        self.api = LocalBotApi(output=self.output, color=use_color, files_dir=files_dir, lang=lang)
        self.application = build(CONSOLE_TOKEN, self.api)
        self.lang = lang
        self.user = {"id": CONSOLE_USER_ID, "is_bot": False, "first_name": "You", "language_code": lang}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    async def send(self, line: str) -> None:
        """A typed line: a number presses that button, `/upload PATH` sends that file as a
        document, anything else is a message."""
        line = line.strip()
        if not line:
            return
        upload = re.fullmatch(r"/upload(?:\s+(.+))?", line)
        if upload and re.match(r"(?i)\s*<?https?://", upload.group(1) or ""):
            upload = None  # `/upload URL` is the bot's own command: it reads the page
        if upload:
            update = self._document(upload.group(1))
            if update is None:
                return
        elif line.isdigit() and 1 <= int(line) <= len(self.api.buttons):
            message_id, _label, data, *copied = self.api.buttons[int(line) - 1]
            if data is None:  # a copy button: the client copies, the bot hears nothing
                self.api._print(html.unescape(t(self.lang, "console_copied", text=copied[0])))
                return
            update = {"update_id": next(self._update_ids), "callback_query": {
                "id": str(next(self._update_ids)), "from": self.user, "chat_instance": "console",
                "data": data, "message": {"message_id": message_id, "date": int(time.time()),
                                          "chat": self._chat(), "text": "…", "from": BOT_USER}}}
        else:
            message = {"message_id": next(self._message_ids), "date": int(time.time()),
                       "chat": self._chat(), "from": self.user, "text": line}
            command = re.match(r"/\S+", line)
            if command:
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(command.group().encode("utf-16-le")) // 2}]
            update = {"update_id": next(self._update_ids), "message": message}
        token = _replying.set(True)
        try:
            await self.application.process_update(Update.de_json(update, self.application.bot))
        finally:
            _replying.reset(token)

    def _document(self, given: str | None) -> dict[str, Any] | None:
        """`/upload PATH`: the update Telegram sends when the user sends that file as a document."""
        if not given:
            self.api._print(html.unescape(t(self.lang, "console_upload_usage")))
            return None
        path = Path(given.strip().strip("'\"")).expanduser()
        if not path.is_file():
            self.api._print(html.unescape(t(self.lang, "console_no_file", path=path)))
            return None
        file_id = f"console-upload-{next(self._file_ids)}"
        self.api.uploads[file_id] = path.resolve()
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": path.name,
                    "file_size": path.stat().st_size,
                    "mime_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"}
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": self._chat(), "from": self.user, "document": document}
        return {"update_id": next(self._update_ids), "message": message}

    async def settle(self, bound: float = 10.0) -> None:
        """Let deliveries that are due now go out before the next line (piped input reads on at
        once, and the transcript should show a delivery where it happened); bounded."""
        couriers = self.application.bot_data.couriers
        if couriers is None or not couriers.running:
            return
        outbox = couriers.delivery.outbox
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            if not couriers.sender.in_flight and not await outbox.due(0, 1):
                return

    def _chat(self) -> dict[str, Any]:
        return {"id": self.user["id"], "type": "private", "first_name": self.user["first_name"]}


async def run_console(build: Build, *, lang: str = "ru", input_stream: TextIO | None = None,
                      deliver: bool = True, files_dir: Path | None = None, banner: str = "") -> None:
    """The chat until EOF or /quit. `deliver`: run the sender and corrector (a sandbox
    database); `files_dir`: where files the bot sends are saved; `banner`: what database this is."""
    chat = ConsoleChat(build, lang=lang, files_dir=files_dir)
    source = input_stream or sys.stdin
    interactive = source.isatty()
    print("Локальный чат с ботом (без Telegram). Команды: /start, /help, /energy …; "
          "число — нажать кнопку; /upload ПУТЬ — отправить файл; выход — Ctrl+D или /quit.",
          file=chat.output, flush=True)
    if banner:
        print(banner, file=chat.output, flush=True)
    async with chat.application:
        await on_startup(chat.application, deliver=deliver)
        # started as the runner starts it: its JobQueue runs the digest clock and pruning (without
        # it a digest set for a time never came); updates still come from the typed lines
        await chat.application.start()
        try:
            await chat.send("/start")
            while True:
                if interactive:
                    print("\n> ", end="", file=chat.output, flush=True)
                line = await asyncio.to_thread(source.readline)
                if not line or line.strip() in {"/quit", "/exit"}:
                    break
                if not interactive:
                    print(f"\n> {line.strip()}", file=chat.output, flush=True)
                await chat.send(line)
                if not interactive:
                    await chat.settle()
        finally:
            await on_stopping(chat.application)
            await stop_application(chat.application)
