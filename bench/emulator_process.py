"""The Bot API emulator in a process of its own, for benchmarks.

In the bot's own process the emulator would share the event loop (and the CPU core) with the
bot it measures. Here it runs alone, with a control endpoint that queues a burst of messages
from many users at once and answers when every user has got a reply:

    POST /burst {"chats": 2000, "text": "/energy"}
    -> {"seconds": …, "latencies_ms": [...], "refused": 0}

Run: python bench/emulator_process.py --port 8081 --control-port 8082 (flood limits off).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
import sys
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.emulator import BotApiEmulator  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
user_ids = itertools.count(100_000)


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
    others' reply latencies. flood=0: the same probes with nobody flooding."""
    emulator: BotApiEmulator = request.app["emulator"]
    body = await request.json()
    flooder = emulator.make_user(user_id=next(user_ids), first_name="F", language_code="ru")
    probes = int(body.get("probes", 20))
    per_probe = int(body.get("flood", 0)) // probes
    latencies = []
    for _ in range(probes):
        for _ in range(per_probe):
            emulator.send_text(flooder, "/energy")
        user = emulator.make_user(user_id=next(user_ids), first_name="P", language_code="ru")
        watcher = ReplyWatcher(emulator)
        watcher.watch(user["id"])
        sent = time.time()
        emulator.send_text(user, "/logistics")
        await emulator.wait_for(watcher.settled, timeout=60)
        latencies.append((watcher.replied_at[user["id"]] - sent) * 1000)
        await asyncio.sleep(float(body.get("interval", 0.05)))
    return web.json_response({"latencies_ms": sorted(latencies), "refused": len(emulator.errors)})


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, required=True)
    parser.add_argument("--profile", help="write cProfile stats here on SIGTERM (to find hot spots)")
    args = parser.parse_args()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    emulator = BotApiEmulator(token=TOKEN, bot_username="bench_bot", flood_limits=False, port=args.port)
    await emulator.start()
    control = web.Application()
    control["emulator"] = emulator
    control.router.add_post("/burst", burst)
    control.router.add_post("/flood", flood)
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
