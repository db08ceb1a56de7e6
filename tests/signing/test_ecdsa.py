"""Stark ECDSA: the nonce, the comb tables, verification and its rejections."""

from __future__ import annotations

import random

import pytest
from crypto_cpp_py.utils import cpp_generate_k_rfc6979
from hypothesis import given, settings
from hypothesis import strategies as st
from starknet_py.hash.utils import verify_message_signature

from terminal.venues.paradex.crypto import stark_curve as curve
from terminal.venues.paradex.crypto.signing import public_key_from_private, verify
from terminal.venues.paradex.crypto.stark_ecdsa import (
    ELEMENT_BOUND,
    MessageHashRangeError,
    generate_k,
    sign,
)

PRIVATE_KEY = 0x234567890ABCDCD1234567890ABCDEFA332319CFADC698AD56711F5351F3391
PUBLIC_KEY = 0x25AD4B10066AF140F8A05C1EF423A109BA774F6E64B12C614C24F8982F3C3D1


def _naive_multiply(k: int, point: curve.Affine) -> int | None:
    acc = curve.INFINITY
    for bit in bin(k)[2:]:
        acc = curve.double(acc)
        if bit == "1":
            acc = curve.add_affine(acc, point)
    return curve.to_affine_x(acc)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=ELEMENT_BOUND - 1), st.integers(1, curve.N - 1))
def test_nonce_matches_crypto_cpp(msg_hash: int, private_key: int) -> None:
    assert generate_k(msg_hash, private_key) == cpp_generate_k_rfc6979(msg_hash, private_key, 32)


@pytest.mark.parametrize("k", [0, 1, 2, 255, 256, 2**248, curve.N - 1, curve.N, curve.N + 5])
def test_generator_table_edges(k: int) -> None:
    expected = _naive_multiply(k % curve.N, curve.GENERATOR)
    assert curve.to_affine_x(curve.generator_table().multiply(k)) == expected


def test_tables_agree_with_double_and_add_on_random_scalars() -> None:
    rng = random.Random(7)
    point = (PUBLIC_KEY, curve.y_from_x(PUBLIC_KEY))
    table = curve.FixedBaseTable(point, 4)
    multiples = curve.small_multiples(point, 16)
    for _ in range(5):
        k = rng.randrange(curve.N)
        assert curve.to_affine_x(table.multiply(k)) == _naive_multiply(k, point)
        assert curve.to_affine_x(curve.multiply_windowed(k, multiples)) == _naive_multiply(k, point)
        assert curve.to_affine_x(curve.generator_table().multiply(k)) == _naive_multiply(
            k, curve.GENERATOR
        )


def test_y_from_x_rejects_abscissas_off_the_curve() -> None:
    y = curve.y_from_x(PUBLIC_KEY)
    assert (y * y - (PUBLIC_KEY**3 + PUBLIC_KEY + curve.BETA)) % curve.P == 0
    off = next(
        x for x in range(1, 100) if pow(x**3 + x + curve.BETA, (curve.P - 1) // 2, curve.P) != 1
    )
    with pytest.raises(curve.NotOnCurveError):
        curve.y_from_x(off)
    assert not verify(1, (1, 1), off)


def test_verify_accepts_good_and_rejects_tampered() -> None:
    msg_hash = 0x5DB2BF7AD4616C616D88076D5865D7C617CF0BAAA1A629875ED66652E4273F8
    r, s = sign(msg_hash, PRIVATE_KEY)
    assert verify(msg_hash, (r, s), PUBLIC_KEY)
    assert verify(msg_hash, (r, curve.N - s), PUBLIC_KEY)  # -s also verifies, as in cairo-lang
    assert not verify(msg_hash + 1, (r, s), PUBLIC_KEY)
    assert not verify(msg_hash, (r + 1, s), PUBLIC_KEY)
    assert not verify(msg_hash, (r, s + 1), PUBLIC_KEY)
    assert not verify(msg_hash, (r, s), public_key_from_private(PRIVATE_KEY + 1))
    assert not verify(msg_hash, (0, s), PUBLIC_KEY)
    assert not verify(msg_hash, (r, 0), PUBLIC_KEY)
    assert not verify(msg_hash, (r, curve.N), PUBLIC_KEY)
    assert not verify(ELEMENT_BOUND, (r, s), PUBLIC_KEY)
    assert not verify(msg_hash, (r, s), curve.P)


def test_a_busy_key_verifies_the_same_through_its_comb() -> None:
    key = 0xC0FFEE
    public_key = public_key_from_private(key)
    rng = random.Random(11)
    for i in range(12):  # past the switch from windowed products to a per-key comb
        msg_hash = rng.randrange(1, ELEMENT_BOUND)
        r, s = sign(msg_hash, key)
        assert verify(msg_hash, (r, s), public_key)
        assert not verify(msg_hash ^ (1 << i), (r, s), public_key)


@settings(max_examples=15, deadline=None)
@given(
    st.integers(min_value=1, max_value=ELEMENT_BOUND - 1),
    st.integers(min_value=1, max_value=curve.N - 1),
    st.integers(min_value=0, max_value=3),
)
def test_verify_agrees_with_crypto_cpp(msg_hash: int, private_key: int, tamper: int) -> None:
    public_key = public_key_from_private(private_key)
    r, s = sign(msg_hash, private_key)
    if tamper == 1:
        msg_hash ^= 1
    elif tamper == 2:
        s = s * 2 % curve.N or 1
    elif tamper == 3:
        # k + 2 (wrapping) is never ±k mod N, so this is another key's x-coordinate;
        # k + 1 would collide at k = (N - 1) / 2, where -k = k + 1.
        public_key = public_key_from_private(private_key % (curve.N - 3) + 2)
    assert verify(msg_hash, (r, s), public_key) == (tamper == 0)
    assert verify_message_signature(msg_hash, [r, s], public_key) == (tamper == 0)


def test_zero_message_hash_signs_and_verifies() -> None:
    # crypto-cpp cannot sign 0 (its nonce code breaks on an empty hash); starknet-crypto can.
    signature = sign(0, PRIVATE_KEY)
    assert verify(0, signature, PUBLIC_KEY)
    assert not verify(1, signature, PUBLIC_KEY)


def test_sign_refuses_message_hashes_outside_251_bits() -> None:
    with pytest.raises(MessageHashRangeError):
        sign(ELEMENT_BOUND, PRIVATE_KEY)
