"""Every vector of PROTOCOL §12: struct, domain and message hashes and keys exactly; the published
(r, s) verify, and ours (starknet-crypto's nonce, not starknet-py's) verify everywhere."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import fast_stark_crypto
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starknet_py.hash.utils import verify_message_signature

from terminal.venues.paradex.crypto import ethereum, keys, typed_data
from terminal.venues.paradex.crypto.signing import (
    ParadexSigner,
    TypedDataHasher,
    account_address,
    chain_id_from_name,
    public_key_from_private,
    stark_key_from_eth_key,
    verify,
)

V = json.loads((Path(__file__).parent / "vectors.json").read_text())
ACCOUNT = int(V["account"], 16)
AUTH = V["auth"]
SIGNED = [
    (chain, name, *row)
    for chain, data in V["chains"].items()
    for name, row in data.get("signed", {}).items()
]


def _order_kwargs(spec: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in spec.items() if k != "kind"}
    out["size"] = Decimal(out["size"])
    out["price"] = Decimal(out["price"])
    return out


def _sign(signer: ParadexSigner, name: str) -> tuple[int, int]:
    if name == "Auth":
        return signer.sign_auth(AUTH["timestamp"], AUTH["expiration"])
    if name == "Onboarding":
        return signer.sign_onboarding()
    spec = V["messages"][name]
    if spec["kind"] == "modify":
        return signer.sign_modify(**_order_kwargs(spec))
    return signer.sign_order(**_order_kwargs(spec))


def _message_hash(hasher: TypedDataHasher | ParadexSigner, name: str) -> int:
    if name == "Auth":
        return hasher.auth_hash(AUTH["timestamp"], AUTH["expiration"])
    if name == "Onboarding":
        return hasher.onboarding_hash()
    spec = V["messages"][name]
    if spec["kind"] == "modify":
        return hasher.modify_hash(**_order_kwargs(spec))
    return hasher.order_hash(**_order_kwargs(spec))


def test_private_key_is_reduced_and_public_key_matches() -> None:
    signer = ParadexSigner(int(V["private_key_requested"], 16), ACCOUNT, 1)
    assert signer.public_key == int(V["public_key"], 16)
    assert public_key_from_private(int(V["private_key"], 16)) == int(V["public_key"], 16)
    assert public_key_from_private(int(V["private_key_requested"], 16)) == signer.public_key


def test_account_address() -> None:
    address = account_address(
        int(V["public_key"], 16),
        int(V["proxy_class_hash"], 16),
        int(V["account_class_hash"], 16),
    )
    assert address == ACCOUNT


def test_chain_struct_hashes() -> None:
    assert typed_data.auth_struct_hash(AUTH["timestamp"], AUTH["expiration"]) == int(
        V["struct_hashes"]["Auth"], 16
    )
    for name in ("O1", "O2"):
        spec = _order_kwargs(V["messages"][name])
        assert typed_data.order_struct_hash(**spec) == int(V["struct_hashes"][name], 16)


@pytest.mark.parametrize("chain", list(V["chains"]))
def test_chain_id_and_domain_hash(chain: str) -> None:
    data = V["chains"][chain]
    chain_id = chain_id_from_name(chain)
    if "chain_int" in data:
        assert chain_id == int(data["chain_int"]) == int(data["chain_hex"], 16)
    assert typed_data.domain_struct_hash(chain_id) == int(data["domain_hash"], 0)


@pytest.mark.parametrize(("chain", "name", "msg_hash", "r", "s"), SIGNED)
def test_message_hash_and_signatures(chain: str, name: str, msg_hash: str, r: str, s: str) -> None:
    chain_id = chain_id_from_name(chain)
    signer = ParadexSigner(int(V["private_key_requested"], 16), ACCOUNT, chain_id)
    expected = int(msg_hash, 16)
    assert _message_hash(TypedDataHasher(ACCOUNT, chain_id), name) == expected
    assert _message_hash(signer, name) == expected
    public_key = int(V["public_key"], 16)
    # The published (r, s) are starknet-py's (nonce seed 32): they prove the verify path.
    assert verify(expected, (int(r), int(s)), public_key)
    assert not verify(expected ^ 1, (int(r), int(s)), public_key)
    signature = _sign(signer, name)
    assert _sign(signer, name) == signature
    assert verify(expected, signature, public_key)
    assert fast_stark_crypto.verify(public_key, expected, *signature)
    assert verify_message_signature(expected, list(signature), public_key)


def test_type_hashes_are_starknet_keccak_of_their_type_strings() -> None:
    for type_string, type_hash in typed_data.TYPE_HASHES.items():
        assert keys.starknet_keccak(type_string) == type_hash
    assert keys.starknet_keccak("initialize") == keys.INITIALIZE_SELECTOR


def test_short_strings() -> None:
    assert typed_data.short_string("Paradex") == 0x50617261646578
    assert typed_data.STARKNET_MESSAGE == 110930206544689809660069706067448260453
    assert typed_data.short_string("") == 0


def test_key_derivation_from_ethereum_key() -> None:
    from eth_keys.datatypes import PrivateKey

    data = V["key_derivation"]
    eth_key = int(data["eth_private_key"], 16)
    digest = keys.stark_key_eip712_digest(data["l1_chain_id"])
    assert digest == bytes.fromhex(data["digest"][2:])
    r = ethereum.signature_r(eth_key, digest)
    assert r == int(data["r"], 16)
    assert PrivateKey(eth_key.to_bytes(32, "big")).sign_msg_hash(digest).r == r
    l2_key = stark_key_from_eth_key(eth_key, data["l1_chain_id"])
    assert l2_key == keys.grind_key(r) == int(data["l2_private_key"], 16)
    public_key = public_key_from_private(l2_key)
    assert public_key == int(data["l2_public_key"], 16)
    address = account_address(
        public_key, int(V["proxy_class_hash"], 16), int(V["account_class_hash"], 16)
    )
    assert address == int(data["l2_address"], 16)


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=ethereum.N - 1), st.binary(min_size=32, max_size=32))
def test_ethereum_r_matches_eth_keys(eth_key: int, digest: bytes) -> None:
    from eth_keys.datatypes import PrivateKey

    expected = PrivateKey(eth_key.to_bytes(32, "big")).sign_msg_hash(digest).r
    assert ethereum.signature_r(eth_key, digest) == expected


@pytest.mark.parametrize("eth_key", [0, ethereum.N])
def test_ethereum_rejects_keys_out_of_range(eth_key: int) -> None:
    with pytest.raises(ethereum.EthereumKeyError):
        stark_key_from_eth_key(eth_key, 1)


def test_ethereum_address_matches_eth_keys() -> None:
    from eth_keys.datatypes import PrivateKey

    eth_key = int(V["key_derivation"]["eth_private_key"], 16)
    expected = PrivateKey(eth_key.to_bytes(32, "big")).public_key.to_checksum_address()
    assert ethereum.address_of(eth_key) == expected
    assert ethereum.checksum_address(expected.lower()) == expected
