"""What tests do as a Telegram user would, through the emulator: shared by every test module
(test modules never import one another)."""

from __future__ import annotations

from contextlib import asynccontextmanager


async def ask(emulator, user, text: str, chat=None, count: int = 1):
    emulator.send_text(user, text, chat=chat)
    chat_id = chat["id"] if chat else user["id"]
    return await emulator.wait_for_messages(chat_id, count=count)


def buttons(message) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def button_with(message, prefix: str) -> str:
    return next(b["callback_data"] for b in buttons(message) if b.get("callback_data", "").startswith(prefix))


async def press(emulator, user, message, data: str, count: int = 1):
    emulator.press_button(user, message, data, check=True)
    return await emulator.wait_for_messages(user["id"], count=count)


def free_port() -> int:
    """A TCP port nothing listens on right now, for a server a test starts."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def database_of(settings):
    """A connection to the bot's database, whichever backend the settings name (SQLite's file
    or PostgreSQL's DATABASE_URL), for a test that changes it while the bot is down."""
    from bot.app import storage_backend

    db = await storage_backend(settings).connect()
    try:
        yield db
    finally:
        await db.close()
def desk_launch_data(user_id: int, *, age: int = 10, token: str | None = None) -> str:
    """Mini App launch data for the desk, signed as Telegram signs it, `age` seconds old."""
    import json
    import time
    from urllib.parse import urlencode

    from bot.desk import auth
    from tests.conftest import TEST_TOKEN

    fields = {"auth_date": str(int(time.time()) - age),
              "user": json.dumps({"id": user_id, "first_name": "Ed", "language_code": "en"})}
    fields["hash"] = auth.sign(fields, token or TEST_TOKEN)
    return urlencode(fields)
