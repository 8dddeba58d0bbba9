"""Shared benchmark plumbing: the emulator and the bot each in a process of their own.

Three processes, as in production: the bot, "Telegram" (the emulator, flood limits off), and
this driver, which asks the emulator to queue a burst of messages from many users at once and
to say when every one of them has had a reply.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

BENCH = Path(__file__).resolve().parent


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
async def emulator_process(flood_scale: float | None = None) -> AsyncIterator[Emulator]:
    """The emulator; flood limits off, or (`flood_scale`) on with every rate and burst × that."""
    port, control = free_port(), free_port()
    args = ["--port", str(port), "--control-port", str(control)]
    if flood_scale is not None:
        args += ["--flood-scale", str(flood_scale)]
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


@asynccontextmanager
async def bot_process(kind: str, emulator: Emulator) -> AsyncIterator[tuple[dict | None, dict]]:
    """A bot process against `emulator`; yields (its webhook, if any; its stats, after exit)."""
    stats: dict = {}
    with tempfile.TemporaryDirectory() as workdir:
        args = [str(BENCH / "bot_process.py"), kind, emulator.base_url, "--workdir", workdir]
        webhook = None
        if kind == "full-webhook":
            port = free_port()
            args += ["--webhook-port", str(port)]
            webhook = {"url": f"http://127.0.0.1:{port}/hook", "secret": "bench-secret"}
        bot = await _start(*args)
        try:
            yield webhook, stats
        finally:
            bot.terminate()
            out, _ = await bot.communicate()
            stats.update(json.loads(out.decode().strip().splitlines()[-1]))


@asynccontextmanager
async def delivery_bot_process(
    emulator: Emulator, workdir: Path, pacing_scale: float, profile: str | None = None
) -> AsyncIterator[tuple[asyncio.subprocess.Process, dict]]:
    """The full bot over a database prepared in `workdir` (full-delivery kind); yields (the
    process, to signal SIGUSR1 = publish what was added to the seeds; its stats, after exit).
    `profile`: a file for the bot's cProfile stats."""
    stats: dict = {}
    args = ["--workdir", str(workdir), "--pacing-scale", str(pacing_scale)]
    if profile:
        args += ["--profile", profile]
    bot = await _start(str(BENCH / "bot_process.py"), "full-delivery", emulator.base_url, *args)
    try:
        yield bot, stats
    finally:
        bot.terminate()
        out, _ = await bot.communicate()
        stats.update(json.loads(out.decode().strip().splitlines()[-1]))


async def measure(kind: str, chats: int, warmup: int = 50) -> Burst:
    """A fresh emulator and bot process; a warm-up burst, then the timed one."""
    async with emulator_process() as emulator:
        async with bot_process(kind, emulator) as (webhook, stats):
            await burst(emulator, warmup, webhook=webhook)
            result = await burst(emulator, chats, webhook=webhook)
    return Burst(result.chats, result.seconds, result.latencies_ms, result.refused, **stats)
