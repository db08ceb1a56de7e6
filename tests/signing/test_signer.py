"""The public signing surface: signer behaviour, wire format, secrets hygiene, import cost."""

from __future__ import annotations

import pickle
import subprocess
import sys
from decimal import Decimal

import pytest

from terminal.venues.paradex.crypto.signing import (
    InvalidPrivateKeyError,
    ParadexSigner,
    SignatureFormatError,
    TypedDataError,
    TypedDataHasher,
    format_signature,
    generate_private_key,
    parse_signature,
    public_key_from_private,
    verify,
)
from terminal.venues.paradex.crypto.stark_params import N

PRIVATE_KEY = 0x234567890ABCDCD1234567890ABCDEFA332319CFADC698AD56711F5351F3391
ACCOUNT = 0x694F953C15CCED926DCB0BB50FC08133509950C8D163BA34C81127246EB08CD
CHAIN = 0x505249564154455F534E5F50415241434C4541525F544553544E4554
ORDER = {
    "market": "ETH-USD-PERP",
    "side": "BUY",
    "order_type": "LIMIT",
    "size": Decimal("0.1"),
    "price": Decimal("1999.5"),
    "timestamp_ms": 1700000000123,
}


@pytest.fixture
def signer() -> ParadexSigner:
    return ParadexSigner(PRIVATE_KEY, ACCOUNT, CHAIN)


def test_repr_and_str_never_show_the_private_key(signer: ParadexSigner) -> None:
    for text in (repr(signer), str(signer), f"{signer}"):
        assert f"{PRIVATE_KEY:x}" not in text.lower()
        assert str(PRIVATE_KEY) not in text
        assert f"{signer.public_key:#x}" in text


def test_signer_cannot_be_pickled(signer: ParadexSigner) -> None:
    with pytest.raises(TypeError):
        pickle.dumps(signer)


def test_properties(signer: ParadexSigner) -> None:
    assert signer.account == ACCOUNT
    assert signer.chain_id == CHAIN
    assert signer.public_key == public_key_from_private(PRIVATE_KEY)
    assert signer.hasher.order_hash(**ORDER) == signer.order_hash(**ORDER)


def test_zero_private_key_is_refused() -> None:
    with pytest.raises(InvalidPrivateKeyError) as caught:
        ParadexSigner(N, ACCOUNT, CHAIN)
    assert str(N) not in str(caught.value)


def test_format_and_parse_round_trip(signer: ParadexSigner) -> None:
    signature = signer.sign_order(**ORDER)
    text = format_signature(signature)
    assert text == f'["{signature[0]}","{signature[1]}"]'
    assert parse_signature(text) == signature
    assert parse_signature(' [ "12" , "34" ] ') == (12, 34)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1,2]",
        '["1"]',
        '["1","2","3"]',
        '{"r":"1","s":"2"}',
        '["0x1","2"]',
        '["-1","2"]',
        '["1.5","2"]',
        '["١","2"]',
        "null",
    ],
)
def test_parse_rejects_malformed_signatures(text: str) -> None:
    with pytest.raises(SignatureFormatError):
        parse_signature(text)


def test_market_orders_sign_price_zero(signer: ParadexSigner) -> None:
    market = {**ORDER, "order_type": "MARKET"}
    assert signer.order_hash(**market) == signer.order_hash(**{**market, "price": Decimal(0)})
    stop = {**ORDER, "order_type": "STOP_MARKET"}
    assert signer.order_hash(**stop) != signer.order_hash(**{**stop, "price": Decimal(0)})


def test_amounts_truncate_beyond_eight_decimals(signer: ParadexSigner) -> None:
    exact = signer.order_hash(**ORDER)
    assert signer.order_hash(**{**ORDER, "size": Decimal("0.100000009")}) == exact
    assert signer.order_hash(**{**ORDER, "size": Decimal("0.10000001")}) != exact


@pytest.mark.parametrize(
    "change",
    [
        {"side": "buy"},
        {"market": "X" * 32},
        {"market": "ÉTH-USD-PERP"},
        {"size": Decimal("-1")},
        {"price": Decimal("NaN")},
        {"timestamp_ms": -1},
    ],
)
def test_bad_order_fields_raise_typed_data_error(
    signer: ParadexSigner, change: dict[str, object]
) -> None:
    with pytest.raises(TypedDataError):
        signer.sign_order(**{**ORDER, **change})  # type: ignore[arg-type]


def test_hasher_matches_signer_and_signatures_verify(signer: ParadexSigner) -> None:
    hasher = TypedDataHasher(ACCOUNT, CHAIN)
    assert "TypedDataHasher" in repr(hasher)
    modify = {**ORDER, "order_id": "1700000000123000000000000001"}
    pairs = [
        (hasher.order_hash(**ORDER), signer.sign_order(**ORDER)),
        (hasher.modify_hash(**modify), signer.sign_modify(**modify)),
        (hasher.auth_hash(1, 2), signer.sign_auth(1, 2)),
        (hasher.onboarding_hash(), signer.sign_onboarding()),
    ]
    for msg_hash, signature in pairs:
        assert verify(msg_hash, signature, signer.public_key)
    assert len({h for h, _ in pairs}) == 4
    other_account = TypedDataHasher(ACCOUNT + 1, CHAIN)
    assert other_account.order_hash(**ORDER) != pairs[0][0]


def test_generated_keys_are_in_range_and_distinct() -> None:
    keys = {generate_private_key() for _ in range(8)}
    assert len(keys) == 8
    assert all(0 < k < N for k in keys)
    key = keys.pop()
    signer = ParadexSigner(key, ACCOUNT, CHAIN)
    assert verify(signer.auth_hash(1, 2), signer.sign_auth(1, 2), signer.public_key)


def test_import_pulls_in_neither_sympy_nor_starknet_py() -> None:
    code = (
        "import sys, terminal.venues.paradex.crypto.signing as s\n"
        "s.ParadexSigner(12345, 1, s.chain_id_from_name('X')).sign_auth(1, 2)\n"
        "heavy = [m for m in ('sympy', 'starknet_py', 'crypto_cpp_py', 'eth_keys', 'Crypto')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_an_order_costs_nine_pedersen_hashes(
    signer: ParadexSigner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terminal.venues.paradex.crypto import pedersen, typed_data

    signer.order_hash(**ORDER)  # the type prefix is cached on first use
    calls: list[tuple[int, int]] = []
    real = pedersen.pedersen_hash

    def counting(left: int, right: int) -> int:
        calls.append((left, right))
        return real(left, right)

    monkeypatch.setattr(pedersen, "pedersen_hash", counting)
    monkeypatch.setattr(typed_data, "pedersen_hash", counting)
    signer.order_hash(**{**ORDER, "timestamp_ms": ORDER["timestamp_ms"] + 1})  # type: ignore[operator]
    assert len(calls) == 9
