"""Bot API errors, worded and coded the way api.telegram.org answers them."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An unsuccessful answer: `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body

    @classmethod
    def bad_request(cls, detail: str) -> ApiError:
        return cls(400, f"Bad Request: {detail}")

    @classmethod
    def unauthorized(cls) -> ApiError:
        return cls(401, "Unauthorized")

    @classmethod
    def forbidden(cls, detail: str) -> ApiError:
        return cls(403, f"Forbidden: {detail}")

    @classmethod
    def not_found(cls) -> ApiError:
        return cls(404, "Not Found")

    @classmethod
    def conflict(cls, detail: str) -> ApiError:
        return cls(409, f"Conflict: {detail}")

    @classmethod
    def too_many_requests(cls, retry_after: int) -> ApiError:
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    @classmethod
    def server_error(cls) -> ApiError:
        return cls(500, "Internal Server Error")


class DropConnection(Exception):
    """The server closes the connection without answering, as a request lost in the network."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"drop after {delay}s")
        self.delay = delay


CHAT_NOT_FOUND = "chat not found"
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
BLOCKED = "bot was blocked by the user"
