"""The whole app under a feed of more than 2,000 msgs/s received vs a trickle, same run.

Each run is `paradex-terminal --rate R --exit-after S --report` headless against the
embedded exchange. Figures: event-loop lag p50/p99/max (budget: p99 under one 16 ms
frame), ladder repaints per second (the throttle caps them near 60), CPU % of the app
process, and the messages per second the app actually RECEIVES. The exchange's `--rate`
is for all markets while the app follows one market's book and trades plus the summaries
(about a third of it): `LOADED_RATE` is chosen so the received figure is ≥ 2,000/s, and
a note on stderr says when it is not.
`python -m bench.bench_app [SECONDS]` (default 30).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

from bench.report import emit

LOADED_RATE = 8_000
IDLE_RATE = 5
TARGET_RECEIVED_PER_S = 2000
VENV_APP = (sys.executable, "-m", "terminal.app.main")


def run_app(
    *args: str, timeout: float = 180.0, command: Sequence[str] = VENV_APP
) -> dict[str, Any]:
    """`COMMAND --report ARGS` (by default the app from this virtualenv) offscreen, with
    fresh settings; its report."""
    with tempfile.TemporaryDirectory() as config_home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": config_home}
        result = subprocess.run(
            [*command, "--report", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"app run failed ({result.returncode}): {result.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def main() -> None:
    """Loaded run, then the idle baseline; one JSON line per figure."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
    runs = {
        name: run_app("--rate", str(rate), "--exit-after", str(seconds), timeout=seconds + 120)
        for name, rate in (("loaded", LOADED_RATE), ("idle", IDLE_RATE))
    }
    loaded, idle = runs["loaded"], runs["idle"]
    # Steady state: samples from when the panels were live (start-up has its own bench).
    live, idle_live = loaded["loop_lag_live_ms"], idle["loop_lag_live_ms"]
    for figure in ("p50", "p99", "max"):
        emit(f"app.loop_lag_{figure}_ms", live[figure], "ms", idle_live[figure])
    emit(
        "app.loop_lag_p99_with_startup_ms",
        loaded["loop_lag_ms"]["p99"],
        "ms",
        idle["loop_lag_ms"]["p99"],
    )
    emit(
        "app.ladder_repaints_per_s",
        loaded["frames"].get("ladder", 0) / seconds,
        "frames/s",
        idle["frames"].get("ladder", 0) / seconds,
    )
    emit("app.cpu_percent", loaded["cpu_percent"], "%", idle["cpu_percent"])
    received = sum(loaded["messages"].values()) / seconds
    emit(
        "app.messages_received_per_s", received, "msgs/s", sum(idle["messages"].values()) / seconds
    )
    if received < TARGET_RECEIVED_PER_S:
        print(
            f"note: the app received {received:.0f} msgs/s, under the {TARGET_RECEIVED_PER_S}/s"
            f" target, at exchange rate {LOADED_RATE}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
