"""The REST transport: one keep-alive `httpx.AsyncClient` per venue, errors, retries.

Idempotent calls (GET, DELETE) back off and retry on 429, 5xx and network failures,
honouring `Retry-After` / `x-ratelimit-reset` (a header that is neither a number of
seconds nor an HTTP date counts as absent). Non-idempotent calls (order POST/PUT) are
retried only on 429 and 401 — both mean the venue did not process the request — and
otherwise surface `TransportError` / `ServerError` to the caller at once, never resent
once the outcome is ambiguous: the caller reconciles by client id (see `orders`).
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import math
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

import httpx
import msgspec

from terminal.venues.backoff import Backoff
from terminal.venues.paradex.errors import (
    BadResponse,
    ParadexError,
    RateLimited,
    TransportError,
    error_from_response,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Query = Mapping[str, str | int | None]
Sleep = Callable[[float], Awaitable[None]]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class TokenSource(Protocol):
    """Where the transport gets the bearer JWT for private calls (see `auth.JwtManager`)."""

    async def token(self) -> str:
        """A valid JWT, fetched or refreshed as needed."""
        ...

    def invalidate(self, token: str) -> None:
        """Forget `token` (the venue answered 401 to it)."""
        ...


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context (system certificates via certifi) for every client: building
    one took ~0.3 s on a busy machine, twice per log-in, on the UI thread."""
    return httpx.create_ssl_context()


_NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
"""For plain-http (loopback) clients, which never use TLS: httpx wants a context, and the
verifying one costs ~50 ms of certificate loading on the UI thread at start-up. This one
trusts no certificate at all (verification on, no CA loaded), so it could never be used to
talk TLS without verifying."""


def context_for(scheme: str) -> ssl.SSLContext:
    """The TLS context a client of a `scheme` URL gets: the verifying one for https."""
    return tls_context() if scheme == "https" else _NO_TLS


class RestTransport:
    """Sends requests to one venue's REST base URL (ending in `/v1`) and maps errors.

    `transport` replaces the network (tests pass `httpx.MockTransport`); `sleep` and `rng`
    replace the backoff's waiting and jitter. TLS verification is always on for https.
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff_initial: float = 0.25,
        backoff_max: float = 8.0,
        max_wait: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
            raise ValueError(f"refusing plain {parts.scheme!r} to a non-loopback host")
        self.base_url = base_url.rstrip("/")
        self.tokens: TokenSource | None = None
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            verify=context_for(parts.scheme),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"Accept": "application/json"},
        )
        self._max_retries = max_retries
        self._backoff = (backoff_initial, backoff_max)
        self._max_wait = max_wait
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._wall_clock = wall_clock

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def get(
        self, path: str, type_: type[T], *, params: Query | None = None, auth: bool = False
    ) -> T:
        """GET `path` and decode the answer into `type_` (retried when it fails)."""
        return decode(await self.send("GET", path, params=params, auth=auth), type_)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Query | None = None,
        body: object = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = False,
        idempotent: bool = True,
    ) -> bytes:
        """Send one request; return the answer's body, or raise the venue's error."""
        content = None if body is None else msgspec.json.encode(body)
        all_headers = dict(headers or {})
        if content is not None:
            all_headers["Content-Type"] = "application/json"
        query = {k: v for k, v in (params or {}).items() if v is not None}
        backoff = Backoff(*self._backoff, rng=self._rng)
        reauthed = False
        while True:
            token = await self.tokens.token() if auth and self.tokens else None
            if token is not None:
                all_headers["Authorization"] = f"Bearer {token}"
            try:
                response = await self._client.request(
                    method, path, params=query, content=content, headers=all_headers
                )
            except httpx.TransportError as exc:
                failure = TransportError(type(exc).__name__, str(exc) or repr(exc))
                if not idempotent or backoff.attempt >= self._max_retries:
                    raise failure from exc
                await self._wait(failure, backoff.next())
                continue
            if response.status_code < 400:
                return response.content
            if response.status_code == 401 and token is not None and not reauthed:
                assert self.tokens is not None
                self.tokens.invalidate(token)
                reauthed = True
                continue
            error = error_from_response(
                response.status_code, response.content, retry_after=self._retry_after(response)
            )
            retryable = response.status_code == 429 or (idempotent and response.status_code >= 500)
            if not retryable or backoff.attempt >= self._max_retries:
                raise error
            wait = backoff.next()
            if isinstance(error, RateLimited) and error.retry_after is not None:
                wait = error.retry_after
            if wait > self._max_wait:
                raise error
            await self._wait(error, wait)

    async def _wait(self, error: ParadexError, seconds: float) -> None:
        log.warning("%s; retrying in %.2f s", error, seconds)
        await self._sleep(seconds)

    def _retry_after(self, response: httpx.Response) -> float | None:
        """The wait the venue asked for: `Retry-After` (seconds or a date), else the reset."""
        text = response.headers.get("retry-after")
        if text:
            wait = _seconds(text)
            if wait is None:
                wait = _until(text, self._wall_clock())
            if wait is not None:
                return wait
        reset = response.headers.get("x-ratelimit-reset")
        if reset and response.status_code == 429:
            when = _seconds(reset)
            return None if when is None else max(0.0, when - self._wall_clock())
        return None


def _seconds(text: str) -> float | None:
    """A finite, non-negative number of seconds, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    # "nan" and "inf" parse as floats; neither is a wait anyone can honour.
    return max(0.0, value) if math.isfinite(value) else None


def _until(http_date: str, now: float) -> float | None:
    """Seconds from `now` to an HTTP date, or None if `http_date` is not one."""
    try:
        when = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when.timestamp() - now)


def decode(content: bytes, type_: type[T]) -> T:
    """Decode a venue answer into `type_`; a malformed one raises `BadResponse`."""
    try:
        return msgspec.json.decode(content, type=type_)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise BadResponse(f"unexpected answer: {exc}") from exc
