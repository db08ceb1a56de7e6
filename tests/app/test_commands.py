"""`paradex-terminal profiles …` / `keys …`: secrets from stdin only, clear errors, exit codes."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from terminal.app.commands import run_command
from terminal.app.profile_store import KeyKind, ProfileStore
from terminal.services.keystore import Keystore
from terminal.sim.runner import run_exchange

# PROTOCOL §12.1 and §12.5 (fixture class hashes, which the embedded exchange serves).
STARK_KEY = "0x234567890abcdcd1234567890abcdefa332319cfadc698ad56711f5351f3391"
STARK_PUBLIC = "0x25ad4b10066af140f8a05c1ef423a109ba774f6e64b12c614c24f8982f3c3d1"
STARK_ACCOUNT = "0x694f953c15cced926dcb0bb50fc08133509950c8d163ba34c81127246eb08cd"
ETH_KEY = "0xf8e4d1d772cdd44e5e77615ad11cc071c94e4c06dc21150d903f28e6aa6abdff"
DERIVED_KEY = 0x543B6CF6C91817A87174AAEA4FB370AC1C694E864D7740D728F8344D53E815
DERIVED_PUBLIC = "0x2c144d2f2d4fc61b6f8967f3ba0012a87d90140bcfe5a3e92e8df83258c960f"
DERIVED_ACCOUNT = "0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa"


class Run:
    """run_command with a throw-away profile file, captured output and a given stdin."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def store(self) -> ProfileStore:
        return ProfileStore(QSettings(str(self.path), QSettings.Format.IniFormat))

    def __call__(self, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run_command(
            argv,
            store=self.store(),
            keystore=Keystore(),
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
        )
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def run(tmp_path: Path) -> Run:
    return Run(tmp_path / "profiles.ini")


def _assert_no_secret(text: str, *secrets: str) -> None:
    for secret in secrets:
        value = int(secret, 16)
        for form in (hex(value), hex(value)[2:], str(value)):
            assert form not in text


def test_profiles_add_list_set_remove(run: Run, memory_keyring) -> None:
    code, out, _ = run(
        "profiles",
        "add",
        "local",
        "--rest",
        "http://127.0.0.1:9/v1",
        "--ws",
        "ws://127.0.0.1:9/v1",
        "--session",
        "pro",
    )
    assert code == 0 and "added profile local" in out
    code, out, _ = run("profiles", "list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert list(lines) == ["demo", "testnet", "mainnet", "kana", "kana-demo", "local"]
    assert "pro custom" in lines["local"] and "retail built-in" in lines["testnet"]
    assert run("profiles", "set", "testnet", "--session", "pro")[0] == 0
    assert run.store().get("testnet").session == "pro"
    code, out, _ = run("profiles", "remove", "local")
    assert code == 0 and "removed profile local" in out
    assert "local" not in run("profiles", "list")[1]


def test_profile_errors_exit_2(run: Run, memory_keyring) -> None:
    code, _, err = run("profiles", "remove", "bogus")
    assert code == 2 and "unknown profile 'bogus'" in err
    code, _, err = run("profiles", "remove", "mainnet")
    assert code == 2 and "built-in" in err
    code, _, err = run(
        "profiles", "add", "x", "--rest", "http://example.com/v1", "--ws", "wss://e/v1"
    )
    assert code == 2 and "invalid REST URL" in err
    code, _, err = run("keys", "add", "--profile", "bogus", stdin=STARK_KEY)
    assert code == 2 and "unknown profile" in err


def test_keys_add_stark_with_account_reads_stdin_only(run: Run, memory_keyring) -> None:
    code, out, err = run(
        "keys", "add", "--profile", "testnet", "--account", STARK_ACCOUNT, stdin=STARK_KEY + "\n"
    )
    assert code == 0, err
    assert STARK_PUBLIC in out and STARK_ACCOUNT in out
    assert memory_keyring.passwords[("paradex-terminal", "testnet")] == STARK_KEY
    record = run.store().account("testnet")
    assert record is not None and record.kind is KeyKind.STARK
    assert record.public_key == STARK_PUBLIC
    code, out, _ = run("keys", "list")
    assert code == 0 and "testnet" in out and STARK_ACCOUNT in out
    _assert_no_secret(out, STARK_KEY)
    assert "[stark 0x694f…08cd]" in run("profiles", "list")[1]
    assert run("keys", "remove", "--profile", "testnet")[0] == 0
    assert memory_keyring.passwords == {}
    assert run.store().account("testnet") is None


def test_keys_add_refuses_bad_input_without_echoing_it(run: Run, memory_keyring) -> None:
    secretish = "0xnot-a-key-but-secret"
    code, out, err = run("keys", "add", "--profile", "testnet", "--account", "0x1", stdin=secretish)
    assert code == 2 and "must be hex" in err and secretish not in out + err
    code, _, err = run("keys", "add", "--profile", "testnet", stdin="")
    assert code == 2 and "no key on standard input" in err
    code, _, err = run("keys", "add", "--profile", "testnet", "--kind", "subkey", stdin=STARK_KEY)
    assert code == 2 and "main account" in err
    code, _, err = run("keys", "add", "--profile", "demo", "--account", "0x1", stdin=STARK_KEY)
    assert code == 2 and "ephemeral" in err
    assert memory_keyring.passwords == {}


def test_keys_add_subkey_stores_the_main_account(run: Run, memory_keyring) -> None:
    code, _out, _ = run(
        "keys",
        "add",
        "--profile",
        "mainnet",
        "--kind",
        "subkey",
        "--account",
        DERIVED_ACCOUNT,
        stdin=STARK_KEY,
    )
    assert code == 0
    record = run.store().account("mainnet")
    assert record is not None and record.kind is KeyKind.SUBKEY
    assert record.account == DERIVED_ACCOUNT and record.public_key == STARK_PUBLIC


def test_keyring_without_backend_is_explained(run: Run, no_keyring) -> None:
    code, _, err = run("keys", "add", "--profile", "testnet", "--account", "0x1", stdin=STARK_KEY)
    assert code == 1 and "Secret Service" in err and "KWallet" in err
    _assert_no_secret(err, STARK_KEY)
    assert run.store().account("testnet") is None


async def test_keys_add_eth_derives_the_stark_key_on_the_venue(run: Run, memory_keyring) -> None:
    async with run_exchange(rate=0) as urls:
        code, _, err = await asyncio.to_thread(
            run, "profiles", "add", "sim", "--rest", urls.rest, "--ws", urls.ws
        )
        assert code == 0, err
        code, out, err = await asyncio.to_thread(
            run, "keys", "add", "--profile", "sim", "--kind", "eth", stdin=ETH_KEY
        )
    assert code == 0, err
    assert DERIVED_ACCOUNT in out and DERIVED_PUBLIC in out and "L1 address: 0x" in out
    # Only the derived Stark key is stored, never the Ethereum key.
    assert memory_keyring.passwords == {("paradex-terminal", "sim"): hex(DERIVED_KEY)}
    _assert_no_secret(out + err, ETH_KEY, hex(DERIVED_KEY))
    record = run.store().account("sim")
    assert record is not None and record.kind is KeyKind.ETH
    assert record.ethereum_account.startswith("0x") and len(record.ethereum_account) == 42


async def test_keys_add_eth_with_an_unreachable_venue(run: Run, memory_keyring) -> None:
    code, _, _ = run(
        "profiles", "add", "gone", "--rest", "http://127.0.0.1:1/v1", "--ws", "ws://127.0.0.1:1/v1"
    )
    assert code == 0
    code, _, err = await asyncio.to_thread(
        run, "keys", "add", "--profile", "gone", "--kind", "eth", stdin=ETH_KEY
    )
    assert code == 1 and "cannot read the account settings of 127.0.0.1:1" in err
    _assert_no_secret(err, ETH_KEY)


def test_unknown_profile_is_a_command_line_error(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "terminal.app.main", "--profile", "bogus"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2
    assert "unknown profile 'bogus'" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "terminal.app.main", "--profile", "testnet", "--seed", "4"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2 and "--seed" in result.stderr
