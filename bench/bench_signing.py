"""Order signing, verification and import cost against starknet-py, measured in one run."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bench.report import emit

_PRIVATE_KEY = 0x234567890ABCDCD1234567890ABCDEFA332319CFADC698AD56711F5351F3391
_ACCOUNT = 0x694F953C15CCED926DCB0BB50FC08133509950C8D163BA34C81127246EB08CD
_CHAIN = "PRIVATE_SN_PARACLEAR_TESTNET"


def _order(i: int) -> dict[str, Any]:
    return {
        "market": "ETH-USD-PERP",
        "side": "BUY" if i % 2 else "SELL",
        "order_type": "LIMIT",
        "size": Decimal("0.1") + Decimal(i) / 1000,
        "price": Decimal("1999.5") + Decimal(i) / 10,
        "timestamp_ms": 1_700_000_000_000 + i,
    }


def _typed_data(order: dict[str, Any], chain_id: int) -> dict[str, Any]:
    felt = [{"name": n, "type": "felt"} for n in ("timestamp", "market", "side", "orderType")]
    felt += [{"name": "size", "type": "felt"}, {"name": "price", "type": "felt"}]
    return {
        "domain": {"name": "Paradex", "chainId": hex(chain_id), "version": "1"},
        "primaryType": "Order",
        "types": {
            "StarkNetDomain": [
                {"name": "name", "type": "felt"},
                {"name": "chainId", "type": "felt"},
                {"name": "version", "type": "felt"},
            ],
            "Order": felt,
        },
        "message": {
            "timestamp": str(order["timestamp_ms"]),
            "market": order["market"],
            "side": "1" if order["side"] == "BUY" else "2",
            "orderType": order["order_type"],
            "size": str(int(order["size"].scaleb(8))),
            "price": str(int(order["price"].scaleb(8))),
        },
    }


def _per_call_ms(run: Callable[[int], object], count: int) -> float:
    """Best of three passes of `count` calls, in ms per call (the machine is shared)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for i in range(count):
            run(i)
        best = min(best, (time.perf_counter() - start) / count)
    return best * 1e3


def _import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(5)
    ]
    return min(runs) * 1e3


def main() -> None:
    """Print the signing figures as JSON lines."""
    from starknet_py.hash.utils import message_signature, verify_message_signature
    from starknet_py.utils.typed_data import TypedData

    from terminal.venues.paradex.crypto.signing import ParadexSigner, chain_id_from_name, verify

    chain_id = chain_id_from_name(_CHAIN)
    orders = [_order(i) for i in range(200)]
    typed = [_typed_data(o, chain_id) for o in orders]
    start = time.perf_counter()
    # A cold signer: loads the Pedersen library and builds the generator table.
    signer = ParadexSigner(_PRIVATE_KEY, _ACCOUNT, chain_id)
    signer.sign_order(**orders[0])
    cold_ms = (time.perf_counter() - start) * 1e3

    def ours(i: int) -> object:
        return signer.sign_order(**orders[i % 200])

    def theirs(i: int) -> object:
        msg_hash = TypedData.from_dict(typed[i % 200]).message_hash(_ACCOUNT)
        return message_signature(msg_hash, _PRIVATE_KEY)

    theirs_ms = _per_call_ms(theirs, 10)
    emit("sign_order_ms", _per_call_ms(ours, 200), "ms", theirs_ms)
    emit("sign_order_cold_start_ms", cold_ms, "ms", theirs_ms)

    hashes = [signer.order_hash(**o) for o in orders]
    signatures = [signer.sign_order(**o) for o in orders]
    key = signer.public_key
    verify(hashes[0], signatures[0], key)  # per-key table, built once per key

    def our_verify(i: int) -> object:
        return verify(hashes[i % 200], signatures[i % 200], key)

    def their_verify(i: int) -> object:
        return verify_message_signature(hashes[i % 200], list(signatures[i % 200]), key)

    their_verify_ms = _per_call_ms(their_verify, 100)
    emit("verify_ms", _per_call_ms(our_verify, 200), "ms", their_verify_ms)

    # A key never seen before: its y coordinate and small multiples are computed first.
    fresh = [ParadexSigner(_PRIVATE_KEY + i, _ACCOUNT, chain_id) for i in range(1, 31)]
    fresh_signed = [(f.public_key, f.sign_auth(1, 2), f.auth_hash(1, 2)) for f in fresh]

    def new_key_verify(i: int) -> object:
        public_key, signature, msg_hash = fresh_signed[i]
        return verify(msg_hash, signature, public_key)

    start = time.perf_counter()
    for i in range(len(fresh_signed)):
        new_key_verify(i)
    new_key_ms = (time.perf_counter() - start) / len(fresh_signed) * 1e3
    emit("verify_new_key_ms", new_key_ms, "ms", their_verify_ms)
    emit(
        "import_signing_ms",
        _import_ms("terminal.venues.paradex.crypto.signing"),
        "ms",
        _import_ms("json"),
    )


if __name__ == "__main__":
    main()
