"""The Bot API emulator in a process of its own, for benchmarks.

In the bot's own process the emulator would share the event loop (and the CPU core) with the
bot it measures. Here it runs alone, with a control endpoint that queues a burst of messages
from many users at once and answers when every user has got a reply:

    POST /burst {"chats": 2000, "text": "/energy"}
    -> {"seconds": …, "latencies_ms": [...], "refused": 0}

For the delivery benchmark (bench_delivery.py), with flood limits on (--flood-scale):

    POST /users {"first_id": 10000000, "count": 10000}
        N users whose private chats with the bot are open (as after /start); their chats
        are watched for messages from the bot
    POST /probe {"count": 100, "interval": 0.1}  or  {"until_delivered": true, "interval": 0.1}
        one fresh user at a time sends /energy and waits for the reply; until `count` probes,
        or until every watched chat has had a message (or nothing new arrived for `stall` s)
        -> {"probes": [[sent_at, latency_ms], ...]}
    POST /deliveries {}  (or {"per_chat": true}: each watched chat's arrival times too)
        -> what the watched chats got: per-chat counts, arrival times, 429s, other refusals,
           how many carried allow_paid_broadcast, and the paid messages the emulator counted
    POST /delivered {}
        -> {"accepted": n, "chats": c}: messages accepted into the watched chats so far, and
           how many of those chats have had one (cheap, to poll)

For every benchmark:

    POST /ready {}   -> once the bot polls (getUpdates) or has set its webhook
    POST /say {"user_id": 42, "text": "/reload"}
        -> that user sends the text; answers once the bot has replied: {"sent_at", "replied_at"}
           (with "webhook": {"url", "secret"} the update is also posted there, as /burst does)

Run: python bench/emulator_process.py --port 8081 --control-port 8082 (flood limits off;
--flood-scale 10: Telegram's limits on, every free rate and burst ×10; --flood-scale 1:
Telegram's own. With limits on, paid broadcasts get their own 1000 messages/s, --paid-rate).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
from collections import Counter
import sys
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.emulator import BotApiEmulator  # noqa: E402
from tests.emulator.limits import MESSAGE_CREATING_METHODS, FloodLimits  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
user_ids = itertools.count(100_000)
probe_ids = itertools.count(50_000_000)  # apart from burst users and from /users' ranges


class ReplyWatcher:
    """Notices the first successful sendMessage into each watched chat, scanning calls once."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator
        self.scanned = len(emulator.calls)
        self.unanswered: list = []  # sendMessage calls still being answered when last looked at
        self.waiting: set[int] = set()
        self.replied_at: dict[int, float] = {}

    def watch(self, chat_id: int) -> None:
        self.waiting.add(chat_id)

    def settled(self) -> bool:
        calls = self.emulator.calls
        fresh = [call for call in calls[self.scanned:] if call.method == "sendMessage"]
        self.scanned = len(calls)
        still = []
        for call in self.unanswered + fresh:
            if call.ok is None:
                still.append(call)
            elif call.ok:
                chat_id = int(call.params.get("chat_id", 0))
                if chat_id in self.waiting:
                    self.waiting.discard(chat_id)
                    self.replied_at[chat_id] = call.time + call.duration
        self.unanswered = still
        return not self.waiting


async def deliver(updates: list[dict], webhook: dict) -> None:
    """Post updates to the bot's webhook as Telegram does: up to `connections` at a time."""
    slots = asyncio.Semaphore(int(webhook.get("connections", 40)))
    headers = {"X-Telegram-Bot-Api-Secret-Token": webhook["secret"]}
    async with aiohttp.ClientSession() as session:
        async def post(update: dict) -> None:
            async with slots, session.post(webhook["url"], json=update, headers=headers) as response:
                if response.status != 200:
                    raise RuntimeError(f"webhook answered {response.status}")
        await asyncio.gather(*(post(update) for update in updates))


async def burst(request: web.Request) -> web.Response:
    """N users each send one message at once; seconds until all are answered."""
    emulator: BotApiEmulator = request.app["emulator"]
    body = await request.json()
    chats, text = int(body["chats"]), str(body.get("text", "/energy"))
    users = [emulator.make_user(user_id=next(user_ids), first_name="U", language_code="ru") for _ in range(chats)]
    watcher = ReplyWatcher(emulator)
    queued_at: dict[int, float] = {}
    started = time.perf_counter()
    updates = []
    for user in users:
        watcher.watch(user["id"])
        queued_at[user["id"]] = time.time()
        updates.append(emulator.send_text(user, text))
    if body.get("webhook"):
        await deliver(updates, body["webhook"])
    await emulator.wait_for(watcher.settled, timeout=600)
    seconds = time.perf_counter() - started
    latencies = sorted((watcher.replied_at[u] - queued_at[u]) * 1000 for u in watcher.replied_at)
    return web.json_response({"seconds": seconds, "latencies_ms": latencies, "refused": len(emulator.errors)})


