"""Order signing, the Pedersen hash, verification and import cost against starknet-py.

Every figure is REPEATS passes interleaved with its baseline's passes in the same run;
the value is the median pass, and `runs` gives the passes' min / median / max.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bench.report import emit_runs

_PRIVATE_KEY = 0x234567890ABCDCD1234567890ABCDEFA332319CFADC698AD56711F5351F3391
_ACCOUNT = 0x694F953C15CCED926DCB0BB50FC08133509950C8D163BA34C81127246EB08CD
_CHAIN = "PRIVATE_SN_PARACLEAR_TESTNET"
REPEATS = 5


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


def _pass_ms(run: Callable[[int], object], count: int) -> float:
    """One pass of `count` calls, in ms per call."""
    start = time.perf_counter()
    for i in range(count):
        run(i)
    return (time.perf_counter() - start) / count * 1e3


def _interleaved(runs: dict[str, tuple[Callable[[int], object], int]]) -> dict[str, list[float]]:
    """REPEATS passes of each run (ms per call), interleaved so load swings hit all alike."""
    out: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(REPEATS):
        for name, (run, count) in runs.items():
            out[name].append(_pass_ms(run, count))
    return out


def _subprocess_ms(code: str) -> list[float]:
    """REPEATS fresh interpreters each printing one duration in seconds; in ms."""
    runs = []
    for _ in range(REPEATS):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        runs.append(float(done.stdout) * 1e3)
    return runs


def _import_code(module: str) -> str:
    return f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


# A cold signer: imports, derives the public key, signs once.
_COLD_SIGN = (
    "import time; from decimal import Decimal; t = time.perf_counter()\n"
    "from terminal.venues.paradex.crypto.signing import ParadexSigner, chain_id_from_name\n"
    f"s = ParadexSigner({_PRIVATE_KEY}, {_ACCOUNT}, chain_id_from_name({_CHAIN!r}))\n"
    "s.sign_order(market='ETH-USD-PERP', side='BUY', order_type='LIMIT', size=Decimal('0.1'),"
    " price=Decimal('1999.5'), timestamp_ms=1)\n"
    "print(time.perf_counter() - t)"
)


def main() -> None:
    """Print the signing figures as JSON lines."""
    from starknet_py.hash.utils import message_signature, verify_message_signature
    from starknet_py.hash.utils import pedersen_hash as their_pedersen
    from starknet_py.utils.typed_data import TypedData

    from terminal.venues.paradex.crypto.pedersen import pedersen_hash
    from terminal.venues.paradex.crypto.signing import ParadexSigner, chain_id_from_name, verify

    chain_id = chain_id_from_name(_CHAIN)
    orders = [_order(i) for i in range(200)]
    typed = [_typed_data(o, chain_id) for o in orders]
    signer = ParadexSigner(_PRIVATE_KEY, _ACCOUNT, chain_id)
    hashes = [signer.order_hash(**o) for o in orders]
    signatures = [signer.sign_order(**o) for o in orders]
    key = signer.public_key
    verify(hashes[0], signatures[0], key)  # the key's on-curve check, cached per key
    # Chain states are full-width felts; the right-hand inputs mix widths as orders do.
    pairs = [(hashes[i], hashes[-i - 1] >> (i % 4 * 60)) for i in range(200)]

    def theirs(i: int) -> object:
        msg_hash = TypedData.from_dict(typed[i % 200]).message_hash(_ACCOUNT)
        return message_signature(msg_hash, _PRIVATE_KEY)

    ms = _interleaved(
        {
            "sign": (lambda i: signer.sign_order(**orders[i % 200]), 200),
            "sign_theirs": (theirs, 10),
            "pedersen": (lambda i: pedersen_hash(*pairs[i % 200]), 400),
            "pedersen_theirs": (lambda i: their_pedersen(*pairs[i % 200]), 400),
            "verify": (lambda i: verify(hashes[i % 200], signatures[i % 200], key), 200),
            "verify_theirs": (
                lambda i: verify_message_signature(hashes[i % 200], list(signatures[i % 200]), key),
                50,
            ),
        }
    )
    emit_runs("sign_order_ms", ms["sign"], "ms", ms["sign_theirs"])
    us = {name: [v * 1e3 for v in values] for name, values in ms.items()}
    emit_runs("pedersen_hash_us", us["pedersen"], "us", us["pedersen_theirs"])
    emit_runs("verify_ms", ms["verify"], "ms", ms["verify_theirs"])
    emit_runs("sign_order_cold_start_ms", _subprocess_ms(_COLD_SIGN), "ms", ms["sign_theirs"])

    # Keys never seen before: each one's on-curve check comes first.
    new_key = []
    for rep in range(REPEATS):
        fresh = [ParadexSigner(_PRIVATE_KEY + rep * 10 + i, _ACCOUNT, chain_id) for i in range(10)]
        signed = [(f.public_key, f.sign_auth(1, 2), f.auth_hash(1, 2)) for f in fresh]
        new_key.append(_pass_ms(lambda i, s=signed: verify(s[i][2], s[i][1], s[i][0]), 10))
    emit_runs("verify_new_key_ms", new_key, "ms", ms["verify_theirs"])
    emit_runs(
        "import_signing_ms",
        _subprocess_ms(_import_code("terminal.venues.paradex.crypto.signing")),
        "ms",
        _subprocess_ms(_import_code("json")),
    )


if __name__ == "__main__":
    main()
