"""Update delivery: getUpdates long polling and the webhook switch that excludes it.

getUpdates behaves like Telegram's: ``offset`` confirms (drops) older updates, ``limit`` caps
the batch, ``allowed_updates`` changes which *future* updates are stored, and with
``timeout > 0`` an empty queue holds the request until an update arrives or the timeout ends.
A newer getUpdates terminates a held one with 409, as does setWebhook; while a webhook is set,
getUpdates itself is a 409.
"""

from __future__ import annotations

import ipaddress
import time
from urllib.parse import urlsplit
from typing import Any

from .errors import ApiError, bad_request, conflict
from .models import Reply
from .state import World

UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "guest_message", "message_reaction",
        "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query",
        "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
        "my_chat_member", "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
        "managed_bot",
    }
)  # fmt: skip


class PollSuperseded(ApiError):
    """409 for a held getUpdates that a newer request replaced.

    The HTTP layer gives the client a moment to have hung up (python-telegram-bot cancels its
    long poll on shutdown and immediately sends a short confirming getUpdates); only if it is
    still listening is this a real conflict worth reporting.
    """

    def __init__(self, by: str) -> None:
        if by == "getUpdates":
            reason = (
                "terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        else:
            reason = f"terminated by {by} request"
        super().__init__(409, f"Conflict: {reason}")


def _allowed_updates(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request("can't parse allowed updates")
    return [item for item in value if item in UPDATE_TYPES]


async def get_updates(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    with world.lock:
        if world.webhook["url"]:
            raise conflict(
                "can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
        if "allowed_updates" in params:
            world.allowed_updates = _allowed_updates(params["allowed_updates"])
    limit = params.get("limit", 100)
    limit = 100 if not 1 <= limit <= 100 else limit
    deadline = time.monotonic() + max(float(params.get("timeout", 0)), 0.0)

    poll = world.begin_poll()
    try:
        world.confirm(params.get("offset", 0))
        while True:
            if poll.superseded_by:
                raise PollSuperseded(poll.superseded_by)
            with world.lock:
                # A shallow copy: queued updates are never changed, only confirmed and dropped,
                # and the answer is serialised at once (deep copies here slowed benchmarks).
                batch = world.updates[:limit]
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or world.closing:
                return batch
            await world.signal.wait(remaining)
    finally:
        world.end_poll(poll)


WEBHOOK_PORTS = (80, 88, 443, 8443)


def set_webhook(world: World, params: dict[str, Any]) -> Reply:
    url = params["url"]
    if url:
        _check_webhook_url(world, url)
    with world.lock:
        if params.get("drop_pending_updates"):
            world.updates.clear()
        if "allowed_updates" in params:
            world.allowed_updates = _allowed_updates(params["allowed_updates"])
        was = world.webhook["url"]
        world.webhook = {"url": url, **{k: v for k, v in params.items() if k != "url"}}
    if url:
        world.supersede_poll("setWebhook")
    if not url:
        return Reply(True, "Webhook was deleted" if was else "Webhook is already deleted")
    return Reply(True, "Webhook is already set" if was == url else "Webhook was set")


def _check_webhook_url(world: World, url: str) -> None:
    """Telegram posts only to public HTTPS URLs on four ports; a local Bot API server
    (`telegram-bot-api --local`) also to plain HTTP, any port and local addresses."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if world.local_server:
        return
    if parts.scheme.lower() != "https":
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    try:
        port = parts.port or 443
    except ValueError:
        raise bad_request("bad webhook: Wrong port number specified in the URL") from None
    if port not in WEBHOOK_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    host = parts.hostname
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if host.lower() == "localhost" or (address is not None and not address.is_global):
        raise bad_request(f"bad webhook: IP address {'127.0.0.1' if address is None else host} is reserved")


def delete_webhook(world: World, params: dict[str, Any]) -> Reply:
    with world.lock:
        was = world.webhook["url"]
        world.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            world.updates.clear()
    return Reply(True, "Webhook was deleted" if was else "Webhook is already deleted")


def get_webhook_info(world: World, params: dict[str, Any]) -> dict[str, Any]:
    with world.lock:
        info: dict[str, Any] = {
            "url": world.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(world.updates),
        }
        if world.webhook["url"]:
            info["max_connections"] = world.webhook.get("max_connections", 40)
            info["ip_address"] = world.webhook.get("ip_address", "127.0.0.1")
        if world.allowed_updates:
            info["allowed_updates"] = list(world.allowed_updates)
        return info


HANDLERS = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