async def flood(request: web.Request) -> web.Response:
    """One user floods (`flood` messages in all, sent in equal bursts just before each probe)
    while others ask one thing each, one after another (`probes`, every `interval` s); the
    others' reply latencies. flood=0: the same probes with nobody flooding. With `webhook`,
    the updates are posted to the bot instead of waiting for getUpdates."""
    emulator: BotApiEmulator = request.app["emulator"]
    body = await request.json()
    flooder = emulator.make_user(user_id=next(user_ids), first_name="F", language_code="ru")
    probes = int(body.get("probes", 20))
    per_probe = int(body.get("flood", 0)) // probes
    latencies = []
    webhook = body.get("webhook")
    for _ in range(probes):
        updates = [emulator.send_text(flooder, "/energy") for _ in range(per_probe)]
        user = emulator.make_user(user_id=next(user_ids), first_name="P", language_code="ru")
        watcher = ReplyWatcher(emulator)
        watcher.watch(user["id"])
        sent = time.time()
        updates.append(emulator.send_text(user, "/logistics"))
        if webhook:  # posted in order, up to 40 at a time, the probe last: as Telegram would
            await deliver(updates, webhook)
        await emulator.wait_for(watcher.settled, timeout=60)
        latencies.append((watcher.replied_at[user["id"]] - sent) * 1000)
        await asyncio.sleep(float(body.get("interval", 0.05)))
    return web.json_response({"latencies_ms": sorted(latencies), "refused": len(emulator.errors)})


class DeliveryWatcher:
    """What the bot sends into a range of watched private chats, scanning the calls once.

    Counts every sendMessage the emulator accepted into each watched chat (with its arrival
    time), every message it accepted at all (replies included: they share the overall limit),
    every 429 it answered (to any chat) and every other refused call, from its creation on."""

    def __init__(self, emulator: BotApiEmulator, first_id: int, count: int) -> None:
        self.emulator = emulator
        self.first_id, self.count = first_id, count
        self.scanned = len(emulator.calls)
        self.unanswered: list = []
        self.arrivals: dict[int, list[float]] = {}  # chat -> arrival times of accepted messages
        self.texts: dict[int, list[int]] = {}  # chat -> hashes of their texts (to tell repeats)
        self.accepted = 0
        self.paid = 0  # accepted into watched chats with allow_paid_broadcast
        self.all_messages: list[float] = []  # arrival times of every message accepted, any chat
        self.too_many_requests = 0
        self.refused: Counter[str] = Counter()  # other refusals, by description
        self.last_progress = time.monotonic()

    def scan(self) -> int:
        """Look at calls made since the last scan; returns messages accepted into watched chats."""
        calls = self.emulator.calls
        fresh, self.scanned = calls[self.scanned:], len(calls)
        still = []
        before = self.accepted
        for call in self.unanswered + fresh:
            if call.ok is None:
                still.append(call)
            elif call.ok:
                if call.method in MESSAGE_CREATING_METHODS:
                    self.all_messages.append(call.time)
                if call.method == "sendMessage":
                    chat_id = call.params.get("chat_id")
                    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
                        chat_id = int(chat_id)
                    if isinstance(chat_id, int) and 0 <= chat_id - self.first_id < self.count:
                        self.arrivals.setdefault(chat_id, []).append(call.time)
                        self.texts.setdefault(chat_id, []).append(hash(call.params.get("text")))
                        self.accepted += 1
                        self.paid += call.params.get("allow_paid_broadcast") is True
            elif call.error_code == 429:
                self.too_many_requests += 1
            elif call.refused:
                self.refused[f"{call.method}: {call.description}"] += 1
        self.unanswered = still
        if self.accepted > before:
            self.last_progress = time.monotonic()
        return self.accepted

    def delivered_everywhere(self) -> bool:
        self.scan()
        return len(self.arrivals) >= self.count

    def report(self, per_chat: bool = False) -> dict:
        self.scan()
        per_chat = Counter(len(times) for times in self.arrivals.values())
        per_chat[0] = self.count - len(self.arrivals)
        lost = [c for c in range(self.first_id, self.first_id + self.count) if c not in self.arrivals]
        doubled = [c for c, texts in self.texts.items() if len(set(texts)) < len(texts)]
        return {
            "watched": self.count,
            "accepted": self.accepted,
            "chats_by_messages": {str(k): v for k, v in sorted(per_chat.items())},
            "lost_sample": lost[:10],
            "doubled": len(doubled),  # chats that got the same text more than once
            "doubled_sample": doubled[:10],
            "times": sorted(t for times in self.arrivals.values() for t in times),
            "all_message_times": sorted(self.all_messages),
            "too_many_requests": self.too_many_requests,
            "paid_flagged": self.paid,
            "paid_messages": self.emulator.paid_messages,
            "refused_other": sum(self.refused.values()),
            "refused_descriptions": dict(self.refused.most_common(5)),
            **({"arrivals": {str(c): times for c, times in self.arrivals.items()}} if per_chat else {}),
        }


