"""Random messages: our hashes equal starknet-py's (the reference) exactly, and our signatures
verify with its verifier (they are not its signatures: PROTOCOL §3, different nonces)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from starknet_py.hash.utils import private_to_stark_key, verify_message_signature
from starknet_py.utils.typed_data import TypedData

from terminal.venues.paradex.crypto.signing import ParadexSigner, verify
from terminal.venues.paradex.crypto.stark_params import N

_DOMAIN_TYPE = [
    {"name": "name", "type": "felt"},
    {"name": "chainId", "type": "felt"},
    {"name": "version", "type": "felt"},
]
_ORDER_FIELDS = ["timestamp", "market", "side", "orderType", "size", "price"]

markets = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ-", min_size=1, max_size=31)
order_types = st.sampled_from(["LIMIT", "MARKET", "STOP_LIMIT", "STOP_MARKET", "TAKE_PROFIT_LIMIT"])
amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("1e9"), places=10)
chains = st.sampled_from(["PRIVATE_SN_PARACLEAR_MAINNET", "PRIVATE_SN_PARACLEAR_TESTNET", "X"])


def _reference_hash(
    message: dict[str, str], primary: str, chain: str, account: int, extra: list[str]
) -> int:
    fields = [{"name": n, "type": "felt"} for n in [*_ORDER_FIELDS, *extra]]
    typed = {
        "domain": {
            "name": "Paradex",
            "chainId": hex(int.from_bytes(chain.encode())),
            "version": "1",
        },
        "primaryType": primary,
        "types": {"StarkNetDomain": _DOMAIN_TYPE, primary: fields},
        "message": message,
    }
    return TypedData.from_dict(typed).message_hash(account)


def _wire_message(order: dict[str, Any]) -> dict[str, str]:
    price = "0" if order["order_type"] == "MARKET" else str(int(order["price"].scaleb(8)))
    return {
        "timestamp": str(order["timestamp_ms"]),
        "market": order["market"],
        "side": "1" if order["side"] == "BUY" else "2",
        "orderType": order["order_type"],
        "size": str(int(order["size"].scaleb(8))),
        "price": price,
    }


orders = st.fixed_dictionaries(
    {
        "market": markets,
        "side": st.sampled_from(["BUY", "SELL"]),
        "order_type": order_types,
        "size": amounts,
        "price": amounts,
        "timestamp_ms": st.integers(min_value=0, max_value=2**63),
    }
)


@settings(max_examples=6, deadline=None)
@given(
    order=orders,
    private_key=st.integers(min_value=1, max_value=N - 1),
    account=st.integers(min_value=0, max_value=2**251 - 1),
    chain=chains,
)
def test_order_hash_matches_and_signature_verifies_with_starknet_py(
    order: dict[str, Any], private_key: int, account: int, chain: str
) -> None:
    signer = ParadexSigner(private_key, account, int.from_bytes(chain.encode()))
    expected = _reference_hash(_wire_message(order), "Order", chain, account, [])
    assert signer.order_hash(**order) == expected
    signature = signer.sign_order(**order)
    assert signer.sign_order(**order) == signature
    assert signer.public_key == private_to_stark_key(private_key)
    assert verify_message_signature(expected, list(signature), signer.public_key)
    assert verify(expected, signature, signer.public_key)


@settings(max_examples=4, deadline=None)
@given(order=orders, order_id=st.integers(min_value=0, max_value=10**30), chain=chains)
def test_modify_hash_matches_starknet_py(order: dict[str, Any], order_id: int, chain: str) -> None:
    account = 0x694F953C15CCED926DCB0BB50FC08133509950C8D163BA34C81127246EB08CD
    signer = ParadexSigner(12345, account, int.from_bytes(chain.encode()))
    message = {**_wire_message(order), "id": str(order_id)}
    expected = _reference_hash(message, "ModifyOrder", chain, account, ["id"])
    assert signer.modify_hash(**order, order_id=str(order_id)) == expected
