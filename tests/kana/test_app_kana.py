"""The terminal on Kana: the profiles, the embedded exchange's command, and the real app
against the embedded Kana mode, headless, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.app.exchange_child import exchange_command
from terminal.app.profiles import builtin_profiles


def test_kana_profiles() -> None:
    profiles = builtin_profiles()
    kana, demo = profiles["kana"], profiles["kana-demo"]
    assert (kana.venue, demo.venue, profiles["demo"].venue) == ("kana", "kana", "paradex")
    assert kana.ws_url == "wss://perpetuals-indexer-ws.kanalabs.io/ws"  # the seed's
    assert kana.rest_url == "https://perps-tradeapi.kanalabs.io" and not kana.embedded
    assert demo.embedded and not demo.has_urls


def test_kana_demo_starts_the_exchange_in_kana_mode() -> None:
    command = exchange_command(venue="kana")
    assert command[command.index("--venue") + 1] == "kana"
    assert "--venue" not in exchange_command()


@pytest.mark.slow
def test_kana_demo_shows_a_live_ladder_and_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "terminal.app.main",
            "--profile",
            "kana-demo",
            "--exit-after",
            # The 10 s, plus slack for a loaded machine (start-up then takes longer).
            "15",
            "--report",
        ],
        capture_output=True,
        text=True,
        timeout=100,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    books = {c: n for c, n in report["messages"].items() if c.startswith("orderbook.")}
    assert sum(books.values()) > 0, report["messages"]
    assert report["frames"].get("ladder", 0) > 0, report["frames"]
    assert report["reconnects"] == 0
    with pytest.raises(ProcessLookupError):
        os.kill(report["exchange_pid"], 0)
