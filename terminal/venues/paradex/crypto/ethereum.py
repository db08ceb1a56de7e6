"""The Ethereum (L1) side of a Paradex key: the EIP-712 signature r and the L1 address.

Signing uses libsecp256k1 through `coincurve`: constant time and RFC 6979 nonces, on a key
that controls L1 funds. `coincurve` (and pycryptodome's keccak) load only when an
Ethereum key is actually converted; nothing else at run time needs them.
"""

from __future__ import annotations

# The secp256k1 group order: valid private keys are in [1, N).
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


class EthereumKeyError(ValueError):
    """An Ethereum private key is outside [1, N)."""


def keccak256(data: bytes) -> bytes:
    """Ethereum's keccak-256 (not NIST SHA3-256)."""
    from Crypto.Hash import keccak

    return keccak.new(data=data, digest_bits=256).digest()


def _secret(private_key: int) -> bytes:
    if not 0 < private_key < N:
        raise EthereumKeyError("Ethereum private key out of range")
    return private_key.to_bytes(32, "big")


def signature_r(private_key: int, digest: bytes) -> int:
    """r of the deterministic ECDSA signature (r ‖ s ‖ v) of a 32-byte digest."""
    from coincurve import PrivateKey

    signature = PrivateKey(_secret(private_key)).sign_recoverable(digest, hasher=None)
    return int.from_bytes(signature[:32], "big")


def address_of(private_key: int) -> str:
    """The EIP-55 checksummed L1 address of an Ethereum private key."""
    from coincurve import PrivateKey

    point = PrivateKey(_secret(private_key)).public_key.format(compressed=False)
    return checksum_address(keccak256(point[1:])[-20:].hex())


def checksum_address(hex_address: str) -> str:
    """EIP-55 mixed-case form of a 40-digit hex address (with or without 0x)."""
    digits = hex_address.lower().removeprefix("0x")
    nibbles = keccak256(digits.encode("ascii")).hex()[: len(digits)]
    mixed = (c.upper() if int(n, 16) >= 8 else c for c, n in zip(digits, nibbles, strict=True))
    return "0x" + "".join(mixed)
