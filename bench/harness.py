"""Shared benchmark plumbing: the emulator and the bot each in a process of their own.

Three processes, as in production: the bot, "Telegram" (the emulator, flood limits off unless
asked), and this driver, which asks the emulator to queue a burst of messages from many users
at once and to say when every one of them has had a reply.

This project's bot runs as `python -m bot`, configured by environment variables only (as a
deployment is: `bot_env`), with its working folder a fresh temporary one and its log written to
`bot.log` there. The reference bots run from `bench/bot_process.py`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
WEBHOOK_SECRET = "bench-secret"
# The settings every benchmark gives the bot: the overall cap lifted, as behind a local Bot API
# server, because the emulator's flood limits are off (the bot's own pacing per chat stays).
LIFTED = {"MAX_SEND_RATE": "100000"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Emulator:
    base_url: str
    control_url: str


@dataclass(frozen=True)
class Burst:
    chats: int
    seconds: float
    latencies_ms: list[float]
    refused: int
    peak_rss_mb: float = 0.0
    loop_lag_p99_ms: float = 0.0
    loop_lag_max_ms: float = 0.0

    @property
    def rate(self) -> float:
        return self.chats / self.seconds

    def percentile(self, p: float) -> float:
        values = self.latencies_ms
        return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


async def _start(*args: str) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, stdout=asyncio.subprocess.PIPE
    )
    line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
    if line.strip() != b"ready":
        process.kill()
        raise RuntimeError(f"{args[0]} did not start: {line!r}")
    return process


@asynccontextmanager
async def emulator_process(flood_scale: float | None = None, paid_rate: float | None = None) -> AsyncIterator[Emulator]:
    """The emulator; flood limits off, or (`flood_scale`) on with every free rate and burst ×
    that and paid broadcasts at `paid_rate` (default Telegram's 1000/s)."""
    port, control = free_port(), free_port()
    args = ["--port", str(port), "--control-port", str(control)]
    if flood_scale is not None:
        args += ["--flood-scale", str(flood_scale)]
    if paid_rate is not None:
        args += ["--paid-rate", str(paid_rate)]
    process = await _start(str(BENCH / "emulator_process.py"), *args)
    try:
        yield Emulator(f"http://127.0.0.1:{port}/bot", f"http://127.0.0.1:{control}")
    finally:
        process.terminate()
        await process.wait()


async def control(emulator: Emulator, action: str, body: dict) -> dict:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=900)) as session:
        async with session.post(f"{emulator.control_url}/{action}", json=body) as response:
            return await response.json()


async def burst(emulator: Emulator, chats: int, text: str = "/energy", webhook: dict | None = None) -> Burst:
    data = await control(emulator, "burst", {"chats": chats, "text": text, "webhook": webhook})
    return Burst(chats, data["seconds"], data["latencies_ms"], data["refused"])


def bot_env(emulator: Emulator, workdir: Path, settings: dict[str, str]) -> dict[str, str]:
    """The environment `python -m bot` gets: the emulator's address, a database and a copy of
    the seeds in `workdir`, and `settings` (names as in config/.env.example)."""
    return {
        "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": emulator.base_url,
        "DATABASE_PATH": str(workdir / "bench.db"), "SEEDS_DIR": str(workdir / "seeds"),
        "TOPICS_FILE": str(ROOT / "config" / "topics.yaml"), **settings,
    }  # fmt: skip


def peak_rss_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


@asynccontextmanager
async def python_m_bot(
    emulator: Emulator, workdir: Path, settings: dict[str, str], profile: str | None = None
) -> AsyncIterator[tuple[asyncio.subprocess.Process, dict]]:
    """`python -m bot` in `workdir` (seeds copied there unless present) with `settings`, until
    the emulator has seen it poll or set its webhook; yields (the process; its stats after it
    stopped: peak memory). `profile`: py-spy records the bot into this SVG meanwhile."""
    if not (workdir / "seeds").exists():
        shutil.copytree(ROOT / "seeds", workdir / "seeds")
    stats: dict = {}
    log = open(workdir / "bot.log", "wb")  # noqa: SIM115 — closed below, after the process
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=bot_env(emulator, workdir, settings), cwd=workdir,
        stdout=log, stderr=asyncio.subprocess.STDOUT,
    )
    spy = None
    try:
        await control(emulator, "ready", {})
        if bot.returncode is not None:
            raise RuntimeError(f"python -m bot exited: {(workdir / 'bot.log').read_text()[-2000:]}")
        if profile:
            spy = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(bot.pid), "--output", profile,
                "--rate", "200", "--nonblocking", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )
        yield bot, stats
    finally:
        stats["peak_rss_mb"] = peak_rss_mb(bot.pid)
        if bot.returncode is None:
            bot.terminate()
        stats["exit_status"] = await bot.wait()
        if spy is not None:
            await spy.wait()  # py-spy writes its file when the process it watches ends
        log.close()


@asynccontextmanager
async def bot_process(kind: str, emulator: Emulator, settings: dict[str, str] | None = None,
                      ) -> AsyncIterator[tuple[dict | None, dict]]:
    """A bot process against `emulator`; yields (its webhook, if any; its stats, after exit).
    `full` and `full-webhook` are `python -m bot` with LIFTED and `settings` (webhook: MODE=webhook
    on a free port); the others are the reference bots of bench/bot_process.py."""
    with tempfile.TemporaryDirectory() as tmp:
        if kind in ("full", "full-webhook"):
            env = {**LIFTED, **(settings or {})}
            webhook = None
            if kind == "full-webhook":
                port = free_port()
                # the URL Telegram is told (the emulator takes it as given); the driver posts
                # the updates to where the bot listens, as Telegram's edge would
                env.update(MODE="webhook", WEBHOOK_URL="https://bench.example.org/hook",
                           WEBHOOK_SECRET=WEBHOOK_SECRET, PORT=str(port), WEBHOOK_LISTEN="127.0.0.1")
                webhook = {"url": f"http://127.0.0.1:{port}/hook", "secret": WEBHOOK_SECRET}
            async with python_m_bot(emulator, Path(tmp), env) as (_bot, stats):
                yield webhook, stats
            return
        stats: dict = {}
        bot = await _start(str(BENCH / "bot_process.py"), kind, emulator.base_url)
        try:
            yield None, stats
        finally:
            bot.terminate()
            out, _ = await bot.communicate()
            stats.update(json.loads(out.decode().strip().splitlines()[-1]))


async def measure(kind: str, chats: int, warmup: int = 50, settings: dict[str, str] | None = None) -> Burst:
    """A fresh emulator and bot process; a warm-up burst, then the timed one."""
    async with emulator_process() as emulator:
        async with bot_process(kind, emulator, settings) as (webhook, stats):
            await burst(emulator, warmup, webhook=webhook)
            result = await burst(emulator, chats, webhook=webhook)
    known = {k: v for k, v in stats.items() if k in ("peak_rss_mb", "loop_lag_p99_ms", "loop_lag_max_ms")}
    return Burst(result.chats, result.seconds, result.latencies_ms, result.refused, **known)
