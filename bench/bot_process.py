"""A reference bot under measurement, in a process of its own (so its peak memory is its own).

    python bench/bot_process.py KIND BASE_URL

KIND is one of:
  ptb-constant  a minimal python-telegram-bot bot with defaults answering /energy with a constant text
  aiogram       a minimal aiogram bot with defaults answering /energy with a constant text

(This project's bot is measured as `python -m bot` itself: see bench/harness.py.) Prints
"ready" once polling, and on SIGTERM stops cleanly and prints a JSON line with its peak
resident memory and how late a 10 ms event-loop timer fired.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
REPLY = "Energy briefing"


async def run_ptb_constant(base_url: str, stop: asyncio.Event) -> None:
    from telegram.ext import ApplicationBuilder, CommandHandler

    application = ApplicationBuilder().token(TOKEN).base_url(base_url).build()

    async def reply(update, context) -> None:
        await update.effective_chat.send_message(REPLY)

    application.add_handler(CommandHandler("energy", reply))
    async with application:
        await application.updater.start_polling(timeout=30)
        await application.start()
        print("ready", flush=True)
        await stop.wait()
        await application.updater.stop()
        await application.stop()


async def run_aiogram(base_url: str, stop: asyncio.Event) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.filters import Command

    server = TelegramAPIServer.from_base(base_url.removesuffix("/bot"))
    bot = Bot(TOKEN, session=AiohttpSession(api=server))
    dispatcher = Dispatcher()

    @dispatcher.message(Command("energy"))
    async def reply(message) -> None:
        await message.answer(REPLY)

    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False, polling_timeout=30))
    print("ready", flush=True)
    await stop.wait()
    await dispatcher.stop_polling()
    await polling
    await bot.session.close()


async def watch_loop_lag(samples: list[float], interval: float = 0.01) -> None:
    """How late a 10 ms timer fires: anything blocking the event loop shows up here."""
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(interval)
        samples.append((loop.time() - started - interval) * 1000)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("ptb-constant", "aiogram"))
    parser.add_argument("base_url")
    parser.add_argument("--profile", help="write cProfile stats of the event-loop thread here on exit")
    args = parser.parse_args()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    lag: list[float] = []
    watcher = asyncio.create_task(watch_loop_lag(lag))
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    if args.kind == "ptb-constant":
        await run_ptb_constant(args.base_url, stop)
    else:
        await run_aiogram(args.base_url, stop)
    watcher.cancel()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lag.sort()
    print(json.dumps({
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "loop_lag_p99_ms": round(lag[int(len(lag) * 0.99)] if lag else 0.0, 2),
        "loop_lag_max_ms": round(lag[-1] if lag else 0.0, 2),
    }), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
