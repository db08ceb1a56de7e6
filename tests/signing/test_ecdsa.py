"""Stark ECDSA through starknet-crypto: valid for every verifier, deterministic, and strict
about its inputs without letting the binding panic or quote a key."""

from __future__ import annotations

import fast_stark_crypto
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starknet_py.hash.utils import private_to_stark_key, verify_message_signature

from terminal.venues.paradex.crypto import stark_ecdsa
from terminal.venues.paradex.crypto.stark_ecdsa import (
    InvalidPrivateKeyError,
    MessageHashRangeError,
    SigningError,
    public_key_of,
    sign,
    verify,
)
from terminal.venues.paradex.crypto.stark_params import BETA, ELEMENT_BOUND, N, P

PRIVATE_KEY = 0x234567890ABCDCD1234567890ABCDEFA332319CFADC698AD56711F5351F3391
PUBLIC_KEY = 0x25AD4B10066AF140F8A05C1EF423A109BA774F6E64B12C614C24F8982F3C3D1
MSG_HASH = 0x5DB2BF7AD4616C616D88076D5865D7C617CF0BAAA1A629875ED66652E4273F8

hashes = st.integers(min_value=0, max_value=ELEMENT_BOUND - 1)
keys = st.integers(min_value=1, max_value=N - 1)


def _off_curve_abscissa() -> int:
    return next(x for x in range(1, 100) if pow(x**3 + x + BETA, (P - 1) // 2, P) != 1)


@settings(max_examples=25, deadline=None)
@given(msg_hash=hashes, private_key=keys)
def test_signatures_verify_everywhere_and_repeat(msg_hash: int, private_key: int) -> None:
    public_key = public_key_of(private_key)
    assert public_key == private_to_stark_key(private_key)
    r, s = sign(msg_hash, private_key)
    assert sign(msg_hash, private_key) == (r, s)
    assert verify(msg_hash, r, s, public_key)
    assert fast_stark_crypto.verify(public_key, msg_hash, r, s)
    if msg_hash:  # crypto-cpp refuses a zero hash (see below)
        assert verify_message_signature(msg_hash, [r, s], public_key)


def test_the_key_is_taken_mod_n() -> None:
    assert public_key_of(PRIVATE_KEY + N) == public_key_of(PRIVATE_KEY) == PUBLIC_KEY
    assert sign(MSG_HASH, PRIVATE_KEY + N) == sign(MSG_HASH, PRIVATE_KEY)


@pytest.mark.parametrize("private_key", [0, N, 5 * N])
def test_a_key_zero_mod_n_is_refused_without_showing_it(private_key: int) -> None:
    for call in (lambda: public_key_of(private_key), lambda: sign(MSG_HASH, private_key)):
        with pytest.raises(InvalidPrivateKeyError) as caught:
            call()
        assert str(private_key) not in str(caught.value)


@pytest.mark.parametrize("msg_hash", [-1, ELEMENT_BOUND, P])
def test_sign_refuses_message_hashes_outside_251_bits(msg_hash: int) -> None:
    with pytest.raises(MessageHashRangeError):
        sign(msg_hash, PRIVATE_KEY)


def test_a_library_error_never_carries_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(key: str, msg_hash: str) -> tuple[str, str]:
        raise ValueError(f"Failed to convert hex string {key} to FieldElement")

    monkeypatch.setattr(stark_ecdsa, "rs_sign_message", refuse)
    with pytest.raises(SigningError) as caught:
        sign(MSG_HASH, PRIVATE_KEY)
    assert f"{PRIVATE_KEY:x}" not in str(caught.value).lower()
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_verify_accepts_good_and_rejects_tampered() -> None:
    r, s = sign(MSG_HASH, PRIVATE_KEY)
    assert verify(MSG_HASH, r, s, PUBLIC_KEY)
    assert verify(MSG_HASH, r, N - s, PUBLIC_KEY)  # -s also verifies, as in cairo-lang
    assert not verify(MSG_HASH + 1, r, s, PUBLIC_KEY)
    assert not verify(MSG_HASH, r + 1, s, PUBLIC_KEY)
    assert not verify(MSG_HASH, r, s + 1, PUBLIC_KEY)
    assert not verify(MSG_HASH, r, s, public_key_of(PRIVATE_KEY + 1))


def test_inputs_the_library_refuses_are_false_not_a_panic() -> None:
    r, s = sign(MSG_HASH, PRIVATE_KEY)
    # An s whose inverse is 2^251 or more: in range itself, refused by the library.
    s_wide_inverse = pow(ELEMENT_BOUND + 5, -1, N)
    refused = [
        (-1, r, s, PUBLIC_KEY),
        (ELEMENT_BOUND, r, s, PUBLIC_KEY),
        (MSG_HASH, 0, s, PUBLIC_KEY),
        (MSG_HASH, ELEMENT_BOUND, s, PUBLIC_KEY),
        (MSG_HASH, 2**300, s, PUBLIC_KEY),
        (MSG_HASH, r, 0, PUBLIC_KEY),
        (MSG_HASH, r, N, PUBLIC_KEY),
        (MSG_HASH, r, s_wide_inverse, PUBLIC_KEY),
        (MSG_HASH, r, s, -1),
        (MSG_HASH, r, s, P),
        (MSG_HASH, r, s, 2**300),
        (MSG_HASH, r, s, _off_curve_abscissa()),
    ]
    for msg_hash, r_, s_, public_key in refused:
        assert verify(msg_hash, r_, s_, public_key) is False


@settings(max_examples=15, deadline=None)
@given(
    st.integers(min_value=1, max_value=ELEMENT_BOUND - 1),
    keys,
    st.integers(min_value=0, max_value=3),
)
def test_verify_agrees_with_crypto_cpp(msg_hash: int, private_key: int, tamper: int) -> None:
    public_key = public_key_of(private_key)
    r, s = sign(msg_hash, private_key)
    if tamper == 1:
        msg_hash ^= 1
    elif tamper == 2:
        s = s * 2 % N or 1
    elif tamper == 3:
        # k + 2 (wrapping) is never ±k mod N, so this is another key's x-coordinate;
        # k + 1 would collide at k = (N - 1) / 2, where -k = k + 1.
        public_key = public_key_of(private_key % (N - 3) + 2)
    assert verify(msg_hash, r, s, public_key) == (tamper == 0)
    assert verify_message_signature(msg_hash, [r, s], public_key) == (tamper == 0)


def test_zero_message_hash_signs_and_verifies() -> None:
    # crypto-cpp cannot sign 0 and calls every signature of 0 invalid; starknet-crypto can.
    r, s = sign(0, PRIVATE_KEY)
    assert verify(0, r, s, PUBLIC_KEY)
    assert not verify(1, r, s, PUBLIC_KEY)
