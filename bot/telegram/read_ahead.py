"""Asking for the next batch of updates the moment a full one arrives.

Telegram hands out at most `limit` (100) updates per getUpdates and refuses two getUpdates at
once (409 Conflict), so updates queued behind a full batch wait for the next call.
python-telegram-bot makes that call only after it has parsed the batch into objects and queued
each update (and the flood filter, `limits/flood_filter.py`, looks at the batch before that):
a millisecond or more in which the next batch could already be on its way. This wrapper around
the getUpdates transport sends the next request — offset one past the full batch's last
update_id, which confirms it — as soon as the full answer's bytes are in, before anything
parses them, and hands its answer to the next call that asks for exactly that.

Still only one getUpdates at a time: the read-ahead goes out after the answer before it came
back, and a call that asks for something else (another offset; the library's short confirming
call when polling stops) first cancels it, as does `shutdown`. The full batch is confirmed a
moment earlier than the library would have confirmed it, but both confirm before any update of
it is handled, so nothing that was safe before is at risk now. An answer that is not full, or
that cannot be read, is left alone: the library polls as it always did.
"""

from __future__ import annotations

import asyncio
import json
import re

from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

DEFAULT_LIMIT = 100  # Telegram's, when getUpdates names none
_UPDATE_ID = re.compile(rb'"update_id"\s*:\s*(\d+)')


def next_offset_if_full(body: bytes, limit: int) -> int | None:
    """One past the last update_id of a getUpdates answer holding `limit` updates; None if it
    holds fewer. Read from the bytes: only an Update has an `update_id` key, and inside a JSON
    string a quote is always escaped, so `"update_id"` occurs once per update and nowhere else."""
    if body.count(b'"update_id"') < limit:
        return None
    match = _UPDATE_ID.match(body, body.rfind(b'"update_id"'))
    return int(match.group(1)) + 1 if match else None


def with_offset(request_data: RequestData | None, offset: int) -> RequestData:
    """The same getUpdates parameters, asking from `offset` on."""
    parameters = [p for p in (request_data._parameters if request_data else []) if p.name != "offset"]  # noqa: SLF001
    return RequestData([*parameters, RequestParameter.from_input("offset", offset)])


class RequestWrapper(BaseRequest):
    """A transport around another (`inner`): what it does not change is passed on. Subclasses
    override `call`, which gets the four timeouts as one dict."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=BaseRequest.DEFAULT_NONE, write_timeout=BaseRequest.DEFAULT_NONE,
                         connect_timeout=BaseRequest.DEFAULT_NONE, pool_timeout=BaseRequest.DEFAULT_NONE,
                         ) -> tuple[int, bytes]:
        return await self.call(url, method, request_data, {
            "read_timeout": read_timeout, "write_timeout": write_timeout,
            "connect_timeout": connect_timeout, "pool_timeout": pool_timeout})

    async def call(self, url: str, method: str, request_data: RequestData | None, timeouts: dict) -> tuple[int, bytes]:
        return await self.inner.do_request(url, method, request_data, **timeouts)


class ReadAhead(RequestWrapper):
    def __init__(self, inner: BaseRequest) -> None:
        super().__init__(inner)
        self.sent = 0  # read-aheads sent
        self.used = 0  # … whose answer a call took
        self._ahead: tuple[tuple, asyncio.Task[tuple[int, bytes]]] | None = None

    async def shutdown(self) -> None:
        await self._drop()
        await self.inner.shutdown()

    async def call(self, url: str, method: str, request_data: RequestData | None, timeouts: dict) -> tuple[int, bytes]:
        if not url.endswith("/getUpdates"):
            return await self.inner.do_request(url, method, request_data, **timeouts)
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == _call_key(url, method, request_data, timeouts):
            self.used += 1
            status, body = await ahead[1]  # its failure is this call's, as if it had made it
        else:
            if ahead is not None:
                await _cancel(ahead[1])  # never two at once
            status, body = await self.inner.do_request(url, method, request_data, **timeouts)
        if status == 200:
            limit = (request_data.parameters.get("limit") if request_data else None) or DEFAULT_LIMIT
            offset = next_offset_if_full(body, limit) if isinstance(limit, int) else None
            if offset is not None:
                self._send_ahead(url, method, with_offset(request_data, offset), timeouts)
                for _ in range(2):  # let it go out now, before the caller parses this answer:
                    await asyncio.sleep(0)  # one turn to start, one for aiohttp to write the body
        return status, body

    def _send_ahead(self, url: str, method: str, request_data: RequestData, timeouts: dict) -> None:
        task = asyncio.get_running_loop().create_task(
            self.inner.do_request(url, method, request_data, **timeouts), name="getUpdates read-ahead")
        self._ahead = (_call_key(url, method, request_data, timeouts), task)
        self.sent += 1

    async def _drop(self) -> None:
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            await _cancel(ahead[1])


def _call_key(url: str, method: str, request_data: RequestData | None, timeouts: dict) -> tuple:
    parameters = json.dumps(request_data.parameters if request_data else {}, sort_keys=True)
    return url, method, parameters, tuple(timeouts.values())


async def _cancel(task: asyncio.Task) -> None:
    """Stop a read-ahead nobody will take (its answer, if any, was not confirmed: Telegram
    sends those updates again)."""
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # the caller itself is being cancelled
    except Exception:  # noqa: BLE001 — its failure is nobody's now
        pass
