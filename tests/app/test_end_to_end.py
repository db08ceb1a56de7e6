"""The real app against the real embedded exchange, headless, in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def _count(messages: dict[str, int], family: str) -> int:
    return sum(n for channel, n in messages.items() if channel.startswith(family))


def _app_env(tmp_path: Path) -> dict[str, str]:
    """Headless, with a fresh QSettings (the default layout) and its own log folder."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


def _why(stderr: str, tmp_path: Path) -> str:
    """A failed run's stderr tail and, if it crashed, the crash log's stacks."""
    crash = tmp_path / "data" / "paradex-terminal" / "logs" / "crash.log"
    return stderr[-3000:] + (crash.read_text() if crash.exists() else "")


def _launch_logged(tmp_path: Path, exit_after: int) -> subprocess.Popen[str]:
    """The app with --report and INFO logging on stderr, to be watched line by line."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "terminal.app.main",
            "--report",
            "--log-level",
            "INFO",
            "--exit-after",
            str(exit_after),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_app_env(tmp_path),
    )


@pytest.mark.slow
def test_app_shows_a_live_market_and_exits_cleanly(tmp_path: Path) -> None:
    env = _app_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "terminal.app.main", "--exit-after", "12", "--report"],
        capture_output=True,
        text=True,
        timeout=100,
        env=env,
    )
    assert result.returncode == 0, _why(result.stderr, tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert " qt: " not in result.stderr, result.stderr[-3000:]
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    messages = report["messages"]
    assert _count(messages, "order_book.") > 0, messages
    assert _count(messages, "trades.") > 0, messages
    assert _count(messages, "markets_summary") > 0, messages
    for panel in ("ladder", "chart", "tape"):
        assert report["frames"].get(panel, 0) > 0, report["frames"]
    assert 0 < report["startup_ms"] < 10_000
    assert report["first_live_ms"] > report["startup_ms"]
    assert set(report["loop_lag_ms"]) == {"p50", "p99", "p99.9", "max", "samples"}
    assert report["cpu_percent_live"] > 0
    assert report["exchange_peak_rss_mb"] > 0
    assert report["peak_rss_mb"] > 0
    assert report["reconnects"] == 0

    # The child exchange is gone once the app has exited.
    with pytest.raises(ProcessLookupError):
        os.kill(report["exchange_pid"], 0)


def test_hidden_flag_runs_the_embedded_exchange() -> None:
    """What the frozen binary does as the child: same entry point, exchange mode."""
    from terminal.app.demo_exchange import parse_url_line

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "terminal.app.main",
            "--run-embedded-exchange",
            "--port",
            "0",
            "--parent-watch",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        urls = parse_url_line(proc.stdout.readline())
        assert urls.rest.startswith("http://127.0.0.1:")
        proc.stdin.close()  # --parent-watch: the exchange exits when its parent goes away
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_sigterm_shuts_down_in_order(tmp_path: Path) -> None:
    """SIGTERM (or Ctrl+C) takes the same ordered path as closing the window."""
    proc = _launch_logged(tmp_path, exit_after=60)
    try:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:  # wait until the venue connection is up
            seen.append(line)
            if "connected to demo" in line:
                break
        else:
            pytest.fail("".join(seen))
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, _why(err, tmp_path)
    assert "Traceback" not in err, err
    report = json.loads(out.strip().splitlines()[-1])
    with pytest.raises(ProcessLookupError):
        os.kill(report["exchange_pid"], 0)


def _run_and_drop_connection(tmp_path: Path) -> tuple[int, list[str], dict[str, Any], str]:
    """Run the app, make the exchange close every WebSocket as soon as the app is connected,
    let it run on; (exit code, log, report, stderr)."""
    import httpx

    proc = _launch_logged(tmp_path, exit_after=9)
    try:
        assert proc.stderr is not None
        rest = ""
        for line in proc.stderr:
            if "embedded exchange pid" in line:
                rest = line.rsplit(" at ", 1)[1].strip().removesuffix("/v1")
            if "connected to demo" in line:
                break
        httpx.post(f"{rest}/_sim/faults", json={"disconnect": True}).raise_for_status()
        log = []
        for line in proc.stderr:
            log.append(line)
            if "LIVE (connected)" in line:
                break
        out, err = proc.communicate(timeout=40)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, log, json.loads(out.strip().splitlines()[-1]), err


@pytest.mark.slow
def test_app_reconnects_after_the_exchange_drops_it(tmp_path: Path) -> None:
    code, log, report, err = _run_and_drop_connection(tmp_path)
    assert code == 0, _why(err, tmp_path)
    assert "Traceback" not in err, err
    assert any("RECONNECTING" in line for line in log), log
    assert report["reconnects"] >= 1
    # Data resumed after the reconnect: every panel's channel flows and the ladder repaints.
    after = report["after_reconnect"]
    for family in ("order_book.", "trades.", "markets_summary"):
        assert _count(after["messages"], family) > 0, (family, after, report["messages"])
    assert after["frames"].get("ladder", 0) > 0, after
    assert "subscribe " not in err and "not subscribed" not in err, err


@pytest.mark.slow
def test_a_killed_exchange_is_told_and_replaced_by_a_new_demo_session(tmp_path: Path) -> None:
    """SIGKILL the embedded exchange: the app says so and starts a new one, instead of
    retrying a dead port for ever."""
    proc = _launch_logged(tmp_path, exit_after=18)
    try:
        assert proc.stderr is not None
        pids: list[int] = []
        log: list[str] = []
        for line in proc.stderr:
            log.append(line)
            if "embedded exchange pid" in line:
                pids.append(int(line.split("embedded exchange pid ", 1)[1].split()[0]))
            if "connected to demo" in line and len(pids) == 1:
                os.kill(pids[0], signal.SIGKILL)
            if "connected to demo" in line and len(pids) == 2:
                break
        else:
            pytest.fail("".join(log))
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = "".join(log)
    assert "the embedded exchange stopped (killed by SIGKILL); starting a new demo session" in text
    assert proc.returncode == 0, _why(err, tmp_path)
    assert "Traceback" not in text + err, text + err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["exchange_pid"] == pids[1] != pids[0]
    with pytest.raises(ProcessLookupError):
        os.kill(pids[1], 0)
