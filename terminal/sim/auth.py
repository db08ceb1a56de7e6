"""Signature checks the server makes: onboarding, JWT requests, orders and modifies (§6.3).

Every check recomputes the StarkNet typed-data hash from what the client sent and verifies
the Stark ECDSA signature against the key registered to the account; it never compares
signatures byte for byte.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from terminal.sim.engine.errors import VenueError
from terminal.venues.paradex.crypto import signing

DEFAULT_RECV_WINDOW_MS = 300_000
MAX_AUTH_EXPIRY_S = 7 * 24 * 3600
DEFAULT_AUTH_EXPIRY_S = 30 * 60
_SIDES = frozenset({"BUY", "SELL"})


def _parse_sig(text: Any) -> tuple[int, int]:
    if not isinstance(text, str):
        raise signing.SignatureFormatError("signature must be a string")
    return signing.parse_signature(text)


def _felt(text: str | None, name: str) -> int:
    if not text:
        raise VenueError("INVALID_STARKNET_ADDRESS", f"missing {name}")
    try:
        return int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError as exc:
        raise VenueError("INVALID_STARKNET_ADDRESS", f"{name} is not a felt") from exc


def _decimal(value: Any, field: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        result = Decimal(str(value))
    except InvalidOperation as exc:
        raise VenueError("VALIDATION_ERROR", f"{field} is not a decimal: {value!r}") from exc
    if not result.is_finite():
        raise VenueError("VALIDATION_ERROR", f"{field} is not a finite decimal")
    return result


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
        account = _felt(headers.get("PARADEX-STARKNET-ACCOUNT"), "PARADEX-STARKNET-ACCOUNT")
        public_key = _felt(body.get("public_key"), "public_key")
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
        account = _felt(headers.get("PARADEX-STARKNET-ACCOUNT"), "PARADEX-STARKNET-ACCOUNT")
        registered = self._public_key_of(account)
        if registered is None:
            raise VenueError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
        if path_key is not None and _felt(path_key, "public key") != registered:
            raise VenueError("INVALID_SUBKEY", "public key is not registered to this account")
        try:
            timestamp = int(headers.get("PARADEX-TIMESTAMP", ""))
        except ValueError as exc:
            raise VenueError("INVALID_TIMESTAMP", "PARADEX-TIMESTAMP must be unix seconds") from exc
        raw_exp = headers.get("PARADEX-SIGNATURE-EXPIRATION")
        try:
            expiration = int(raw_exp) if raw_exp else timestamp + DEFAULT_AUTH_EXPIRY_S
        except ValueError as exc:
            raise VenueError(
                "INVALID_SIGNATURE_EXPIRATION", "expiration must be unix seconds"
            ) from exc
        now_s = self._clock_ms() // 1000
        if expiration <= now_s:
            raise VenueError("INVALID_SIGNATURE_EXPIRATION", "signature has expired")
        if expiration - timestamp > MAX_AUTH_EXPIRY_S:
            raise VenueError("INVALID_SIGNATURE_EXPIRATION", "signature expiry exceeds one week")
        msg_hash = self._hasher(account).auth_hash(timestamp, expiration)
        self._verify(msg_hash, headers.get("PARADEX-STARKNET-SIGNATURE"), registered, 401)
        return account

    def order(self, account: int, body: Mapping[str, Any], *, modify_id: str | None = None) -> None:
        """Check an order (or, with `modify_id`, a modify) body's signature and recv_window."""
        side = body.get("side")
        order_type = body.get("type")
        market = body.get("market")
        if side not in _SIDES or not isinstance(order_type, str) or not isinstance(market, str):
            raise VenueError("VALIDATION_ERROR", "market, side (BUY/SELL) and type are required")
        try:
            sig_ts = int(body["signature_timestamp"])
        except (KeyError, TypeError, ValueError) as exc:
            raise VenueError("INVALID_TIMESTAMP", "signature_timestamp (ms) is required") from exc
        registered = self._public_key_of(account)
        if registered is None:
            raise VenueError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
        fields: dict[str, Any] = {
            "market": market,
            "side": side,
            "order_type": order_type,
            "size": _decimal(body.get("size"), "size"),
            "price": _decimal(body.get("price"), "price"),
            "timestamp_ms": sig_ts,
        }
        hasher = self._hasher(account)
        try:
            if modify_id is None:
                msg_hash = hasher.order_hash(**fields)
            else:
                msg_hash = hasher.modify_hash(**fields, order_id=modify_id)
        except signing.TypedDataError as exc:
            raise VenueError("VALIDATION_ERROR", f"cannot hash the order: {exc}") from exc
        self._verify(msg_hash, body.get("signature"), registered, 400, "INVALID_ORDER_SIGNATURE")
        recv_window = body.get("recv_window") or DEFAULT_RECV_WINDOW_MS
        if not isinstance(recv_window, int) or recv_window < 10:
            raise VenueError("VALIDATION_ERROR", "recv_window must be an integer ≥ 10 ms")
        if self._clock_ms() > sig_ts + recv_window:
            raise VenueError("INVALID_TIMESTAMP", "signature_timestamp is outside recv_window")

    @staticmethod
    def _verify(
        msg_hash: int,
        signature: Any,
        public_key: int,
        status: int,
        code: str = "STARKNET_SIGNATURE_VERIFICATION_FAILED",
    ) -> None:
        try:
            r, s = _parse_sig(signature)
        except (ValueError, TypeError) as exc:
            malformed = code if code == "INVALID_ORDER_SIGNATURE" else "INVALID_STARKNET_SIGNATURE"
            raise VenueError(malformed, "signature is not [r,s]", status) from exc
        if not signing.verify(msg_hash, (r, s), public_key):
            raise VenueError(code, "signature verification failed", status)
