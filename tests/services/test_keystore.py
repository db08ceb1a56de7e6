"""Keys go to the keyring and nowhere else: not logs, reprs or exception messages."""

from __future__ import annotations

import logging

import pytest

from terminal.app.profiles import TESTNET
from terminal.app.venue_factory import key_for_profile
from terminal.services.keystore import (
    Keystore,
    KeystoreError,
    MissingKeyError,
)

SECRET = 0x5EC12E7_DEADBEEF_1234567890ABCDEF


def _secret_texts() -> list[str]:
    return [hex(SECRET), str(SECRET), hex(SECRET)[2:]]


def test_store_load_delete_round_trip(memory_keyring, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = Keystore()
    assert store.load_key("testnet") is None
    store.store_key("testnet", SECRET)
    assert store.load_key("testnet") == SECRET
    assert ("paradex-terminal", "testnet") in memory_keyring.passwords
    store.delete_key("testnet")
    store.delete_key("testnet")  # idempotent
    assert store.load_key("testnet") is None
    logged = caplog.text + repr(store)
    assert not any(s in logged for s in _secret_texts())


def test_keyring_failure_does_not_leak_the_key(broken_keyring) -> None:
    store = Keystore()
    with pytest.raises(KeystoreError) as info:
        store.store_key("mainnet", SECRET)
    text = str(info.value) + repr(info.value)
    assert "mainnet" in text
    assert not any(s in text for s in _secret_texts())
    assert info.value.__cause__ is None and info.value.__suppress_context__
    with pytest.raises(KeystoreError):
        store.load_key("mainnet")


def test_real_profile_without_a_key_is_an_error(memory_keyring) -> None:
    with pytest.raises(MissingKeyError):
        key_for_profile(TESTNET, Keystore())


def test_real_profile_uses_the_stored_key(memory_keyring) -> None:
    store = Keystore()
    store.store_key(TESTNET.name, SECRET)
    assert key_for_profile(TESTNET, store) == SECRET


def test_corrupt_entry_is_reported_without_its_content(memory_keyring) -> None:
    memory_keyring.passwords[("paradex-terminal", "x")] = "not-hex-secretish"
    with pytest.raises(KeystoreError) as info:
        Keystore().load_key("x")
    assert "secretish" not in str(info.value)


def test_rejects_non_positive_keys(memory_keyring) -> None:
    with pytest.raises(ValueError):
        Keystore().store_key("p", 0)


def test_demo_key_is_ephemeral_and_never_stored(memory_keyring) -> None:
    from terminal.app.profiles import DEMO

    store = Keystore()
    first, second = key_for_profile(DEMO, store), key_for_profile(DEMO, store)
    assert first != second and first > 0
    assert memory_keyring.passwords == {}
