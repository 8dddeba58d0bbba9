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

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.emulator import BotApiEmulator  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
user_ids = itertools.count(100_000)


async def burst(request: web.Request) -> web.Response:
    emulator: BotApiEmulator = request.app["emulator"]
    body = await request.json()
    chats, text = int(body["chats"]), str(body.get("text", "/energy"))
    users = [emulator.make_user(user_id=next(user_ids), first_name="U", language_code="ru") for _ in range(chats)]
    waiting = {user["id"] for user in users}
    queued_at: dict[int, float] = {}
    replied_at: dict[int, float] = {}
    scanned = len(emulator.calls)
    started = time.perf_counter()
    for user in users:
        queued_at[user["id"]] = time.time()
        emulator.send_text(user, text)

    unanswered: list = []  # sendMessage calls still being answered when last looked at

    def done() -> bool:
        nonlocal scanned, unanswered
        calls = emulator.calls
        fresh = [call for call in calls[scanned:] if call.method == "sendMessage"]
        scanned = len(calls)
        still = []
        for call in unanswered + fresh:
            if call.ok is None:
                still.append(call)
            elif call.ok and int(call.params.get("chat_id", 0)) in waiting:
                waiting.discard(int(call.params["chat_id"]))
                replied_at[int(call.params["chat_id"])] = call.time + call.duration
        unanswered = still
        return not waiting

    await emulator.wait_for(done, timeout=600)
    seconds = time.perf_counter() - started
    latencies = sorted((replied_at[u] - queued_at[u]) * 1000 for u in replied_at)
    return web.json_response({"seconds": seconds, "latencies_ms": latencies, "refused": len(emulator.errors)})


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
