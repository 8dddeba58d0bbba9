"""Outgoing pacing: within Telegram's limits, and a "retry after" holds only its own chat."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from telegram.error import RetryAfter

from bot.telegram.limits.pacing import ChatPacing, Gcra, PacingLimits, Window


def test_private_chats_get_a_short_burst_then_one_a_second() -> None:
    bucket = Gcra(rate=1.0, burst=3)
    slots = [bucket.reserve(0.0) for _ in range(6)]
    assert slots == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]


def test_groups_get_twenty_a_minute() -> None:
    window = Window(limit=20, period=61.0)
    slots = [window.reserve(0.0) for _ in range(22)]
    assert slots[:20] == [0.0] * 20 and slots[20:] == [61.0, 61.0]


async def test_retry_after_holds_that_chat_only() -> None:
    pacing = ChatPacing(PacingLimits(private_burst=10), max_retries=1)
    calls: list[tuple[int, float]] = []
    refused = {"done": False}

    async def send(chat_id: int):
        calls.append((chat_id, time.monotonic()))
        if chat_id == 1 and not refused["done"]:
            refused["done"] = True
            raise RetryAfter(dt.timedelta(seconds=0.3))
        return {"ok": True}

    started = time.monotonic()
    first = asyncio.create_task(pacing.process_request(send, (1,), {}, "sendMessage", {"chat_id": 1}, None))
    await asyncio.sleep(0.01)
    second = await pacing.process_request(send, (2,), {}, "sendMessage", {"chat_id": 2}, None)
    other_chat_done = time.monotonic() - started
    assert second == {"ok": True} and other_chat_done < 0.1  # chat 2 did not wait for chat 1
    assert await first == {"ok": True}
    retried_at = [at for chat, at in calls if chat == 1][1]
    assert retried_at - started >= 0.3  # chat 1 waited as long as Telegram asked
    third_started = time.monotonic()
    await pacing.process_request(send, (1,), {}, "sendMessage", {"chat_id": 1}, None)
    assert time.monotonic() - third_started < 0.1  # and is free again afterwards


async def test_calls_that_send_nothing_are_not_paced() -> None:
    pacing = ChatPacing(PacingLimits(private_rate=0.001, private_burst=1))

    async def answer():
        return True

    for _ in range(5):  # would take hours if paced
        assert await pacing.process_request(answer, (), {}, "answerCallbackQuery", {"chat_id": 5}, None)


def test_idle_chats_are_forgotten() -> None:
    from bot.telegram.limits import pacing as module

    limiter = ChatPacing()
    for chat_id in range(1, module.PRUNE_EVERY):
        limiter.reserve(chat_id, now=0.0)
    assert limiter.chats_tracked == module.PRUNE_EVERY - 1
    limiter.reserve(-100, now=3600.0)  # the next clean-up, an hour later
    assert limiter.chats_tracked <= 1


async def test_a_chat_waiting_for_its_turn_holds_up_no_other_chat() -> None:
    """A flooding user's replies wait seconds for their chat's turn; booked in the overall
    bucket ahead of time, they would make every other chat wait too."""
    pacing = ChatPacing(PacingLimits())

    async def send(chat_id: int):
        return {"ok": True}

    flood = [asyncio.create_task(pacing.process_request(send, (1,), {}, "sendMessage", {"chat_id": 1}, None))
             for _ in range(6)]  # three go at once, three wait 1, 2 and 3 s
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await pacing.process_request(send, (2,), {}, "sendMessage", {"chat_id": 2}, None)
    assert time.monotonic() - started < 0.1
    assert sum(task.done() for task in flood) == 3
    for task in flood:
        task.cancel()
    await asyncio.gather(*flood, return_exceptions=True)


async def test_a_restarted_bot_adds_no_burst_to_what_the_previous_process_sent() -> None:
    """Telegram counts the bot's messages, not the process's: a bot restarted in the middle of
    a broadcast starts at the steady rate, its overall burst coming back over time (a burst at
    start on top of the previous process's last second was refused with 429 in CI)."""
    pacing = ChatPacing(PacingLimits(overall_rate=28.0, overall_burst=20))
    await pacing.initialize()
    start, chats = time.monotonic(), iter(range(100, 10_000))
    taken = []
    for tick in range(2000):  # two seconds, a broadcast asking every millisecond
        now = start + tick / 1000
        while pacing.try_take(next(chats), now)[0] == 0:
            taken.append(now - start)
    in_first_second = sum(at < 1.0 for at in taken)
    assert in_first_second <= 28  # the steady rate, no burst on top (it was 15 + 28 before)
    assert sum(at >= 1.0 for at in taken) >= 27  # and the rate itself is kept
