"""The HMAC-SHA256 DRBG of RFC 6979 §3.2 (the Stark signature nonces)."""

from __future__ import annotations

import hmac
from collections.abc import Iterator


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, "sha256")


def candidate_blocks(material: bytes) -> Iterator[int]:
    """Successive 32-byte DRBG outputs (big-endian ints) seeded with x ‖ h ‖ extra data.

    The caller turns a block into a nonce and asks for the next block if it is out of range
    (steps 3.2.h.1-3 of the RFC, one block per candidate since qlen ≤ 256).
    """
    key = bytes(32)
    v = b"\x01" * 32
    key = _hmac(key, v + b"\x00" + material)
    v = _hmac(key, v)
    key = _hmac(key, v + b"\x01" + material)
    v = _hmac(key, v)
    while True:
        v = _hmac(key, v)
        yield int.from_bytes(v, "big")
        key = _hmac(key, v + b"\x00")
        v = _hmac(key, v)
