"""Dropping a flooding user's updates before python-telegram-bot parses them.

Parsing a batch of 100 updates into objects takes the event loop tens of milliseconds; when
most of a batch comes from one user who has already been told to slow down, everyone else's
replies wait for that. This wrapper around the getUpdates transport looks at the raw JSON and
leaves such updates out. python-telegram-bot confirms a batch by the id of its last update, so
if that one is dropped, a bare `{"update_id": N}` stub stands in for it: the offset moves on
and Telegram does not send the dropped updates again. Only silenced users (see
`UserThrottle.is_silenced`) are touched.

Two things keep a flood from costing everyone else a round trip of python-telegram-bot's:
a batch that was filtered is parsed once (python-telegram-bot is handed the parsed answer, not
bytes to parse again), and a batch that was nothing but a silenced user's is not handed on at
all — the next batch is asked for at once, its offset confirming the dropped one, so an update
from someone else queued behind 100 flood updates arrives without waiting for the library's
polling loop to come round.
"""

from __future__ import annotations

import json
import time
from typing import Any

from telegram.request import BaseRequest, RequestData
from telegram._utils.types import JSONDict

from bot.telegram.limits.throttle import UserThrottle
from bot.telegram.read_ahead import RequestWrapper, with_offset

MAX_REFETCHES = 10  # batches of nothing but dropped updates skipped in one call


def sender_id(update: dict[str, Any]) -> int | None:
    for key, value in update.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return sender["id"]
    return None


class FloodFilter(RequestWrapper):
    def __init__(self, inner: BaseRequest, throttle: UserThrottle) -> None:
        super().__init__(inner)
        self.throttle = throttle
        self.dropped = 0
        self._parsed: tuple[bytes, JSONDict] | None = None  # the last filtered answer, parsed

    async def call(self, url: str, method: str, request_data: RequestData | None, timeouts: dict) -> tuple[int, bytes]:
        status, body = await self.inner.do_request(url, method, request_data, **timeouts)
        if status != 200 or not url.endswith("/getUpdates") or not self.throttle.anyone_silenced:
            return status, body
        for _ in range(MAX_REFETCHES):
            filtered = self._filter(body)
            if filtered is None:
                return status, body  # nothing left out
            payload, stub_only = filtered
            if not stub_only:
                break
            # only a silenced user's updates: ask for the next batch now, confirming these
            again = await self.inner.do_request(
                url, method, with_offset(request_data, payload["result"][-1]["update_id"] + 1), **timeouts)
            if again[0] != 200:
                break  # (the stub still carries the offset forward)
            status, body = again
        else:
            return status, body
        encoded = json.dumps(payload).encode()
        self._parsed = (encoded, payload)
        return status, encoded

    def parse_json_payload(self, payload: bytes) -> JSONDict:  # type: ignore[override]
        """The answer `_filter` already parsed is handed on as it is, not parsed again."""
        parsed, self._parsed = self._parsed, None
        if parsed is not None and parsed[0] is payload:
            return parsed[1]
        return BaseRequest.parse_json_payload(payload)

    def _filter(self, body: bytes) -> tuple[JSONDict, bool] | None:
        """The answer without silenced users' updates and whether only a stub is left; None
        when nothing was left out (or the answer is not what getUpdates returns)."""
        try:
            payload = json.loads(body)
            updates = payload["result"]
        except (ValueError, KeyError, TypeError):
            return None
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
            return None
        self.dropped += dropped
        payload["result"] = kept
        return payload, dropped == len(updates)

