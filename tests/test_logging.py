"""The token is a secret: no log line may contain it, whatever the level."""

from __future__ import annotations

import io
import logging

from bot.telegram.logs import RedactTokens, configure_logging
from tests.conftest import TEST_TOKEN


async def test_token_never_appears_in_logs_even_at_debug(bot, emulator) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    try:
        user = emulator.make_user(user_id=7, first_name="Eve", language_code="ru")
        for text in ("/start", "/energy", "/search Росатом", "/nonsense"):
            emulator.send_text(user, text)
        await emulator.wait_for_messages(user["id"], count=4, timeout=10)
        logging.getLogger("telegram.ext").warning("token check %s", bot.bot.token)
    finally:
        logging.getLogger().handlers.clear()
    output = stream.getvalue()
    assert "token check <token>" in output
    assert TEST_TOKEN not in output and TEST_TOKEN.split(":")[1] not in output


def test_redaction_covers_tracebacks() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TEST_TOKEN}/sendMessage")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactTokens().filter(record)
    assert TEST_TOKEN not in record.exc_text and "<token>" in record.exc_text


async def test_one_json_line_per_update_without_message_text(bot, emulator) -> None:
    import json

    stream = io.StringIO()
    configure_logging("INFO", stream=stream, fmt="json")
    try:
        user = emulator.make_user(user_id=8, first_name="Ann", language_code="ru")
        emulator.send_text(user, "/energy")
        emulator.send_text(user, "Росатом секретное слово")
        await emulator.wait_for_messages(user["id"], count=2, timeout=10)
        emulator.fail_next("sendMessage", error_code=500, description="Internal Server Error")
        emulator.send_text(user, "/about")
        (apology,) = await emulator.wait_for_messages(user["id"], count=1, timeout=10)
        await emulator.wait_for(lambda: stream.getvalue().count('"logger": "bot.updates"') >= 3)
    finally:
        logging.getLogger().handlers.clear()
    assert "Попробуйте ещё раз" in apology["text"]  # the user hears about it, without internals
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    updates = [line for line in lines if line["logger"] == "bot.updates"]
    assert [(u["chat_type"], u["command"], u["outcome"]) for u in updates] == [
        ("private", "/energy", "ok"), ("private", "text", "ok"), ("private", "/about", "error"),
    ]
    assert all(isinstance(u["latency_ms"], float) for u in updates)
    assert "секретное" not in stream.getvalue()
    failures = [line for line in lines if line["message"] == "update failed"]
    assert len(failures) == 1 and "exception" in failures[0]  # logged once, with the traceback


def test_redaction_covers_every_token_the_settings_accept() -> None:
    import logging as _logging

    from bot.config import load_settings
    from bot.telegram.logs import RedactTokens

    token = "7:" + "a" * 20  # the shortest token the settings take
    assert load_settings(_env_file=None, bot_token=token).bot_token.get_secret_value() == token
    record = _logging.LogRecord("x", _logging.INFO, __file__, 1, f"calling https://api/bot{token}/getMe", None, None)
    RedactTokens().filter(record)
    assert token not in record.getMessage()
