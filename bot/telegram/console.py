"""`python -m bot console`: chat with the bot in a terminal, no token needed.

The very same Application and handlers run; only the transport differs. `LocalBotApi` is a
`BaseRequest` that answers the Bot API calls in-process, and typed lines become updates fed
to `Application.process_update`. Buttons appear as numbered choices: type the number.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import sys
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.telegram.startup import on_startup

CONSOLE_TOKEN = "1:console-local-transport-no-network"
BOT_USER = {"id": 1, "is_bot": True, "first_name": "Briefing", "username": "briefing_console_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class LocalBotApi(BaseRequest):
    """The few Bot API methods a reader's session uses, answered in memory."""

    output: TextIO = field(default_factory=lambda: sys.stdout)
    color: bool = False
    buttons: list[tuple[int, str, str]] = field(default_factory=list)  # (message_id, label, data)
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
        name = url.rsplit("/", 1)[-1]
        params = {k: json.loads(v) if v.startswith(("{", "[")) else v
                  for k, v in (request_data.json_parameters if request_data else {}).items()}
        if name in ("sendDocument", "sendPhoto") and request_data is not None:
            params["files"] = {key: value for key, value in (request_data.multipart_data or {}).items()}
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: console does not support {name}"}
            return 400, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": handler(params)}).encode()

    # --- Bot API methods -----------------------------------------------------------------

    def _api_getMe(self, params: dict) -> dict:
        return BOT_USER

    def _api_setMyCommands(self, params: dict) -> bool:
        return True

    def _api_answerCallbackQuery(self, params: dict) -> bool:
        if params.get("text"):
            self._print(f"  ({params['text']})")
        return True

    def _api_sendMessage(self, params: dict) -> dict:
        message_id = next(self._message_ids)
        self._show(message_id, params)
        return {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params.get("text", "")}

    def _api_sendDocument(self, params: dict) -> dict:
        """`/export` in the console: say what would arrive as a file."""
        message_id = next(self._message_ids)
        for name, content, *_mime in params.get("files", {}).values():
            self._print(f"\n[file {name}, {len(content):,} bytes] {params.get('caption', '')}")
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
        self._print("\n(edited)")
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
        self._print(terminal_text(params.get("text", ""), self.color))
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
            self._print("  ".join(labels))


def terminal_text(markup: str, color: bool) -> str:
    """Telegram HTML as terminal text: bold and italics as ANSI (when a terminal), quotes with a bar."""
    bold, italic, reset = ("\033[1m", "\033[3m", "\033[0m") if color else ("", "", "")

    def quote(match: re.Match) -> str:
        return "\n".join(f"  │ {line}" for line in match.group(1).split("\n"))

    text = re.sub(r"<blockquote[^>]*>(.*?)</blockquote>", quote, markup, flags=re.S)
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
                 color: bool | None = None) -> None:
        self.output = output or sys.stdout
        use_color = self.output.isatty() if color is None else color
        self.api = LocalBotApi(output=self.output, color=use_color)
        self.application = build(CONSOLE_TOKEN, self.api)
        self.user = {"id": 1001, "is_bot": False, "first_name": "You", "language_code": lang}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    async def send(self, line: str) -> None:
        """A typed line: a number presses that button, anything else is a message."""
        line = line.strip()
        if not line:
            return
        if line.isdigit() and 1 <= int(line) <= len(self.api.buttons):
            message_id, _label, data = self.api.buttons[int(line) - 1]
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
        await self.application.process_update(Update.de_json(update, self.application.bot))

    def _chat(self) -> dict[str, Any]:
        return {"id": self.user["id"], "type": "private", "first_name": self.user["first_name"]}


async def run_console(build: Build, *, lang: str = "ru", input_stream: TextIO | None = None) -> None:
    chat = ConsoleChat(build, lang=lang)
    source = input_stream or sys.stdin
    interactive = source.isatty()
    print("Локальный чат с ботом (без Telegram). Команды: /start, /help, /energy …; "
          "число — нажать кнопку; выход — Ctrl+D или /quit.", file=chat.output, flush=True)
    async with chat.application:
        await on_startup(chat.application, deliver=False)
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
