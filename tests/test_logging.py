"""The token is a secret: no log line may contain it, whatever the level."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactTokens, configure_logging
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
