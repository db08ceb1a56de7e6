"""A full session on a custom profile with a known key, then a search of everything the app
wrote or said — files, stdout, stderr, log records, exception texts — for the key: none.

The exchange runs as its own process on loopback (as a user would point a custom profile
at it); the app runs as a subprocess with HOME and the XDG directories in a temporary
folder and a file-less keyring; an order is placed and cancelled through the app's own
venue factory with every log record captured.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from terminal.app.accounts import load_access
from terminal.app.profile_store import ProfileStore
from terminal.app.venue_factory import open_connection
from terminal.domain.orders import NewOrder, OrderType, Side
from terminal.services.keystore import Keystore
from terminal.services.supervisor import Supervisor

# PROTOCOL §12.5: an Ethereum key and the Stark key derived from it.
ETH_KEY = 0xF8E4D1D772CDD44E5E77615AD11CC071C94E4C06DC21150D903F28E6AA6ABDFF
STARK_KEY = 0x543B6CF6C91817A87174AAEA4FB370AC1C694E864D7740D728F8344D53E815
JWT = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+")
APP_DIR = Path(__file__).parent


def secret_forms(*keys: int) -> list[str]:
    """Every way a key could be written out: hex with and without 0x, padded, decimal."""
    forms: list[str] = []
    for key in keys:
        digits = f"{key:x}"
        forms += [digits, digits.upper(), f"{key:064x}", str(key)]
    return forms


def leaks(text: str) -> list[str]:
    """The secret forms found in `text`."""
    lowered = text.lower()
    return [form for form in secret_forms(ETH_KEY, STARK_KEY) if form.lower() in lowered]


@pytest.fixture
def exchange() -> Iterator[tuple[str, str]]:
    """`python -m terminal.sim --port 0` as its own process; its (rest, ws) URLs."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "terminal.sim", "--port", "0", "--rate", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        urls = json.loads(proc.stdout.readline())
        yield urls["rest"], urls["ws"]
    finally:
        proc.terminate()
        proc.wait(10)


class App:
    """Runs `paradex-terminal` with its own home, config, data and cache folders."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.outputs: list[str] = []
        self.env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(root / "home"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "PYTHONPATH": os.pathsep.join([str(APP_DIR), os.environ.get("PYTHONPATH", "")]),
            "PYTHON_KEYRING_BACKEND": "env_keyring.EnvKeyring",
            "TEST_KEYRING": json.dumps({"paradex-terminal/sim": hex(STARK_KEY)}),
        }
        for folder in ("home", "config", "data", "cache"):
            (root / folder).mkdir()

    def run(
        self, *args: str, stdin: str = "", timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "terminal.app.main", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env,
        )
        self.outputs += [result.stdout, result.stderr]
        return result

    def written(self) -> dict[Path, str]:
        """Every file the app left in its folders, as text."""
        return {
            path: path.read_bytes().decode("utf-8", "replace")
            for path in self.root.rglob("*")
            if path.is_file()
        }


async def _place_and_cancel(profile_file: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Through the app's venue factory with the stored key: place an order and cancel it.
    Returns the texts of the exceptions raised (re-raised after being recorded)."""
    store = ProfileStore(QSettings(str(profile_file), QSettings.Format.IniFormat))
    profile = store.get("sim")
    supervisor = Supervisor()
    errors: list[str] = []
    try:
        access = load_access(profile, Keystore(), store)
        connection = await open_connection(profile, supervisor, access)
        assert connection.trading is not None
        market = "BTC-USD-PERP"
        instrument = connection.instruments[market]
        book = await connection.venue.book_snapshot(market, 5)
        below = instrument.round_price(
            Decimal(book.bids[0][0]).scaleb(-8) * Decimal("0.97"), Side.BUY
        )
        size = instrument.round_size(instrument.min_notional / below * 2) or instrument.step_size
        ack = await connection.trading.place(
            NewOrder(market, Side.BUY, OrderType.LIMIT, size, below, client_id="hygiene-1")
        )
        await connection.trading.cancel(ack.order.id)
        assert await connection.trading.open_orders(market) == []
        token = await connection.venue.rest.jwt.token()  # type: ignore[attr-defined]
        assert token not in caplog.text
    except Exception as exc:
        errors.append(f"{exc!r} {exc}")
        raise
    finally:
        await supervisor.shutdown(5)
    return errors


@pytest.mark.slow
async def test_no_file_output_log_or_error_carries_the_key(
    tmp_path: Path, exchange: tuple[str, str], memory_keyring, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rest, ws = exchange
    app = App(tmp_path)
    assert app.run("profiles", "add", "sim", "--rest", rest, "--ws", ws).returncode == 0
    added = app.run("keys", "add", "--profile", "sim", "--kind", "eth", stdin=f"{ETH_KEY:#x}\n")
    assert added.returncode == 0, added.stderr
    assert "0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa" in added.stdout
    assert app.run("keys", "list").returncode == 0

    session = app.run(
        "--profile", "sim", "--log-level", "DEBUG", "--exit-after", "10", "--report", timeout=90
    )
    assert session.returncode == 0, session.stderr[-3000:]
    assert "connected to sim as 0x129c135e" in session.stderr, session.stderr[-3000:]
    assert "Traceback" not in session.stderr

    profile_file = tmp_path / "config" / "ParadexTerminal" / "profiles.ini"
    memory_keyring.set_password("paradex-terminal", "sim", hex(STARK_KEY))
    errors = await _place_and_cancel(profile_file, caplog)

    records = [f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records]
    assert any("orders" in text for text in records)  # the order traffic was logged
    files = app.written()
    assert profile_file in files and any("paradex-terminal.conf" in p.name for p in files)
    texts = {
        **{str(path): text for path, text in files.items()},
        **{f"output {i}": text for i, text in enumerate(app.outputs)},
        "log records": "\n".join(records),
        "log text": caplog.text,
        "exceptions": "\n".join(errors),
    }
    found = {where: leaks(text) for where, text in texts.items() if leaks(text)}
    assert found == {}
    tokens = {where: JWT.findall(text) for where, text in texts.items() if JWT.search(text)}
    assert tokens == {}


def test_reprs_hold_no_key() -> None:
    from terminal.app.accounts import Access, PreparedKey
    from terminal.app.profile_store import AccountRecord, KeyKind
    from terminal.venues.paradex.accounts import DerivedAccount

    record = AccountRecord(KeyKind.STARK, "0x1", "0x2")
    for thing in (
        Access(STARK_KEY, record),
        PreparedKey(STARK_KEY, record),
        DerivedAccount(STARK_KEY, 2, 1),
    ):
        assert leaks(repr(thing) + str(thing)) == []


def test_tls_verification_is_never_turned_off() -> None:
    root = Path(__file__).parents[2] / "terminal"
    switches = ("verify=False", "CERT_NONE", "check_hostname = False", "_create_unverified")
    offenders = [
        f"{path}: {switch}"
        for path in root.rglob("*.py")
        for switch in switches
        if switch in path.read_text()
    ]
    assert offenders == []
