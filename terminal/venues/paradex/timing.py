"""A signer wrapper that remembers how long the last order signature took."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Unpack

from terminal.venues.paradex.crypto.typed_data import ModifyFields, OrderFields
from terminal.venues.paradex.http.auth import Signer


class TimedSigner:
    """Delegates to a signer; `last_order_ms` is the duration of the latest order signature."""

    __slots__ = ("_inner", "last_order_ms")

    def __init__(self, inner: Signer) -> None:
        self._inner = inner
        self.last_order_ms = 0.0

    def __repr__(self) -> str:
        return f"TimedSigner({self._inner!r})"

    @property
    def public_key(self) -> int:
        """The signing key's Stark public key."""
        return self._inner.public_key

    @property
    def account(self) -> int:
        """The L2 account address."""
        return self._inner.account

    def sign_auth(self, timestamp: int, expiration: int) -> tuple[int, int]:
        """Sign the `Request` message of `POST /auth`."""
        return self._inner.sign_auth(timestamp, expiration)

    def sign_onboarding(self) -> tuple[int, int]:
        """Sign the onboarding constant."""
        return self._inner.sign_onboarding()

    def sign_order(self, **order: Unpack[OrderFields]) -> tuple[int, int]:
        """Sign an order, timing it."""
        return self._timed(lambda: self._inner.sign_order(**order))

    def sign_modify(self, **modify: Unpack[ModifyFields]) -> tuple[int, int]:
        """Sign a modify, timing it."""
        return self._timed(lambda: self._inner.sign_modify(**modify))

    def _timed(self, sign: Callable[[], tuple[int, int]]) -> tuple[int, int]:
        start = time.perf_counter()
        try:
            return sign()
        finally:
            self.last_order_ms = (time.perf_counter() - start) * 1000
