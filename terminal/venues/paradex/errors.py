"""Exceptions carrying the venue's error code and message (PROTOCOL.md §9, §11.2).

REST errors carry the `ApiError` code string (`NOT_ONBOARDED`, `INVALID_TOKEN`, ...);
WebSocket JSON-RPC errors carry the integer code. Messages are the venue's text, never
anything derived from a key.
"""

from __future__ import annotations

import msgspec

from terminal.domain.errors import (
    StreamDisconnected,
    VenueError,
    VenueOrderRejected,
    VenueOrderStatusUnknown,
    VenueRateLimited,
)


class ParadexError(VenueError):
    """Base of every Paradex error: `.code`, `.message`, `.http_status` (None off HTTP)."""


class AuthError(ParadexError):
    """Authentication failed: bad signature, expired or missing JWT (mostly HTTP 401)."""


class NotOnboarded(AuthError):
    """The account has never called `/onboarding`."""


class InvalidToken(AuthError):
    """The bearer JWT was missing, malformed or expired."""


class RateLimited(ParadexError, VenueRateLimited):
    """HTTP 429; `retry_after` is the wait the venue asked for, in seconds, if it said."""

    def __init__(
        self, code: str, message: str, http_status: int = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(code, message, http_status)
        self.retry_after = retry_after


class ServerError(ParadexError):
    """HTTP 5xx: the venue failed or timed out (503 after 30 s)."""


class TransportError(ParadexError):
    """The request never got an HTTP answer (connection refused, reset, timed out)."""


class BadResponse(ParadexError):
    """The venue answered with a success status but a body that cannot be decoded."""

    def __init__(self, message: str) -> None:
        super().__init__("BAD_RESPONSE", message)


class NotFound(ParadexError):
    """The addressed resource (market, order, ...) does not exist."""


class OrderError(ParadexError):
    """Base of the errors about one order."""


class OrderRejected(OrderError, VenueOrderRejected):
    """The venue refused the order request (signature, size, duplicate client id, ...)."""


class OrderNotFound(OrderError, NotFound):
    """No such order id / client id (or no longer open)."""


class OrderClosed(OrderError):
    """The order is already closed (or not open yet) and cannot be changed."""


class OrderStatusUnknown(OrderError, VenueOrderStatusUnknown):
    """An order request got no clear answer and a lookup by client id did not find it.

    The order may or may not exist; the caller (the trader) decides what to do next.
    """

    def __init__(self, client_id: str, message: str = "") -> None:
        super().__init__(
            "ORDER_STATUS_UNKNOWN",
            message or f"no answer for order {client_id!r} and the lookup did not find it",
        )
        self.client_id = client_id


class RpcError(ParadexError):
    """A JSON-RPC error answer on the WebSocket (`code` is the integer code)."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(code, message)
        self.data = data

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" + (f" ({self.data})" if self.data else "")


class SubscribeError(RpcError):
    """A subscribe request was refused (error ack), or is not allowed by the session."""


class WsDisconnected(ParadexError, StreamDisconnected):
    """The WebSocket is not connected, or dropped while a request was waiting."""

    def __init__(self, message: str) -> None:
        super().__init__("WS_DISCONNECTED", message)


_BY_CODE: dict[str, type[ParadexError]] = {
    "NOT_ONBOARDED": NotOnboarded,
    "INVALID_TOKEN": InvalidToken,
    "STARKNET_SIGNATURE_VERIFICATION_FAILED": AuthError,
    "INVALID_STARKNET_SIGNATURE": AuthError,
    "INVALID_SIGNATURE_EXPIRATION": AuthError,
    "INVALID_SUBKEY": AuthError,
    "UNAUTHORIZED_ERROR": AuthError,
    "ORDER_ID_NOT_FOUND": OrderNotFound,
    "CLIENT_ORDER_ID_NOT_FOUND": OrderNotFound,
    "ORDER_IS_CLOSED": OrderClosed,
    "ORDER_IS_NOT_OPEN": OrderClosed,
    "ORDER_IS_NOT_OPEN_YET": OrderClosed,
    "INVALID_ORDER_SIGNATURE": OrderRejected,
    "INVALID_ORDER_SIZE": OrderRejected,
    "INVALID_PRICE_PRECISION": OrderRejected,
    "DUPLICATED_CLIENT_ID": OrderRejected,
    "MARKET_NOT_OPEN": OrderRejected,
    "SYSTEM_STATUS_POST_ONLY": OrderRejected,
    "SYSTEM_STATUS_CANCEL_ONLY": OrderRejected,
    "BATCH_SIZE_OUT_OF_RANGE": OrderRejected,
    "NOT_FOUND": NotFound,
    "MARKET_NOT_FOUND": NotFound,
}


class _ApiError(msgspec.Struct, frozen=True):
    error: str = ""
    message: str = ""


def error_from_response(
    status: int, body: bytes, *, retry_after: float | None = None
) -> ParadexError:
    """Map an HTTP error answer (status + `ApiError` body, §9) to the specific exception."""
    try:
        api = msgspec.json.decode(body, type=_ApiError)
    except (msgspec.DecodeError, msgspec.ValidationError):
        api = _ApiError()
    code = api.error or f"HTTP_{status}"
    message = api.message or body[:200].decode("utf-8", "replace")
    if status == 429:
        return RateLimited(code, message, status, retry_after)
    if code in _BY_CODE:
        return _BY_CODE[code](code, message, status)
    if status == 401:
        return AuthError(code, message, status)
    if status >= 500:
        return ServerError(code, message, status)
    if status == 404:
        return NotFound(code, message, status)
    return ParadexError(code, message, status)
