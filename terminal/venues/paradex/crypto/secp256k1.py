"""The r of a deterministic secp256k1 ECDSA signature, all that Stark key derivation needs.

Small on purpose: it runs once per login and replaces a dependency (eth-keys) that the
terminal does not otherwise ship. The nonce is RFC 6979 (HMAC-SHA256) as eth-keys and
libsecp256k1 derive it, so r equals theirs.
"""

from __future__ import annotations

from terminal.venues.paradex.crypto.rfc6979 import candidate_blocks

P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
GENERATOR = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)

_Point = tuple[int, int] | None


class Secp256k1KeyError(ValueError):
    """An Ethereum private key is outside [1, N)."""


def _add(a: _Point, b: _Point) -> _Point:
    if a is None:
        return b
    if b is None:
        return a
    (x1, y1), (x2, y2) = a, b
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return None
        slope = 3 * x1 * x1 * pow(2 * y1, -1, P) % P
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (slope * slope - x1 - x2) % P
    return x3, (slope * (x1 - x3) - y1) % P


def _multiply_generator(k: int) -> _Point:
    acc: _Point = None
    addend: _Point = GENERATOR
    while k:
        if k & 1:
            acc = _add(acc, addend)
        addend = _add(addend, addend)
        k >>= 1
    return acc


def rfc6979_nonce(private_key: int, digest: bytes) -> int:
    """The RFC 6979 nonce for a 32-byte digest (h reduced mod N as the RFC says)."""
    h = int.from_bytes(digest, "big") % N
    material = private_key.to_bytes(32, "big") + h.to_bytes(32, "big")
    for k in candidate_blocks(material):
        if 0 < k < N:
            return k
    raise AssertionError("unreachable: the DRBG never ends")


def signature_r(private_key: int, digest: bytes) -> int:
    """r of the deterministic ECDSA signature of a 32-byte digest."""
    if not 0 < private_key < N:
        raise Secp256k1KeyError("Ethereum private key out of range")
    point = _multiply_generator(rfc6979_nonce(private_key, digest))
    assert point is not None  # k is in [1, N) and N is the group order
    return point[0] % N
