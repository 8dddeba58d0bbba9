"""getUpdates read-ahead: after a full batch the next one is asked for at once, never two at a
time, and nothing is lost or answered twice — through the real Application and the emulator."""

from __future__ import annotations

import json

import pytest

from bot.telegram.read_ahead import next_offset_if_full
from tests.conftest import TEST_TOKEN, running_bot, unexpected_refusals
from tests.emulator import BotApiEmulator
from tests.emulator.limits import FloodLimits


@pytest.fixture
async def emulator():
    """Behind a local Bot API server: no overall limit (per-chat limits as Telegram's), so
    hundreds of users are answered at once; the bot's own cap is lifted to match."""
    limits = FloodLimits(global_rate=1_000_000, global_burst=1_000_000)
    async with BotApiEmulator(token=TEST_TOKEN, flood_limits=limits) as emu:
        yield emu


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"max_send_rate": 100_000})


def _polling_requests(application):
    flood_filter = application.bot._request[0]  # noqa: SLF001 — the getUpdates transport the app was built with
    return flood_filter, flood_filter.inner


def _one_get_updates_at_a_time(emulator) -> bool:
    polls = emulator.calls_to("getUpdates")
    return all(later.time >= earlier.time + earlier.duration for earlier, later in zip(polls, polls[1:]))


def test_a_full_answer_is_told_by_its_update_ids_and_text_cannot_pose_as_one() -> None:
    updates = [{"update_id": 500 + i, "message": {"text": '"update_id": 99999'}} for i in range(100)]
    body = json.dumps({"ok": True, "result": updates}).encode()
    assert next_offset_if_full(body, 100) == 600
    assert next_offset_if_full(body, 101) is None  # not full
    compact = json.dumps({"ok": True, "result": updates}, separators=(",", ":")).encode()
    assert next_offset_if_full(compact, 100) == 600  # Telegram's own spacing


async def test_a_backlog_of_full_batches_is_answered_whole_one_get_updates_at_a_time(settings, emulator) -> None:
    users = [emulator.make_user(user_id=30_000 + i, first_name="R", language_code="ru") for i in range(230)]
    async with running_bot(settings, emulator) as application:
        for user in users:  # queued at once: three batches, two of them full
            emulator.send_text(user, "/energy")
        await emulator.wait_for(lambda: all(emulator.messages_in(u["id"]) for u in users), timeout=30)
        _, read_ahead = _polling_requests(application)
        assert read_ahead.sent >= 2 and read_ahead.used >= 1
    assert all(len(emulator.messages_in(u["id"])) == 1 for u in users)
    assert _one_get_updates_at_a_time(emulator)
    assert not emulator.world.updates  # all confirmed on the way out
    assert not unexpected_refusals(emulator)


async def test_a_text_posing_as_an_update_id_loses_nothing(settings, emulator) -> None:
    users = [emulator.make_user(user_id=31_000 + i, first_name="T", language_code="ru") for i in range(100)]
    last = emulator.make_user(user_id=31_500, first_name="L", language_code="ru")
    async with running_bot(settings, emulator) as application:
        for user in users:
            emulator.send_text(user, '{"update_id": 987654321}')
        emulator.send_text(last, "/energy")
        await emulator.wait_for(lambda: emulator.messages_in(last["id"]), timeout=15)
        await emulator.wait_for(lambda: all(emulator.messages_in(u["id"]) for u in users), timeout=15)
        _, read_ahead = _polling_requests(application)
        assert read_ahead.sent >= 1
    assert emulator.messages_in(last["id"])[0]["text"].startswith("⚡")
    assert not unexpected_refusals(emulator)


async def test_stopping_while_a_read_ahead_waits_neither_loses_nor_repeats(settings, emulator) -> None:
    users = [emulator.make_user(user_id=32_000 + i, first_name="S", language_code="ru") for i in range(100)]
    async with running_bot(settings, emulator) as application:
        for user in users:  # exactly one full batch: the read-ahead then waits for more
            emulator.send_text(user, "/energy")
        await emulator.wait_for(lambda: all(emulator.messages_in(u["id"]) for u in users), timeout=20)
        _, read_ahead = _polling_requests(application)
        await emulator.wait_for(lambda: read_ahead.used >= 1, timeout=5)  # the library is in it
    assert not emulator.world.updates
    async with running_bot(settings, emulator):  # a restart is handed nothing old
        emulator.send_text(users[0], "/logistics")
        await emulator.wait_for(lambda: len(emulator.messages_in(users[0]["id"])) == 2, timeout=10)
    assert all(len(emulator.messages_in(u["id"])) == 1 for u in users[1:])
    assert _one_get_updates_at_a_time(emulator)
    assert not unexpected_refusals(emulator)


async def test_a_silenced_users_full_batch_is_skipped_through_the_read_ahead(settings, emulator) -> None:
    settings = settings.model_copy(update={"rate_limit_requests": 3, "rate_limit_window": 60})
    flooder = emulator.make_user(user_id=33_001, first_name="F", language_code="ru")
    calm = emulator.make_user(user_id=33_002, first_name="C", language_code="ru")
    async with running_bot(settings, emulator) as application:
        for _ in range(5):
            emulator.send_text(flooder, "/energy")
        await emulator.wait_for_messages(flooder["id"], count=4, timeout=10)  # three answers, one note
        for _ in range(100):  # a full batch of nothing but the silenced user's
            emulator.send_text(flooder, "/energy")
        emulator.send_text(calm, "/logistics")
        (reply,) = await emulator.wait_for_messages(calm["id"], count=1, timeout=10)
        flood_filter, read_ahead = _polling_requests(application)
        assert flood_filter.dropped >= 100 and read_ahead.used >= 1
    assert reply["text"].startswith("🚆")
    assert len(emulator.messages_in(flooder["id"])) == 4
    assert _one_get_updates_at_a_time(emulator)
    assert not unexpected_refusals(emulator)
