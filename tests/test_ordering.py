"""Updates from one chat are answered in order; different chats do not wait for each other."""

from __future__ import annotations

import asyncio
import random

from telegram import Chat, Message, Update, User

from bot.telegram.ordering import PerChatOrder


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    message = Message(update_id, None, chat, from_user=User(chat_id, "U", False), text="x")
    return Update(update_id, message=message)


async def test_same_chat_in_order_other_chats_in_parallel() -> None:
    processor = PerChatOrder(max_handlers=8)
    finished: list[tuple[int, int]] = []
    running = 0
    most_running = 0
    rng = random.Random(1)

    async def handle(chat_id: int, number: int) -> None:
        nonlocal running, most_running
        running += 1
        most_running = max(most_running, running)
        await asyncio.sleep(rng.uniform(0, 0.01))
        finished.append((chat_id, number))
        running -= 1

    tasks = []
    for number in range(30):
        for chat_id in (1, 2, 3, 4):
            tasks.append(asyncio.create_task(
                processor.process_update(update(number * 10 + chat_id, chat_id), handle(chat_id, number))
            ))
    await asyncio.gather(*tasks)
    for chat_id in (1, 2, 3, 4):
        assert [n for c, n in finished if c == chat_id] == list(range(30))
    assert most_running == 4  # one per chat at a time, all four chats at once
    assert processor.chats_in_flight == 0


async def test_handler_slots_bound_concurrency() -> None:
    processor = PerChatOrder(max_handlers=3)
    running = 0
    most_running = 0

    async def handle() -> None:
        nonlocal running, most_running
        running += 1
        most_running = max(most_running, running)
        await asyncio.sleep(0.01)
        running -= 1

    await asyncio.gather(*(processor.process_update(update(i, 100 + i), handle()) for i in range(20)))
    assert most_running == 3


async def test_a_failing_update_does_not_stall_its_chat() -> None:
    processor = PerChatOrder(max_handlers=2)
    done = []

    async def fail() -> None:
        raise RuntimeError("boom")

    async def ok() -> None:
        done.append("ok")

    first = asyncio.create_task(processor.process_update(update(1, 5), fail()))
    second = asyncio.create_task(processor.process_update(update(2, 5), ok()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and done == ["ok"]
