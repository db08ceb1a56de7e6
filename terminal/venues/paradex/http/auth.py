"""Authentication: the JWT lifecycle (§6) and the clock offset to the venue.

A JWT lives 5 minutes and cannot be extended. `JwtManager` fetches one with a signed
`POST /auth/{public_key}`, onboards the account once if the venue says `NOT_ONBOARDED`,
and refreshes at 60 % of the token's life (3 of 5 minutes), so a cancel-all never waits
for an auth round-trip. Signature timestamps use `ServerClock`, the local clock corrected
by the offset measured from `GET /system/time`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Protocol

from terminal.venues.paradex.crypto.signing import format_signature
from terminal.venues.paradex.errors import NotOnboarded
from terminal.venues.paradex.http.transport import RestTransport, decode
from terminal.venues.paradex.schemas.private import JwtResp

log = logging.getLogger(__name__)

REFRESH_FRACTION = 0.6
"""Refresh when this share of the token's life has passed (3 min of 5)."""
FALLBACK_LIFETIME = 300.0
"""Assumed lifetime of a token whose `exp` cannot be read (§6.2: 5 minutes)."""
SIGNATURE_TTL = 30 * 60
"""`PARADEX-SIGNATURE-EXPIRATION` offset: the venue's default (30 min)."""


class Signer(Protocol):
    """What the client needs from `signing.ParadexSigner`."""

    @property
    def public_key(self) -> int:
        """The signing key's Stark public key."""
        ...

    @property
    def account(self) -> int:
        """The L2 account address (the main account for a subkey)."""
        ...

    def sign_auth(self, timestamp: int, expiration: int) -> tuple[int, int]:
        """Sign the `Request` message of `POST /auth`."""
        ...

    def sign_onboarding(self) -> tuple[int, int]:
        """Sign `Constant{action: "Onboarding"}`."""
        ...

    def sign_order(
        self,
        *,
        market: str,
        side: str,
        order_type: str,
        size: Decimal,
        price: Decimal,
        timestamp_ms: int,
    ) -> tuple[int, int]:
        """Sign a new order."""
        ...

    def sign_modify(
        self,
        *,
        market: str,
        side: str,
        order_type: str,
        size: Decimal,
        price: Decimal,
        timestamp_ms: int,
        order_id: str,
    ) -> tuple[int, int]:
        """Sign an order modification."""
        ...


class ServerClock:
    """The local wall clock corrected by the measured offset to the venue's clock."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self.skew_ms = 0

    def now(self) -> float:
        """Venue time, seconds since the epoch."""
        return self._wall() + self.skew_ms / 1000

    def now_ms(self) -> int:
        """Venue time, milliseconds since the epoch (signature timestamps)."""
        return int(self._wall() * 1000) + self.skew_ms

    async def sync(self, server_time_ms: Callable[[], Awaitable[int]]) -> int:
        """Measure the offset with one round-trip (server time vs the local midpoint)."""
        before = self._wall()
        server = await server_time_ms()
        after = self._wall()
        self.skew_ms = server - round((before + after) * 500)
        log.info(
            "venue clock offset %d ms (round-trip %.0f ms)", self.skew_ms, (after - before) * 1e3
        )
        return self.skew_ms


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim (unix seconds) of a JWT, read without verifying; None if unreadable.

    Only a JSON number (not a string, not true) that is finite counts: an `exp` of NaN
    (which Python's json reads) would make every token due at once, a log-in a second.
    """
    try:
        payload = token.split(".")[1]
        exp = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]
    except (IndexError, ValueError, KeyError, TypeError):
        return None
    if isinstance(exp, bool) or not isinstance(exp, int | float) or not math.isfinite(exp):
        return None
    return float(exp)


class JwtManager:
    """Holds the account's JWT: fetches, onboards once if needed, refreshes early.

    `interactive` asks for a retail token (`token_usage=interactive`, §6.2);
    `ethereum_account` goes in the onboarding header when the account has an L1 address.
    """

    def __init__(
        self,
        http: RestTransport,
        signer: Signer,
        clock: ServerClock,
        *,
        interactive: bool = False,
        ethereum_account: str | None = None,
    ) -> None:
        self._http = http
        self._signer = signer
        self._clock = clock
        self._interactive = interactive
        self._ethereum_account = ethereum_account
        self._token: str | None = None
        self._refresh_at = 0.0
        self.expires_at = 0.0
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"JwtManager(account={hex(self._signer.account)}, expires_at={self.expires_at})"

    @property
    def refresh_at(self) -> float:
        """When (venue time, unix seconds) the current token gets replaced."""
        return self._refresh_at

    def current(self) -> str | None:
        """The held JWT while it is before its refresh time (no I/O), else None."""
        if self._token is not None and self._clock.now() < self._refresh_at:
            return self._token
        return None

    async def token(self) -> str:
        """A valid JWT; fetches a new one if none is held or the refresh time has come."""
        if self._token is not None and self._clock.now() < self._refresh_at:
            return self._token
        async with self._lock:
            # Another caller may have refreshed while this one waited for the lock.
            if self._token is not None and self._clock.now() < self._refresh_at:
                return self._token
            return await self._fetch()

    def invalidate(self, token: str) -> None:
        """Drop `token` (the venue refused it) so the next `token()` fetches a new one."""
        if token == self._token:
            self._token = None

    async def refresh_forever(self) -> None:
        """Keep the token fresh in the background (run under the task supervisor)."""
        while True:
            await self.token()
            await asyncio.sleep(max(1.0, self._refresh_at - self._clock.now()))

    async def _fetch(self) -> str:
        try:
            token = await self._authenticate()
        except NotOnboarded:
            log.info("account %s is not onboarded; onboarding", hex(self._signer.account))
            await self.onboard()
            token = await self._authenticate()
        now = self._clock.now()
        exp = jwt_expiry(token)
        self.expires_at = exp if exp is not None else now + FALLBACK_LIFETIME
        self._refresh_at = now + REFRESH_FRACTION * max(0.0, self.expires_at - now)
        self._token = token
        return token

    async def _authenticate(self) -> str:
        timestamp = int(self._clock.now())
        expiration = timestamp + SIGNATURE_TTL
        signature = format_signature(self._signer.sign_auth(timestamp, expiration))
        headers = {
            "PARADEX-STARKNET-ACCOUNT": hex(self._signer.account),
            "PARADEX-STARKNET-SIGNATURE": signature,
            "PARADEX-TIMESTAMP": str(timestamp),
            "PARADEX-SIGNATURE-EXPIRATION": str(expiration),
        }
        params = {"token_usage": "interactive"} if self._interactive else None
        body = await self._http.send(
            "POST", f"/auth/{hex(self._signer.public_key)}", params=params, headers=headers
        )
        return decode(body, JwtResp).jwt_token

    async def onboard(self) -> None:
        """Register the account's public key with the venue (`POST /onboarding`, idempotent)."""
        headers = {
            "PARADEX-STARKNET-ACCOUNT": hex(self._signer.account),
            "PARADEX-STARKNET-SIGNATURE": format_signature(self._signer.sign_onboarding()),
        }
        if self._ethereum_account:
            headers["PARADEX-ETHEREUM-ACCOUNT"] = self._ethereum_account
        await self._http.send(
            "POST",
            "/onboarding",
            body={"public_key": hex(self._signer.public_key)},
            headers=headers,
        )
