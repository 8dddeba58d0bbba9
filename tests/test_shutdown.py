"""Graceful shutdown: updates already taken are handled, and a hung handler cannot block it."""

from __future__ import annotations

import asyncio
import time

from telegram.ext import CommandHandler

import bot.telegram.startup
from tests.conftest import running_bot


async def test_a_hung_handler_is_cancelled_after_the_grace_period(settings, emulator, monkeypatch):
    monkeypatch.setattr(bot.telegram.startup, "STOP_GRACE", 0.5)
    started = asyncio.Event()

    async def hang(update, context):
        started.set()
        await asyncio.Event().wait()  # e.g. a call that never returns

    user = emulator.make_user(3001, "Slow")
    async with running_bot(settings, emulator) as application:
        application.add_handler(CommandHandler("hang", hang), group=-5)
        emulator.send_text(user, "/hang")
        await asyncio.wait_for(started.wait(), timeout=5)
        began = time.monotonic()
    assert time.monotonic() - began < 5  # stopped well within the test's patience


async def test_updates_already_fetched_are_answered_before_stopping(settings, emulator):
    users = [emulator.make_user(3100 + i, f"U{i}") for i in range(20)]
    async with running_bot(settings, emulator):
        for user in users:
            emulator.send_text(user, "/energy")
        await emulator.wait_for(lambda: not emulator.pending_updates, timeout=5)  # all taken
    # The stop began right after Telegram handed the updates over: every one was answered.
    assert all(emulator.messages_in(user["id"]) for user in users)
