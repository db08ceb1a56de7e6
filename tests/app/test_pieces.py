"""Small parts of the shell: options, settings schema, loop lag, the report, the child argv."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

import pytest

from terminal.app.cli import EMBEDDED_EXCHANGE_FLAG, parse_args
from terminal.app.demo_exchange import DemoExchangeError, parse_url_line
from terminal.app.exchange_child import exchange_command
from terminal.app.looplag import LagStats, LoopLagMonitor
from terminal.app.report import RunReport, process_start_time
from terminal.app.resources import icon_path, style_path
from terminal.app.settings import AppSettings


def test_cli_options() -> None:
    opts = parse_args(["--exit-after", "3", "--report", "--rate", "2000", "--theme", "light"])
    assert (opts.exit_after, opts.report, opts.rate, opts.theme) == (3.0, True, 2000.0, "light")
    assert opts.profile == "demo" and opts.scenario is None
    with pytest.raises(SystemExit):
        parse_args(["--exit-after", "-1"])


def test_settings_schema_defaults_and_types(settings: AppSettings) -> None:
    assert settings.get("ui/theme") == "dark"
    settings.set("ui/theme", "light")
    assert settings.get("ui/theme") == "light"
    with pytest.raises(KeyError):
        settings.get("no/such/option")


def test_lag_stats_percentiles() -> None:
    stats = LagStats()
    for value in range(1, 101):
        stats.add(float(value))
    stats.add(-5.0)
    expected = {"p50": 50.0, "p99": 99.0, "p99.9": 100.0, "max": 100.0, "samples": 101}
    assert stats.summary() == expected
    assert stats.recent_max(3) == 100.0
    assert LagStats().summary() == {"p50": 0.0, "p99": 0.0, "p99.9": 0.0, "max": 0.0, "samples": 0}


def test_loop_lag_monitor_records_a_late_wake_up() -> None:
    loop = asyncio.new_event_loop()
    woke = loop.create_future()
    readings = iter([0.0, 0.031, 0.031])  # scheduled at 0; woke 30 ms after due (1 ms)

    def clock() -> float:
        value = next(readings, 0.031)
        if not woke.done() and value:
            loop.call_soon(woke.set_result, None)
        return value

    monitor = LoopLagMonitor(loop, interval_ms=1, clock=clock)
    monitor.start()
    loop.run_until_complete(asyncio.wait_for(woke, 2))
    monitor.stop()
    loop.close()
    assert not monitor.running
    assert monitor.stats.summary()["max"] == pytest.approx(30.0)


def test_report_shape() -> None:
    report = RunReport()
    report.messages["order_book.BTC-USD-PERP.deltas"] += 1
    report.frames["ladder"] += 2
    report.mark_first_paint()
    report.lag.add(100.0)
    report.mark_live()
    report.lag.add(2.0)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["loop_lag_live_ms"]["max"] == 2.0
    assert data["loop_lag_ms"]["max"] == 100.0
    assert data["messages"] == {"order_book.BTC-USD-PERP.deltas": 1}
    assert data["frames"] == {"ladder": 2}
    assert set(data["loop_lag_ms"]) == {"p50", "p99", "p99.9", "max", "samples"}
    assert 0 < data["startup_ms"] < 600_000
    assert data["peak_rss_mb"] > 10
    assert data["reconnects"] == 0


def test_process_start_is_before_now() -> None:
    assert time.time() - 3600 < process_start_time() <= time.time()


def test_exchange_command_not_frozen() -> None:
    cmd = exchange_command(seed=3, rate=2000.0, scenario="spike")
    assert cmd[:3] == [sys.executable, "-m", "terminal.sim"]
    assert "--parent-watch" in cmd and cmd[cmd.index("--rate") + 1] == "2000"
    assert EMBEDDED_EXCHANGE_FLAG not in cmd


def test_exchange_command_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert exchange_command()[:2] == [sys.executable, EMBEDDED_EXCHANGE_FLAG]


def test_url_line() -> None:
    urls = parse_url_line(b'{"rest": "http://127.0.0.1:5/v1", "ws": "ws://127.0.0.1:5/v1"}\n')
    assert urls.ws == "ws://127.0.0.1:5/v1"
    with pytest.raises(DemoExchangeError):
        parse_url_line(b"Traceback (most recent call last):\n")


def test_resources_exist() -> None:
    assert style_path("dark").is_file() and style_path("light").is_file()
    assert icon_path().is_file()


_FAKE_CHILD = (
    "import json, sys; "
    "print(json.dumps({'rest': 'http://127.0.0.1:9/v1', 'ws': 'ws://127.0.0.1:9/v1'}), "
    "flush=True); sys.stdin.read()"
)


async def test_demo_exchange_child_starts_and_stops() -> None:
    from terminal.app.demo_exchange import DemoExchange

    exchange = DemoExchange([sys.executable, "-c", _FAKE_CHILD])
    urls = await exchange.start()
    assert urls.rest == "http://127.0.0.1:9/v1"
    pid = exchange.pid
    assert pid is not None
    await exchange.stop()
    assert exchange.pid is None
    with pytest.raises(ProcessLookupError):
        import os

        os.kill(pid, 0)


async def test_a_child_launched_before_the_loop_is_adopted_by_start() -> None:
    from terminal.app.demo_exchange import DemoExchange

    exchange = DemoExchange([sys.executable, "-c", _FAKE_CHILD])
    exchange.launch()  # as main.py does, before Qt and the loop exist
    pid = exchange.pid
    exchange.launch()  # once only
    assert exchange.pid == pid
    urls = await exchange.start()
    assert (urls.ws, exchange.pid) == ("ws://127.0.0.1:9/v1", pid)
    await exchange.stop()


def test_only_the_demo_profile_launches_an_exchange_at_process_start(monkeypatch) -> None:
    from terminal.app import exchange_child, main
    from terminal.app.cli import AppOptions

    launched: list[list[str]] = []
    monkeypatch.setattr(exchange_child, "launch_child", launched.append)
    assert main._launch_embedded_exchange(AppOptions(profile="testnet")) is None
    assert main._launch_embedded_exchange(AppOptions(profile="no-such")) is None
    assert main._launch_embedded_exchange(AppOptions(profile="demo", rate=5.0)) is not None
    assert len(launched) == 1 and "--scenario" not in launched[0]  # scenario: its default
    assert launched[0][launched[0].index("--rate") + 1] == "5"


async def test_demo_exchange_child_that_dies_is_an_error() -> None:
    from terminal.app.demo_exchange import DemoExchange

    exchange = DemoExchange([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(DemoExchangeError, match="code 3"):
        await exchange.start()


async def test_demo_exchange_death_is_seen_and_told_in_words() -> None:
    import os
    import signal

    from terminal.app.demo_exchange import DemoExchange, describe_exit

    exchange = DemoExchange([sys.executable, "-c", _FAKE_CHILD])
    await exchange.start()
    assert exchange.pid is not None
    os.kill(exchange.pid, signal.SIGKILL)
    code = await asyncio.wait_for(exchange.exited(), 10)
    assert code == -signal.SIGKILL
    assert describe_exit(code) == "killed by SIGKILL"
    assert describe_exit(3) == "exited with code 3"
    await exchange.stop()


async def test_a_stopped_demo_exchange_is_not_a_death() -> None:
    from terminal.app.demo_exchange import DemoExchange

    exchange = DemoExchange([sys.executable, "-c", _FAKE_CHILD])
    await exchange.start()
    watching = asyncio.ensure_future(exchange.exited())
    await exchange.stop()
    assert await asyncio.wait_for(watching, 10) is None


def test_report_times_first_live_and_the_steady_window_only(monkeypatch) -> None:
    clock = iter([1000.0, 1000.5, 1002.0, 1003.0, 1010.0])
    cpu = iter([5.0, 6.0, 7.0])
    monkeypatch.setattr("terminal.app.report.time.time", lambda: next(clock))
    monkeypatch.setattr("terminal.app.report.cpu_seconds", lambda: next(cpu))
    report = RunReport(started_at=999.0)
    report.extra["exchange_pid"] = os.getpid()
    report.mark_first_paint()  # 1000.0
    report.mark_live()  # 1000.5, cpu 5.0
    report.mark_first_live()  # 1002.0
    report.mark_first_live()  # ignored
    report.mark_phase("first_paint", at=1001.0)  # reached already: ignored
    report.mark_closing()  # 1003.0, cpu 6.0: 1 s of CPU over 2.5 s live
    data = report.as_dict()  # 1010.0: the shutdown's 7 s are not in the live figures
    assert (data["startup_ms"], data["first_live_ms"]) == (1000.0, 3000.0)
    assert data["phases_ms"] == {"first_paint": 1000.0, "first_live": 3000.0}
    assert data["cpu_percent_live"] == 40.0
    assert data["exchange_peak_rss_mb"] > 10  # read from /proc for the given pid
