"""Stark keys and account addresses (PROTOCOL §5.1, §5.2).

keccak (pycryptodome, ≈ 40 ms to import) is imported only when a name is hashed or an
Ethereum key is converted; nothing else at run time needs it.
"""

from __future__ import annotations

import hashlib
import secrets

from terminal.venues.paradex.crypto.ethereum import keccak256, signature_r
from terminal.venues.paradex.crypto.pedersen import compute_hash_on_elements
from terminal.venues.paradex.crypto.stark_params import N
from terminal.venues.paradex.crypto.typed_data import short_string

_CONTRACT_ADDRESS_PREFIX = short_string("STARKNET_CONTRACT_ADDRESS")
# starknet_keccak("initialize") (tests recompute it).
INITIALIZE_SELECTOR = 0x79DC0DA7C54B95F10AA182AD0A46400DB63156920ADB65ECA2654C0945A463
_ADDRESS_BOUND = 2**251 - 256
# Largest multiple of N below 2^256: keys drawn at or above it would bias `key mod N`.
_GRIND_LIMIT = 2**256 - (2**256 % N)


def starknet_keccak(text: str) -> int:
    """keccak-256 of an ASCII name, masked to 250 bits (StarkNet selectors and type hashes)."""
    return int.from_bytes(keccak256(text.encode("ascii")), "big") & (2**250 - 1)


def stark_key_eip712_digest(l1_chain_id: int) -> bytes:
    """The EIP-712 digest of `Constant{action: "STARK Key"}` on the Paradex L1 domain."""
    domain_type = keccak256(b"EIP712Domain(string name,string version,uint256 chainId)")
    domain = keccak256(
        domain_type + keccak256(b"Paradex") + keccak256(b"1") + l1_chain_id.to_bytes(32, "big")
    )
    message = keccak256(keccak256(b"Constant(string action)") + keccak256(b"STARK Key"))
    return keccak256(b"\x19\x01" + domain + message)


def _even_hex(value: int) -> str:
    digits = f"{value:x}"
    return digits if len(digits) % 2 == 0 else "0" + digits


def grind_key(seed: int) -> int:
    """StarkWare's key grinding: the first unbiased sha256(seed ‖ i), reduced mod N."""
    index = 0
    while True:
        material = bytes.fromhex(_even_hex(seed) + _even_hex(index))
        key = int.from_bytes(hashlib.sha256(material).digest(), "big")
        if key < _GRIND_LIMIT:
            return key % N
        index += 1


def stark_key_from_eth_key(eth_private_key: int, l1_chain_id: int) -> int:
    """The Paradex L2 private key derived from an Ethereum key (SDK `resolve_l2_keypair`)."""
    digest = stark_key_eip712_digest(l1_chain_id)
    return grind_key(signature_r(eth_private_key, digest))


def account_address(public_key: int, proxy_class_hash: int, account_class_hash: int) -> int:
    """The L2 account address of a Stark-key account deployed through the Paraclear proxy."""
    calldata = [account_class_hash, INITIALIZE_SELECTOR, 2, public_key, 0]
    elements = [
        _CONTRACT_ADDRESS_PREFIX,
        0,
        public_key,
        proxy_class_hash,
        compute_hash_on_elements(calldata),
    ]
    return compute_hash_on_elements(elements) % _ADDRESS_BOUND


def generate_private_key() -> int:
    """A fresh random Stark private key in [1, N)."""
    return secrets.randbelow(N - 1) + 1
