"""Stark ECDSA: deterministic signing (RFC 6979 as starknet-crypto does it) and verification."""

from __future__ import annotations

from functools import lru_cache

from terminal.venues.paradex.crypto.rfc6979 import candidate_blocks
from terminal.venues.paradex.crypto.stark_curve import (
    Affine,
    FixedBaseTable,
    Jacobian,
    N,
    NotOnCurveError,
    P,
    add_affine,
    batch_to_affine,
    generator_table,
    multiply_windowed,
    small_multiples,
    to_affine_x,
    y_from_x,
)

# Stark ECDSA works on 251-bit values: message hashes, r and w = s⁻¹ must be below this.
ELEMENT_BOUND = 2**251
DEFAULT_SEED = 32
# Per-key combs are ≈ 1k points (≈ 0.2 MB); the exchange verifies a few active accounts.
_KEY_CACHE_SIZE = 32
_KEY_WINDOW = 4
_COMB_AFTER_USES = 8


class InvalidPrivateKeyError(ValueError):
    """A private key is zero modulo the curve order."""


class MessageHashRangeError(ValueError):
    """A message hash to sign is not below 2^251."""


def generate_k(msg_hash: int, private_key: int, seed: int | None = DEFAULT_SEED) -> int:
    """The RFC 6979 nonce of starknet-crypto's `rfc6979_generate_k` (HMAC-SHA256, k = block >> 4).

    The seed is the RFC's extra data, as minimal big-endian bytes (32 → 0x20).
    """
    extra = b"" if seed is None else seed.to_bytes((seed.bit_length() + 7) // 8, "big")
    material = private_key.to_bytes(32, "big") + msg_hash.to_bytes(32, "big") + extra
    # Unlike textbook RFC 6979, h is not reduced mod N and k keeps the top 252 bits.
    for block in candidate_blocks(material):
        k = block >> 4
        if 0 < k < N:
            return k
    raise AssertionError("unreachable: the DRBG never ends")


def public_key_of(private_key: int) -> int:
    """The Stark public key (x of private_key·G) of a private key in [1, N)."""
    x = to_affine_x(generator_table().multiply(private_key))
    if x is None:
        raise InvalidPrivateKeyError("private key is zero modulo the curve order")
    return x


def sign(msg_hash: int, private_key: int) -> tuple[int, int]:
    """Sign a message hash; (r, s) equal starknet-py's `message_signature(msg_hash, key)`."""
    if not 0 <= msg_hash < ELEMENT_BOUND:
        raise MessageHashRangeError("message hash must be below 2^251")
    seed = DEFAULT_SEED
    table = generator_table()
    while True:
        k = generate_k(msg_hash, private_key, seed)
        # cairo-lang's rule for a rejected nonce: try again with the next seed.
        seed += 1
        r = to_affine_x(table.multiply(k))
        if r is None or not 1 <= r < ELEMENT_BOUND:
            continue
        t = (msg_hash + r * private_key) % N
        if t == 0:
            continue
        w = k * pow(t, -1, N) % N
        if not 1 <= w < ELEMENT_BOUND:
            continue
        return r, t * pow(k, -1, N) % N


class _KeyMultiplier:
    """u·Q for one public key: windowed at first, a comb once the key proves busy.

    A comb costs ≈ 60 windowed products to build, so only keys that keep signing
    (an exchange account placing orders) earn one; a key seen once costs ≈ 1 ms.
    """

    __slots__ = ("_comb", "_multiples", "_point", "_uses")

    def __init__(self, point: Affine) -> None:
        self._point = point
        self._multiples = small_multiples(point, 16)
        self._comb: FixedBaseTable | None = None
        self._uses = 0

    def multiply(self, k: int) -> Jacobian:
        if self._comb is not None:
            return self._comb.multiply(k)
        self._uses += 1
        if self._uses >= _COMB_AFTER_USES:
            self._comb = FixedBaseTable(self._point, _KEY_WINDOW)
        return multiply_windowed(k, self._multiples)


@lru_cache(maxsize=_KEY_CACHE_SIZE)
def _key_multiplier(public_key: int) -> _KeyMultiplier | None:
    if not 0 <= public_key < P:
        return None
    try:
        y = y_from_x(public_key)
    except NotOnCurveError:
        return None
    return _KeyMultiplier((public_key, y))


def verify(msg_hash: int, r: int, s: int, public_key: int) -> bool:
    """True if (r, s) signs msg_hash for the key whose x coordinate is public_key.

    Only x is known, so both points (x, ±y) are tried, as cairo-lang's `verify` does.
    """
    if not (0 <= msg_hash < ELEMENT_BOUND and 1 <= r < ELEMENT_BOUND and 1 <= s < N):
        return False
    w = pow(s, -1, N)
    if not 1 <= w < ELEMENT_BOUND:
        return False
    multiplier = _key_multiplier(public_key)
    if multiplier is None:
        return False
    u1_g = generator_table().multiply(msg_hash * w % N)
    u2_q = multiplier.multiply(r * w % N)
    if u2_q[2] == 0:
        return False
    qx, qy = batch_to_affine([u2_q])[0]
    for candidate in (add_affine(u1_g, (qx, qy)), add_affine(u1_g, (qx, P - qy))):
        x, _, z = candidate
        if z != 0 and x == r * z * z % P:
            return True
    return False
