"""Signature checks the server makes: onboarding, JWT requests, orders and modifies (§6.3).

Every check recomputes the StarkNet typed-data hash from what the client sent and verifies
the Stark ECDSA signature against the key registered to the account; it never compares
signatures byte for byte.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from terminal.sim.engine.errors import VenueError
from terminal.sim.inputs import felt_or_none, parse_felt, parse_int
from terminal.sim.order_fields import DEFAULT_RECV_WINDOW_MS, OrderFields
from terminal.venues.paradex.crypto import signing

MAX_UNIX_S = 2**32  # seconds until 2106: any later "timestamp" is garbage
MAX_CLOCK_AHEAD_MS = DEFAULT_RECV_WINDOW_MS
"""How far in the future a signature_timestamp may lie: a skewed client clock, not more."""
MAX_AUTH_EXPIRY_S = 7 * 24 * 3600
DEFAULT_AUTH_EXPIRY_S = 30 * 60
MAX_SIGNATURE_CHARS = 200
"""`["r","s"]` with two felts of at most 77 decimal digits fits in 160 characters."""


def parse_signature(text: Any, code: str, status: int) -> tuple[int, int]:
    """`["r","s"]` with each item a felt in decimal or 0x-hex, as the venue accepts (§4.3)."""
    items: Any = None
    if isinstance(text, str) and len(text) <= MAX_SIGNATURE_CHARS:
        try:
            items = json.loads(text)
        except ValueError:
            items = None
    if isinstance(items, list) and len(items) == 2:
        r, s = felt_or_none(items[0]), felt_or_none(items[1])
        if r is not None and s is not None:
            return r, s
    raise VenueError(code, 'signature must be ["r","s"] with felts in decimal or 0x-hex', status)


def _account(headers: Mapping[str, str]) -> int:
    text = headers.get("PARADEX-STARKNET-ACCOUNT")
    if not text:
        raise VenueError("INVALID_STARKNET_ADDRESS", "missing PARADEX-STARKNET-ACCOUNT")
    return parse_felt(text, "PARADEX-STARKNET-ACCOUNT", "INVALID_STARKNET_ADDRESS")


def _header_seconds(headers: Mapping[str, str], name: str, code: str) -> int:
    return parse_int(headers.get(name, ""), name, low=0, high=MAX_UNIX_S, code=code)


class SignatureChecker:
    """Verifies every signed request for one chain and one pair of account class hashes."""

    def __init__(
        self,
        *,
        chain_id: str,
        proxy_hash: int,
        account_hash: int,
        public_key_of: Callable[[int], int | None],
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        self.chain_id = chain_id
        self.proxy_hash = proxy_hash
        self.account_hash = account_hash
        self._public_key_of = public_key_of
        self._clock_ms = clock_ms
        self._chain_int = signing.chain_id_from_name(chain_id)
        self._hashers: dict[int, signing.TypedDataHasher] = {}

    def _hasher(self, account: int) -> signing.TypedDataHasher:
        hasher = self._hashers.get(account)
        if hasher is None:
            hasher = self._hashers[account] = signing.TypedDataHasher(account, self._chain_int)
        return hasher

    def onboarding(self, headers: Mapping[str, str], body: Mapping[str, Any]) -> tuple[int, int]:
        """Check an onboarding request; return (account, public_key)."""
        account = _account(headers)
        public_key = parse_felt(body.get("public_key"), "public_key", "PUBLIC_KEY_INVALID")
        expected = signing.account_address(public_key, self.proxy_hash, self.account_hash)
        if expected != account:
            raise VenueError(
                "INVALID_STARKNET_ADDRESS",
                "account address does not match the public key's derived address",
            )
        msg_hash = self._hasher(account).onboarding_hash()
        self._verify(msg_hash, headers.get("PARADEX-STARKNET-SIGNATURE"), public_key, 401)
        return account, public_key

    def auth(self, headers: Mapping[str, str], path_key: str | None) -> int:
        """Check a `POST /auth[/{public_key}]` request; return the account."""
        account = _account(headers)
        registered = self._public_key_of(account)
        if registered is None:
            raise VenueError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
        if path_key is not None:
            key = parse_felt(path_key, "public key", "PUBLIC_KEY_INVALID")
            if key != registered:
                raise VenueError("INVALID_SUBKEY", "public key is not registered to this account")
        timestamp = _header_seconds(headers, "PARADEX-TIMESTAMP", "INVALID_TIMESTAMP")
        expiration = (
            _header_seconds(headers, "PARADEX-SIGNATURE-EXPIRATION", "INVALID_SIGNATURE_EXPIRATION")
            if headers.get("PARADEX-SIGNATURE-EXPIRATION")
            else timestamp + DEFAULT_AUTH_EXPIRY_S
        )
        now_s = self._clock_ms() // 1000
        if expiration <= now_s:
            raise VenueError("INVALID_SIGNATURE_EXPIRATION", "signature has expired")
        if expiration - timestamp > MAX_AUTH_EXPIRY_S:
            raise VenueError("INVALID_SIGNATURE_EXPIRATION", "signature expiry exceeds one week")
        msg_hash = self._hasher(account).auth_hash(timestamp, expiration)
        self._verify(msg_hash, headers.get("PARADEX-STARKNET-SIGNATURE"), registered, 401)
        return account

    def order(
        self, account: int, fields: OrderFields, signature: Any, *, modify_id: str | None = None
    ) -> None:
        """Check an order's (or, with `modify_id`, a modify's) signature and receive window."""
        registered = self._public_key_of(account)
        if registered is None:
            raise VenueError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
        hasher = self._hasher(account)
        signed: dict[str, Any] = {
            "market": fields.market,
            "side": fields.side,
            "order_type": fields.order_type,
            "size": fields.size,
            "price": fields.price,
            "timestamp_ms": fields.timestamp_ms,
        }
        try:
            if modify_id is None:
                msg_hash = hasher.order_hash(**signed)
            else:
                msg_hash = hasher.modify_hash(**signed, order_id=modify_id)
        except signing.TypedDataError as exc:
            raise VenueError("VALIDATION_ERROR", f"cannot hash the order: {exc}") from exc
        self._verify(msg_hash, signature, registered, 400, "INVALID_ORDER_SIGNATURE")
        now_ms = self._clock_ms()
        if now_ms > fields.timestamp_ms + fields.recv_window_ms:
            raise VenueError("INVALID_TIMESTAMP", "signature_timestamp is outside recv_window")
        if fields.timestamp_ms > now_ms + MAX_CLOCK_AHEAD_MS:
            raise VenueError("INVALID_TIMESTAMP", "signature_timestamp is in the future")

    @staticmethod
    def _verify(
        msg_hash: int,
        signature: Any,
        public_key: int,
        status: int,
        code: str = "STARKNET_SIGNATURE_VERIFICATION_FAILED",
    ) -> None:
        malformed = code if code == "INVALID_ORDER_SIGNATURE" else "INVALID_STARKNET_SIGNATURE"
        r, s = parse_signature(signature, malformed, status)
        if not signing.verify(msg_hash, (r, s), public_key):
            raise VenueError(code, "signature verification failed", status)
