"""Profiles: the built-ins point where PROTOCOL.md §1 says; custom ones persist, validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from terminal.app.cli import parse_args
from terminal.app.launch import check_launch
from terminal.app.profile_store import AccountRecord, KeyKind, ProfileStore
from terminal.app.profiles import (
    DEMO,
    ProfileError,
    SessionKind,
    UnknownProfileError,
    custom_profile,
)


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(QSettings(str(tmp_path / "profiles.ini"), QSettings.Format.IniFormat))


def test_builtins(store: ProfileStore) -> None:
    assert store.get("mainnet").rest_url == "https://api.prod.paradex.trade/v1"
    assert store.get("testnet").ws_url == "wss://ws.api.testnet.paradex.trade/v1"
    assert store.get("demo").embedded and not store.get("demo").has_urls
    assert store.get("mainnet").venue == "paradex"
    with pytest.raises(UnknownProfileError, match="known: demo, testnet, mainnet"):
        store.get("nope")


def test_demo_takes_the_embedded_exchange_urls() -> None:
    demo = DEMO.with_urls("http://127.0.0.1:1/v1", "ws://127.0.0.1:1/v1")
    assert demo.has_urls and demo.embedded and demo.name == "demo"
    assert not DEMO.has_urls


def test_custom_profile_round_trip(tmp_path: Path, store: ProfileStore) -> None:
    store.add(custom_profile("local", "http://127.0.0.1:8080/v1/", "ws://127.0.0.1:8080/v1"))
    again = ProfileStore(QSettings(str(tmp_path / "profiles.ini"), QSettings.Format.IniFormat))
    local = again.get("local")
    assert (local.rest_url, local.ws_url) == ("http://127.0.0.1:8080/v1", "ws://127.0.0.1:8080/v1")
    assert not local.embedded and not local.builtin and local.venue == "paradex"
    assert list(again.profiles()) == ["demo", "testnet", "mainnet", "kana", "kana-demo", "local"]
    with pytest.raises(ProfileError, match="already exists"):
        again.add(custom_profile("local", "https://a.example/v1", "wss://a.example/v1"))
    again.set_account("local", AccountRecord(KeyKind.STARK, "0x1", "0x2"))
    again.remove("local")
    with pytest.raises(UnknownProfileError):
        again.get("local")
    assert again.account("local") is None


@pytest.mark.parametrize(
    ("name", "rest", "ws", "why"),
    [
        ("testnet", "https://a.example/v1", "wss://a.example/v1", "built-in"),
        ("bad/name", "https://a.example/v1", "wss://a.example/v1", "invalid profile name"),
        ("x", "http://a.example/v1", "wss://a.example/v1", "invalid REST URL"),
        ("x", "https://a.example/v1", "ws://a.example/v1", "invalid WebSocket URL"),
        ("x", "ftp://127.0.0.1/v1", "ws://127.0.0.1/v1", "invalid REST URL"),
    ],
)
def test_custom_profiles_are_validated(name: str, rest: str, ws: str, why: str) -> None:
    with pytest.raises(ProfileError, match=why):
        custom_profile(name, rest, ws)


def test_unknown_venue_is_refused() -> None:
    with pytest.raises(ProfileError, match="unknown venue 'kana'"):
        custom_profile("k", "https://a.example/v1", "wss://a.example/v1", venue="kana")


def test_built_ins_cannot_be_removed_and_session_kind_persists(store: ProfileStore) -> None:
    assert store.get("testnet").session is SessionKind.RETAIL
    store.set_session("testnet", SessionKind.PRO)
    assert store.get("testnet").session is SessionKind.PRO
    with pytest.raises(ProfileError, match="built-in"):
        store.remove("mainnet")
    with pytest.raises(ProfileError, match="embedded exchange"):
        store.set_session("demo", SessionKind.RETAIL)


def test_launch_checks(store: ProfileStore) -> None:
    assert check_launch(parse_args([]), store) is None
    assert check_launch(parse_args(["--scenario", "spike", "--seed", "3"]), store) is None
    unknown = check_launch(parse_args(["--profile", "bogus"]), store)
    assert unknown is not None and "unknown profile 'bogus'" in unknown
    assert "profiles add" in unknown
    flags = check_launch(parse_args(["--profile", "testnet", "--scenario", "calm"]), store)
    assert flags is not None and "--scenario" in flags and "real venue" in flags
    rate = check_launch(parse_args(["--profile", "mainnet", "--rate", "5", "--seed", "1"]), store)
    assert rate is not None and "--rate, --seed" in rate
    assert check_launch(parse_args(["--profile", "testnet"]), store) is None