async def users(request: web.Request) -> web.Response:
    """N users who have started the bot (their private chats are open), watched from now on."""
    emulator: BotApiEmulator = request.app["emulator"]
    body = await request.json()
    first_id, count = int(body["first_id"]), int(body["count"])
    for user_id in range(first_id, first_id + count):
        user = emulator.make_user(user_id=user_id, first_name="S", language_code="ru")
        emulator.world.private_chat(user)
    request.app["state"]["deliveries"] = DeliveryWatcher(emulator, first_id, count)
    return web.json_response({"users": count})


async def probe(request: web.Request) -> web.Response:
    """One fresh user at a time sends `text` and waits for the reply, every `interval` s: for
    `count` probes, or (`until_delivered`) until every watched chat has had a message from the
    bot, or nothing new reached them for `stall` seconds (`timeout` caps it all)."""
    emulator: BotApiEmulator = request.app["emulator"]
    body = await request.json()
    text, interval = str(body.get("text", "/energy")), float(body.get("interval", 0.1))
    count = int(body.get("count", 0))
    deliveries: DeliveryWatcher | None = request.app["state"].get("deliveries") if body.get("until_delivered") else None
    stall, deadline = float(body.get("stall", 30.0)), time.monotonic() + float(body.get("timeout", 900))
    if deliveries is not None:
        deliveries.last_progress = time.monotonic()
    probes = []
    while time.monotonic() < deadline:
        if deliveries is not None:
            if deliveries.delivered_everywhere() or time.monotonic() - deliveries.last_progress > stall:
                break
        elif len(probes) >= count:
            break
        user = emulator.make_user(user_id=next(probe_ids), first_name="P", language_code="ru")
        watcher = ReplyWatcher(emulator)
        watcher.watch(user["id"])
        sent = time.time()
        emulator.send_text(user, text)
        await emulator.wait_for(watcher.settled, timeout=60)
        probes.append((sent, (watcher.replied_at[user["id"]] - sent) * 1000))
        await asyncio.sleep(interval)
    return web.json_response({"probes": probes})


async def ready(request: web.Request) -> web.Response:
    """Once the bot is there: it has asked for updates, or set its webhook (its server is up)."""
    emulator: BotApiEmulator = request.app["emulator"]
    await emulator.wait_for(lambda: any(c.method == "getUpdates" or (c.method == "setWebhook" and c.ok)
                                        for c in emulator.calls), timeout=60)
    return web.json_response({"ready": True})


async def say(request: web.Request) -> web.Response:
    """One user sends a text (an owner's /reload, say) and waits for the bot's reply."""
    emulator: BotApiEmulator = request.app["emulator"]
    body = await request.json()
    user = emulator.make_user(user_id=int(body["user_id"]), first_name="O", language_code="ru")
    watcher = ReplyWatcher(emulator)
    watcher.watch(user["id"])
    sent = time.time()
    update = emulator.send_text(user, str(body["text"]))
    if body.get("webhook"):
        await deliver([update], body["webhook"])
    await emulator.wait_for(watcher.settled, timeout=float(body.get("timeout", 120)))
    return web.json_response({"sent_at": sent, "replied_at": watcher.replied_at[user["id"]]})


async def deliveries(request: web.Request) -> web.Response:
    watcher: DeliveryWatcher | None = request.app["state"].get("deliveries")
    if watcher is None:
        return web.json_response({"error": "no users registered (POST /users first)"}, status=400)
    body = await request.json()
    return web.json_response(watcher.report(per_chat=bool(body.get("per_chat"))))


async def delivered(request: web.Request) -> web.Response:
    watcher: DeliveryWatcher | None = request.app["state"].get("deliveries")
    if watcher is None:
        return web.json_response({"accepted": 0, "chats": 0})
    return web.json_response({"accepted": watcher.scan(), "chats": len(watcher.arrivals)})


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, required=True)
    parser.add_argument("--profile", help="write cProfile stats here on SIGTERM (to find hot spots)")
    parser.add_argument("--flood-scale", type=float,
                        help="turn Telegram's flood limits on, every rate and burst times this (default: off)")
    parser.add_argument("--paid-rate", type=float, default=1000.0,
                        help="with limits on: paid broadcast messages per second (Telegram's 1000; not scaled)")
    args = parser.parse_args()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    limits_on = args.flood_scale is not None
    limits = FloodLimits(enabled=limits_on, scale=args.flood_scale if limits_on else 1.0, paid_rate=args.paid_rate)
    emulator = BotApiEmulator(token=TOKEN, bot_username="bench_bot", flood_limits=limits, port=args.port)
    await emulator.start()
    control = web.Application()
    control["emulator"] = emulator
    control["state"] = {}  # what /users sets up for /probe and /deliveries
    control.router.add_post("/burst", burst)
    control.router.add_post("/flood", flood)
    control.router.add_post("/users", users)
    control.router.add_post("/probe", probe)
    control.router.add_post("/deliveries", deliveries)
    control.router.add_post("/delivered", delivered)
    control.router.add_post("/ready", ready)
    control.router.add_post("/say", say)
    runner = web.AppRunner(control, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", args.control_port).start()
    print("ready", flush=True)
    await stop.wait()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    await runner.cleanup()
    await emulator.stop()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
