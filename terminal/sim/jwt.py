"""JWTs the simulator mints and checks: HS256 with a random per-process secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from terminal.sim.engine.errors import VenueError

JWT_TTL_S = 300
"""Paradex access tokens live five minutes and cannot be extended."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Claims:
    """What a verified token says: whose it is, until when, and whether it is retail."""

    account: int
    exp: int
    interactive: bool


class JwtIssuer:
    """Mints and verifies bearer tokens; the clock is injectable so tests can expire them."""

    def __init__(self, *, ttl_s: int = JWT_TTL_S, clock: Callable[[], float] = time.time) -> None:
        self._secret = os.urandom(32)
        self.ttl_s = ttl_s
        self.clock = clock

    def mint(self, account: int, *, interactive: bool = False) -> str:
        """A signed token for `account` with `exp` = iat + ttl."""
        iat = int(self.clock())
        claims = {
            "typ": "at+JWT",
            "iat": iat,
            "exp": iat + self.ttl_s,
            "iss": "Paradex sim",
            "sub": hex(account),
            "token_usage": "interactive" if interactive else "trading",
        }
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{head}.{body}.{self._sign(f'{head}.{body}')}"

    def verify(self, token: str) -> Claims:
        """The claims of a valid, unexpired token; VenueError INVALID_TOKEN (401) otherwise."""
        try:
            head, body, sig = token.split(".")
            if not hmac.compare_digest(sig, self._sign(f"{head}.{body}")):
                raise ValueError("bad signature")
            claims = json.loads(_unb64(body))
            account = int(claims["sub"], 16)
            exp = int(claims["exp"])
            interactive = claims.get("token_usage") == "interactive"
        except (ValueError, KeyError, TypeError) as exc:
            raise VenueError("INVALID_TOKEN", "invalid bearer jwt: malformed token", 401) from exc
        if self.clock() >= exp:
            raise VenueError("INVALID_TOKEN", "invalid bearer jwt: token is expired", 401)
        return Claims(account, exp, interactive)

    def verify_header(self, authorization: str | None) -> Claims:
        """Verify an `Authorization: Bearer <jwt>` header value."""
        if not authorization:
            raise VenueError(
                "INVALID_TOKEN", "invalid bearer jwt: missing value in request header", 401
            )
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise VenueError("INVALID_TOKEN", "invalid bearer jwt: expected Bearer scheme", 401)
        return self.verify(token.strip())

    def _sign(self, signing_input: str) -> str:
        return _b64(hmac.new(self._secret, signing_input.encode(), hashlib.sha256).digest())
