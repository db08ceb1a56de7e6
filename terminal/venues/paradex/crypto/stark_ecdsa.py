"""Stark ECDSA through starknet-crypto (starknet-rs), via the fast-stark-crypto wheel.

Everything that touches a private key (public key, nonce, signature) runs in the library,
under the house rule: no hand-written crypto on a secret when a well-kept library does it.
(starknet-crypto itself promises no constant-time execution; it is native code, widely
used and tested against cairo-lang, in place of our pure-Python big-int arithmetic.)
Its RFC 6979 nonce takes no extra data where starknet-py's takes seed 32, so signatures
are deterministic and valid but differ from starknet-py's; the venue verifies, it does not
compare. The binding panics (a BaseException) on inputs the library calls invalid, so every
call here checks its inputs first.
"""

from __future__ import annotations

from functools import lru_cache

from fast_stark_crypto.fast_stark_crypto import (
    rs_get_public_key,
    rs_sign_message,
    rs_verify_signature,
)

from terminal.venues.paradex.crypto.stark_params import BETA, ELEMENT_BOUND, N, P

# The exchange verifies a few active accounts; an on-curve check costs ≈ 0.2 ms.
_CURVE_CHECK_CACHE = 64


class InvalidPrivateKeyError(ValueError):
    """A private key is zero modulo the curve order."""


class MessageHashRangeError(ValueError):
    """A message hash to sign is not below 2^251."""


class SigningError(RuntimeError):
    """The library refused to sign."""


def _reduced(private_key: int) -> int:
    key = private_key % N
    if key == 0:
        raise InvalidPrivateKeyError("private key is zero modulo the curve order")
    return key


def public_key_of(private_key: int) -> int:
    """The Stark public key (x of key·G) of a private key, taken mod N."""
    return int(rs_get_public_key(hex(_reduced(private_key))))


def sign(msg_hash: int, private_key: int) -> tuple[int, int]:
    """Sign a message hash below 2^251 with a private key (taken mod N); deterministic."""
    if not 0 <= msg_hash < ELEMENT_BOUND:
        raise MessageHashRangeError("message hash must be below 2^251")
    key = _reduced(private_key)
    try:
        r, s = rs_sign_message(hex(key), hex(msg_hash))
    except ValueError:
        # The library's messages may quote its inputs: keep the key out of errors and logs.
        raise SigningError("starknet-crypto refused to sign the message hash") from None
    return int(r), int(s)


@lru_cache(maxsize=_CURVE_CHECK_CACHE)
def _is_curve_abscissa(x: int) -> bool:
    # Euler's criterion on x³ + x + β; never 0, as the odd-order group has no point y = 0.
    return pow((x * x * x + x + BETA) % P, (P - 1) // 2, P) == 1


def verify(msg_hash: int, r: int, s: int, public_key: int) -> bool:
    """True if (r, s) signs msg_hash for the key whose x coordinate is public_key.

    Inputs the library would refuse (out of range, or a key off the curve) are not valid
    signatures here: False, not an exception.
    """
    if not (0 <= msg_hash < ELEMENT_BOUND and 1 <= r < ELEMENT_BOUND and 1 <= s < N):
        return False
    if pow(s, -1, N) >= ELEMENT_BOUND:
        return False
    if not (0 <= public_key < P and _is_curve_abscissa(public_key)):
        return False
    return bool(rs_verify_signature(hex(public_key), hex(msg_hash), hex(r), hex(s)))
