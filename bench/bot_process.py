"""One bot under measurement, in a process of its own (so its peak memory is its own).

    python bench/bot_process.py KIND BASE_URL [--workdir DIR]

KIND is one of:
  full          this project's bot, as `python -m bot` builds it
  full-webhook  the same bot in webhook mode (listening on --webhook-port)
  full-delivery the same bot over a database prepared in --workdir (seeds/ and bench.db, see
                bench_delivery.py), paced at Telegram's limits × --pacing-scale; on SIGUSR1 it
                reloads the seeds (publishing what was added to them: the broadcast begins)
  ptb-constant  a minimal python-telegram-bot bot answering /energy with a constant text
  aiogram       a minimal aiogram bot answering /energy with a constant text

Prints "ready" once polling, and on SIGTERM stops cleanly and prints a JSON line with its peak
resident memory (full-delivery adds the outbox's figures and how long the publish took).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
REPLY = "Energy briefing"


WEBHOOK_SECRET = "bench-secret"


async def run_full(base_url: str, workdir: Path, stop: asyncio.Event,
                   webhook_port: int | None = None, delivery_scale: float | None = None) -> dict:
    """The full bot until `stop`. `delivery_scale`: the full-delivery kind (prepared workdir,
    pacing at Telegram's limits × that, publish on SIGUSR1); returns its extra figures."""
    from bot.app import build_application
    from bot.config import Settings
    from bot.telegram.runner import serve
    from bot.app import open_services

    seeds = workdir / "seeds"
    if delivery_scale is None or not seeds.exists():
        shutil.copytree(ROOT / "seeds", seeds, dirs_exist_ok=True)
    webhook = {}
    if webhook_port is not None:
        webhook = {"mode": "webhook", "webhook_url": "https://bench.example.org/hook",
                   "webhook_secret": WEBHOOK_SECRET, "port": webhook_port, "webhook_listen": "127.0.0.1"}
    # The emulator's flood limits are off for every bot measured, so the bot's overall cap is
    # lifted too: this measures the code path, not Telegram's 30 messages/s.
    rate = 100_000.0 if delivery_scale is None else 28.0 * delivery_scale
    settings = Settings(bot_token=TOKEN, telegram_base_url=base_url,
                        database_path=workdir / "bench.db", seeds_dir=seeds,
                        topics_file=ROOT / "config" / "topics.yaml", max_send_rate=rate, **webhook)
    services = await open_services(settings)
    extra: dict = {}
    if delivery_scale is not None:
        extra["overall_rate_limit"] = rate
        publishing: set[asyncio.Task] = set()

        async def publish() -> None:
            started = time.time()
            extra["peak_rss_before_publish_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            try:
                report = await services.intake.reload_seeds()  # queues the deliveries, wakes the sender
            except Exception as exc:  # reported in the exit line: the driver sees nothing arrive
                extra["publish_error"] = repr(exc)
                raise
            extra.update(publish_started=started, publish_seconds=round(time.time() - started, 3),
                         published=len(report.published_ids))

        def on_signal() -> None:
            task = asyncio.create_task(publish())
            publishing.add(task)
            task.add_done_callback(publishing.discard)

        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, on_signal)
    application = build_application(services, TOKEN)
    try:
        await serve(application, settings, stop, ready=lambda: print("ready", flush=True))
        if delivery_scale is not None:
            outbox = await services.outbox.stats()
            extra["outbox"] = {"pending": outbox.pending, "sent": outbox.sent, "failed": outbox.failed}
    finally:
        await services.close()
    return extra


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
    parser.add_argument("kind", choices=("full", "full-webhook", "full-delivery", "ptb-constant", "aiogram"))
    parser.add_argument("base_url")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-bot"))
    parser.add_argument("--webhook-port", type=int, help="for full-webhook: where to listen")
    parser.add_argument("--profile", help="write cProfile stats of the event-loop thread here on exit")
    parser.add_argument("--pacing-scale", type=float, default=10.0,
                        help="for full-delivery: the bot's pacing limits × this (default 10)")
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
    extra: dict = {}
    if args.kind.startswith("full"):
        args.workdir.mkdir(parents=True, exist_ok=True)
        port = args.webhook_port if args.kind == "full-webhook" else None
        scale = args.pacing_scale if args.kind == "full-delivery" else None
        extra = await run_full(args.base_url, args.workdir, stop, port, scale)
    elif args.kind == "ptb-constant":
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
        **extra,  # only full-delivery has any: the other kinds' line is read as a Burst
    }), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
