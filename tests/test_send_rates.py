"""Send rates as settings: the overall cap (`MAX_SEND_RATE`) and paid broadcasts
(`PAID_BROADCAST`, `PAID_BROADCAST_RATE`), proved through the running bot and the emulator."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import ConfigError, load_settings
from bot.telegram.limits.pacing import ChatPacing, PacingLimits
from tests.conftest import running_bot, services_of
from tests.emulator import BotApiEmulator
from tests.emulator.limits import FloodLimits
from tests.helpers import ask
from tests.publishing import publish

FIRST = 80_000


@pytest.mark.parametrize(
    "values, field",
    [({"max_send_rate": 0}, "MAX_SEND_RATE"), ({"max_send_rate": -1}, "MAX_SEND_RATE"),
     ({"paid_broadcast_rate": 0}, "PAID_BROADCAST_RATE"), ({"paid_broadcast_rate": 1001}, "PAID_BROADCAST_RATE")],
)  # fmt: skip
def test_send_rates_are_validated(values, field) -> None:
    with pytest.raises(ConfigError, match=field):
        load_settings(_env_file=None, **values)


def test_defaults_are_telegrams_free_limits() -> None:
    limits = PacingLimits.from_settings(load_settings(_env_file=None))
    assert (limits.overall_rate, limits.overall_burst, limits.paid_rate) == (28.0, 20, None)
    assert (limits.private_rate, limits.private_burst) == (1.0, 3)


def test_a_lifted_rate_is_no_limit_of_its_own_but_each_chat_still_is() -> None:
    pacing = ChatPacing(PacingLimits.from_settings(load_settings(_env_file=None, max_send_rate=100_000)))
    assert all(pacing.reserve(chat_id, now=0.0) == 0.0 for chat_id in range(1, 5001))  # 5,000 chats at once
    same_chat = [pacing.reserve(7_000_000, now=0.0) for _ in range(5)]
    assert same_chat[:3] == [0.0] * 3 and same_chat[3:] == [1.0, 2.0]  # 1 a second after a burst of 3


def test_replies_never_use_the_paid_bucket() -> None:
    settings = load_settings(_env_file=None, max_send_rate=1, paid_broadcast=True, paid_broadcast_rate=1000)
    pacing = ChatPacing(PacingLimits.from_settings(settings))
    assert pacing.paid
    for chat_id in range(1, 501):  # a paid broadcast's slots: far past the free rate
        assert pacing.try_take(chat_id, now=chat_id / 1000, paid=True) == (0.0, False)
    assert pacing.reserve(999_999, now=0.5) == 0.5  # a reply: the free bucket is untouched
    assert pacing.reserve(999_998, now=0.5) >= 1.5  # and it is 1 a second


async def subscribe(emulator, services, count: int) -> list[int]:
    users = [FIRST + i for i in range(count)]
    for user_id in users:
        emulator.world.private_chat(emulator.make_user(user_id, f"Reader {user_id}"))
        await services.chats.ensure(user_id, "private", f"Reader {user_id}", "ru")
        await services.chats.subscribe(user_id, ["energy"])
    return users


async def recorded(services) -> None:
    """Until the sender has recorded every send (the emulator sees a message before that)."""
    for _ in range(100):
        if (await services.delivery.outbox.stats()).pending == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("deliveries still pending")


async def test_with_the_cap_lifted_a_burst_is_answered_at_once_and_each_chat_still_paced(settings) -> None:
    """Behind a local Bot API server (no overall limit; per-chat limits as Telegram's)."""
    limits = FloodLimits(global_rate=1_000_000, global_burst=1_000_000)
    settings = settings.model_copy(update={"max_send_rate": 100_000})
    async with BotApiEmulator(token="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi", flood_limits=limits) as emulator:
        users = [emulator.make_user(user_id=FIRST + i, first_name="U", language_code="ru") for i in range(150)]
        async with running_bot(settings, emulator):
            for user in users:
                emulator.send_text(user, "/energy")
            for user in users:
                await emulator.wait_for_messages(user["id"], count=1, timeout=30)
            talker = users[0]
            for text in ("/logistics", "/economy", "/about", "/energy", "/logistics", "/economy", "/about"):
                emulator.send_text(talker, text)  # more than a private chat's burst, at once
            await emulator.wait_for_messages(talker["id"], count=7, timeout=30)
        assert not emulator.errors  # no 429 for the chat sent to faster than 1 a second


async def test_paid_broadcast_goes_past_the_free_rate_every_message_paid_none_twice(settings, seeds_dir) -> None:
    # the free rate so low that 60 deliveries would take a minute without paying
    settings = settings.model_copy(update={"max_send_rate": 1, "paid_broadcast": True})
    async with BotApiEmulator(token="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi") as emulator:
        async with running_bot(settings, emulator) as bot:
            services = services_of(bot)
            users = await subscribe(emulator, services, 60)
            await publish(services, seeds_dir, "energy", "Платная рассылка")
            await emulator.wait_for(lambda: all(emulator.messages_in(u) for u in users), timeout=20)
            await recorded(services)
            reader = emulator.make_user(user_id=FIRST + 500, first_name="R", language_code="ru")
            await ask(emulator, reader, "/energy")
            owner = emulator.make_user(user_id=42, first_name="Owner", language_code="ru")
            (report,) = await ask(emulator, owner, "/deliveries")
        assert not emulator.errors  # no 429, and allow_paid_broadcast passed as a bool
    assert all(len(emulator.messages_in(u)) == 1 for u in users)  # nothing lost or doubled
    deliveries = [c for c in emulator.calls_to("sendMessage") if int(c.params["chat_id"]) in users]
    assert len(deliveries) == 60 and all(c.params.get("allow_paid_broadcast") is True for c in deliveries)
    replies = [c for c in emulator.calls_to("sendMessage") if int(c.params["chat_id"]) in (reader["id"], 42)]
    assert replies and not any(c.params.get("allow_paid_broadcast") for c in replies)  # replies are free
    assert emulator.paid_messages == 60
    assert "Платных сообщений: 60 (≈ 6 ⭐)" in report["text"]


async def test_without_paid_broadcast_nothing_is_paid_or_counted(settings, seeds_dir, emulator) -> None:
    async with running_bot(settings, emulator) as bot:
        services = services_of(bot)
        users = await subscribe(emulator, services, 5)
        await publish(services, seeds_dir, "energy", "Обычная рассылка")
        await emulator.wait_for(lambda: all(emulator.messages_in(u) for u in users), timeout=10)
        await recorded(services)
        owner = emulator.make_user(user_id=42, first_name="Owner", language_code="en")
        (report,) = await ask(emulator, owner, "/deliveries")
    assert emulator.paid_messages == 0 and "Paid messages" not in report["text"]
    assert not any("allow_paid_broadcast" in c.params for c in emulator.calls_to("sendMessage"))
    assert not emulator.errors


async def test_the_emulator_takes_allow_paid_broadcast_only_as_a_bool(emulator) -> None:
    import aiohttp

    user = emulator.make_user(user_id=FIRST + 900, first_name="B")
    emulator.world.private_chat(user)
    async with aiohttp.ClientSession() as session:
        async def send(value) -> dict:
            body = {"chat_id": user["id"], "text": "x", "allow_paid_broadcast": value}
            async with session.post(f"{emulator.base_url}{emulator.token}/sendMessage", json=body) as response:
                return await response.json()

        assert (await send(True))["ok"] and (await send("false"))["ok"]
        refused = await send("paid")
    assert not refused["ok"] and "allow_paid_broadcast" in refused["description"]
    assert emulator.paid_messages == 1
    emulator.world.calls.clear()  # the refusal was the point


async def test_replicas_share_the_sends_in_flight_as_they_share_the_rate() -> None:
    """DELIVERY_CONCURRENCY is the bot's: with two replicas live each keeps at most half of it
    in flight (every send in flight can reach Telegram at one instant, say after a stall on
    the way: two replicas with the whole of it each overran the paid bucket's burst)."""
    from bot.services.delivery.messages import Outgoing
    from bot.storage.outbox import Delivery
    from bot.telegram.sending.sender import Sender

    live = {"replicas": 2}
    deliveries = [Delivery(n, 90_000 + n, "private", "ru", "snippet", 1, (), None, 0, 0) for n in range(1, 41)]

    class Outbox:
        clock = staticmethod(lambda: 0.0)

        def __init__(self):
            self.sent: set[int] = set()

        async def claim_due(self, after_id, limit, busy=()):
            return [d for d in deliveries if d.id > after_id and d.id not in self.sent][:limit]

        async def parts_sent(self, parts):
            self.sent.update(part.delivery.id for part in parts)

        async def next_due_at(self):
            return None

    class Messages:
        async def for_delivery(self, delivery):
            return Outgoing(("Справка",), None)

    class Bot:
        def __init__(self):
            self.in_flight = self.most = self.calls = 0
            self.gate = asyncio.Event()

        async def do_api_request(self, method, api_kwargs, rate_limit_args):
            self.in_flight += 1
            self.calls += 1
            self.most = max(self.most, self.in_flight)
            await self.gate.wait()
            self.in_flight -= 1
            return {"message_id": self.calls}

    async def until(condition) -> None:  # bounded: a sender that never gets there fails, not hangs
        for _ in range(1000):
            if condition():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("not reached in 10 s")

    bot, outbox = Bot(), Outbox()
    pacing = ChatPacing(PacingLimits(overall_rate=100_000, overall_burst=100_000), replicas=lambda: live["replicas"])
    sender = Sender(bot, outbox, None, Messages(), pacing, concurrency=8)
    sender.start()
    try:
        await until(lambda: bot.in_flight >= 4)
        await asyncio.sleep(0.2)  # room for more, were it allowed
        assert (bot.in_flight, bot.most) == (4, 4)
        live["replicas"] = 1  # the other replica is gone: the whole of it
        first, bot.gate = bot.gate, asyncio.Event()
        first.set()  # the four go through; what follows waits again
        await until(lambda: bot.in_flight >= 8)
        await asyncio.sleep(0.2)
        assert (bot.in_flight, bot.most) == (8, 8)
        bot.gate.set()
        await until(lambda: len(outbox.sent) == len(deliveries))
    finally:
        bot.gate.set()
        await sender.stop(5)
