"""Shared benchmark plumbing: the emulator in its own process, and timed bursts through it."""

from __future__ import annotations

import asyncio
import socket
import statistics
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

EMULATOR = Path(__file__).resolve().parent / "emulator_process.py"
TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


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

    @property
    def rate(self) -> float:
        return self.chats / self.seconds

    def percentile(self, p: float) -> float:
        values = self.latencies_ms
        return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


@asynccontextmanager
async def emulator_process() -> AsyncIterator[Emulator]:
    port, control = free_port(), free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(EMULATOR), "--port", str(port), "--control-port", str(control),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        if line.strip() != b"ready":
            raise RuntimeError(f"emulator did not start: {line!r}")
        yield Emulator(f"http://127.0.0.1:{port}/bot", f"http://127.0.0.1:{control}")
    finally:
        process.terminate()
        await process.wait()


async def burst(emulator: Emulator, chats: int, text: str = "/energy") -> Burst:
    timeout = aiohttp.ClientTimeout(total=900)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.post(f"{emulator.control_url}/burst", json={"chats": chats, "text": text}) as response:
            data = await response.json()
    return Burst(chats, data["seconds"], data["latencies_ms"], data["refused"])


Runner = Callable[[object, asyncio.Event], Awaitable[None]]


async def measure(start_bot: Callable[[Emulator], Awaitable[tuple[object, Runner, Callable[[], Awaitable[None]]]]],
                  chats: int, warmup: int = 50) -> Burst:
    """Start a bot against a fresh emulator process, warm it up, time one burst of `chats`."""
    async with emulator_process() as emulator:
        application, run, cleanup = await start_bot(emulator)
        stop = asyncio.Event()
        task = asyncio.create_task(run(application, stop))
        try:
            for _ in range(200):
                if getattr(application, "running", False) or task.done():
                    break
                await asyncio.sleep(0.05)
            if task.done():
                task.result()
            await burst(emulator, warmup)
            return await burst(emulator, chats)
        finally:
            stop.set()
            await task
            await cleanup()


def median_rate(bursts: list[Burst]) -> float:
    return statistics.median(b.rate for b in bursts)
