"""Keys go to the keyring and nowhere else: not logs, reprs or exception messages."""

from __future__ import annotations

import logging

import pytest

from terminal.services.keystore import Keystore, KeystoreError, NoKeyringError

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


def test_corrupt_entry_is_reported_without_its_content(memory_keyring) -> None:
    memory_keyring.passwords[("paradex-terminal", "x")] = "not-hex-secretish"
    with pytest.raises(KeystoreError) as info:
        Keystore().load_key("x")
    assert "secretish" not in str(info.value)


def test_rejects_non_positive_keys(memory_keyring) -> None:
    with pytest.raises(ValueError):
        Keystore().store_key("p", 0)


def test_no_usable_backend_says_how_to_get_one(no_keyring) -> None:
    store = Keystore()
    for call in (lambda: store.load_key("testnet"), lambda: store.store_key("testnet", SECRET)):
        with pytest.raises(NoKeyringError) as info:
            call()
        text = str(info.value)
        for way in ("Secret Service", "KWallet", "Keychain", "Credential Locker"):
            assert way in text
        assert not any(s in text for s in _secret_texts())


def test_null_backend_is_unusable() -> None:
    import keyring
    import keyring.backends.null

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.null.Keyring())
    try:
        with pytest.raises(NoKeyringError):
            Keystore().delete_key("testnet")
    finally:
        keyring.set_keyring(previous)


def test_uses_the_configured_backend(memory_keyring) -> None:
    assert Keystore().backend_name == memory_keyring.name
