"""Paradex request and order signing: the public surface of the StarkNet crypto.

A `ParadexSigner` holds one Stark private key and signs the typed-data messages of
PROTOCOL §4.2; `TypedDataHasher` recomputes the same hashes without a key, and `verify`
checks a signature, for the embedded exchange. The message hashes equal paradex-py's /
starknet-py's bit for bit. The signatures are starknet-crypto's (`stark_ecdsa`):
deterministic and valid for any Stark ECDSA verifier, but not starknet-py's bit for bit,
because its RFC 6979 nonce takes extra data (seed 32) and starknet-crypto's takes none.
Paradex verifies signatures; it never compares them (PROTOCOL §3).
"""

from __future__ import annotations

import json
from typing import Unpack

from terminal.venues.paradex.crypto.keys import (
    account_address,
    generate_private_key,
    stark_key_from_eth_key,
)
from terminal.venues.paradex.crypto.stark_ecdsa import (
    InvalidPrivateKeyError,
    MessageHashRangeError,
    SigningError,
    public_key_of,
    sign,
)
from terminal.venues.paradex.crypto.stark_ecdsa import verify as _verify
from terminal.venues.paradex.crypto.stark_params import N
from terminal.venues.paradex.crypto.typed_data import (
    ModifyFields,
    OrderFields,
    TypedDataError,
    TypedDataHasher,
    short_string,
)

__all__ = [
    "InvalidPrivateKeyError",
    "MessageHashRangeError",
    "ModifyFields",
    "OrderFields",
    "ParadexSigner",
    "SignatureFormatError",
    "SigningError",
    "TypedDataError",
    "TypedDataHasher",
    "account_address",
    "chain_id_from_name",
    "format_signature",
    "generate_private_key",
    "parse_signature",
    "public_key_from_private",
    "stark_key_from_eth_key",
    "verify",
]

Signature = tuple[int, int]


class SignatureFormatError(ValueError):
    """A signature string is not `["<r>","<s>"]` with two decimal integers."""


def chain_id_from_name(name: str) -> int:
    """The chain id integer of a `starknet_chain_id` name such as PRIVATE_SN_PARACLEAR_MAINNET."""
    return short_string(name)


def public_key_from_private(private_key: int) -> int:
    """The Stark public key (x coordinate) of a private key, reduced mod the curve order.

    Raises InvalidPrivateKeyError for a key that is zero mod the order.
    """
    return public_key_of(private_key)


def verify(msg_hash: int, signature: Signature, public_key: int) -> bool:
    """True if signature is a valid Stark ECDSA signature of msg_hash by public_key."""
    r, s = signature
    return _verify(msg_hash, r, s, public_key)


def format_signature(sig: Signature) -> str:
    """The wire form `["r","s"]`: a JSON array of two decimal strings, no spaces."""
    r, s = sig
    return f'["{r}","{s}"]'


def parse_signature(text: str) -> Signature:
    """Parse the wire form `["r","s"]` (decimal strings); raise SignatureFormatError."""
    try:
        items = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise SignatureFormatError("signature is not JSON") from exc
    if not isinstance(items, list) or len(items) != 2:
        raise SignatureFormatError("signature must be a JSON array of two strings")
    values: list[int] = []
    for item in items:
        if not (isinstance(item, str) and item.isascii() and item.isdecimal()):
            raise SignatureFormatError("signature items must be decimal strings")
        values.append(int(item))
    return values[0], values[1]


class ParadexSigner:
    """Signs Paradex typed-data messages for one account with one Stark private key.

    The key is kept only in a private slot: it never appears in repr, str or errors.
    Raises InvalidPrivateKeyError for a key that is zero mod the curve order.
    """

    __slots__ = ("_hasher", "_private_key", "_public_key")

    def __init__(self, private_key: int, account: int, chain_id: int) -> None:
        self._private_key = private_key % N
        self._public_key = public_key_of(self._private_key)
        self._hasher = TypedDataHasher(account, chain_id)

    def __repr__(self) -> str:
        return (
            f"ParadexSigner(account={self.account:#x}, public_key={self._public_key:#x}, "
            f"chain_id={self.chain_id:#x})"
        )

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the key wherever the pickle goes.
        raise TypeError("ParadexSigner cannot be pickled")

    @property
    def public_key(self) -> int:
        """The Stark public key (x coordinate)."""
        return self._public_key

    @property
    def account(self) -> int:
        """The L2 account address the messages are bound to (the main account for subkeys)."""
        return self._hasher.account

    @property
    def chain_id(self) -> int:
        """The StarkNet chain id integer."""
        return self._hasher.chain_id

    @property
    def hasher(self) -> TypedDataHasher:
        """The key-less hasher this signer uses."""
        return self._hasher

    def _sign(self, msg_hash: int) -> Signature:
        return sign(msg_hash, self._private_key)

    def order_hash(self, **order: Unpack[OrderFields]) -> int:
        """Message hash of a new order (see `TypedDataHasher.order_hash`)."""
        return self._hasher.order_hash(**order)

    def sign_order(self, **order: Unpack[OrderFields]) -> Signature:
        """Signature (r, s) of a new order; timestamp_ms is the body's signature_timestamp."""
        return self._sign(self._hasher.order_hash(**order))

    def modify_hash(self, **modify: Unpack[ModifyFields]) -> int:
        """Message hash of an order modification."""
        return self._hasher.modify_hash(**modify)

    def sign_modify(self, **modify: Unpack[ModifyFields]) -> Signature:
        """Signature (r, s) of an order modification."""
        return self._sign(self._hasher.modify_hash(**modify))

    def auth_hash(self, timestamp: int, expiration: int) -> int:
        """Message hash of the JWT request (unix seconds)."""
        return self._hasher.auth_hash(timestamp, expiration)

    def sign_auth(self, timestamp: int, expiration: int) -> Signature:
        """Signature (r, s) for the PARADEX-STARKNET-SIGNATURE header of POST /auth."""
        return self._sign(self.auth_hash(timestamp, expiration))

    def onboarding_hash(self) -> int:
        """Message hash of the onboarding constant."""
        return self._hasher.onboarding_hash()

    def sign_onboarding(self) -> Signature:
        """Signature (r, s) for POST /onboarding."""
        return self._sign(self.onboarding_hash())
