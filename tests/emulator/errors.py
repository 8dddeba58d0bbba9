"""The one way a method refuses a request: raise :class:`ApiError`.

The HTTP layer turns it into Telegram's error envelope
``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}`` with the same HTTP
status, so handlers never build error responses themselves.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error exactly as Telegram would report it."""

    def __init__(
        self,
        error_code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """400 with Telegram's ``Bad Request: `` prefix."""
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    return ApiError(403, f"Forbidden: {reason}")


def conflict(reason: str) -> ApiError:
    return ApiError(409, f"Conflict: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def not_implemented(method: str) -> ApiError:
    """A real Bot API method the emulator has not learned yet (tests should notice)."""
    return bad_request(f"emulator does not implement {method}")


#: What ``fail_next`` says when the test does not choose a description.
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
