"""The venue's synchronous rejections, carrying Paradex error codes (§9)."""

from __future__ import annotations


class VenueError(Exception):
    """A request the venue refuses outright: `code` is the §9 error code."""

    def __init__(self, code: str, message: str, http_status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status

    def to_json(self) -> dict[str, object]:
        """The §9 `ApiError` body."""
        return {"error": self.code, "message": self.message, "data": None}
