"""Dropping a flooding user's updates before python-telegram-bot parses them.

Parsing a batch of 100 updates into objects takes the event loop tens of milliseconds; when
most of a batch comes from one user who has already been told to slow down, everyone else's
replies wait for that. This wrapper around the getUpdates transport looks at the raw JSON and
leaves such updates out. python-telegram-bot confirms a batch by the id of its last update, so
if that one is dropped, a bare `{"update_id": N}` stub stands in for it: the offset moves on
and Telegram does not send the dropped updates again. Only silenced users (see
`UserThrottle.is_silenced`) are touched.
"""

from __future__ import annotations

import json
import time
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.telegram.limits.throttle import UserThrottle


def sender_id(update: dict[str, Any]) -> int | None:
    for key, value in update.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return sender["id"]
    return None


class FloodFilter(BaseRequest):
    def __init__(self, inner: BaseRequest, throttle: UserThrottle) -> None:
        self.inner = inner
        self.throttle = throttle
        self.dropped = 0

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
        status, body = await self.inner.do_request(
            url, method, request_data, read_timeout=read_timeout, write_timeout=write_timeout,
            connect_timeout=connect_timeout, pool_timeout=pool_timeout,
        )
        if status != 200 or not url.endswith("/getUpdates") or not self.throttle.anyone_silenced:
            return status, body
        return status, self._filter(body)

    def _filter(self, body: bytes) -> bytes:
        try:
            payload = json.loads(body)
            updates = payload["result"]
        except (ValueError, KeyError, TypeError):
            return body
        now = time.monotonic()
        kept, dropped = [], 0
        for index, update in enumerate(updates):
            user_id = sender_id(update) if isinstance(update, dict) else None
            if user_id is None or not self.throttle.is_silenced(user_id, now):
                kept.append(update)
                continue
            dropped += 1
            if index == len(updates) - 1:
                kept.append({"update_id": update["update_id"]})  # carries the offset forward
        if not dropped:
            return body  # nothing to leave out: no need to encode it again
        self.dropped += dropped
        payload["result"] = kept
        return json.dumps(payload).encode()
