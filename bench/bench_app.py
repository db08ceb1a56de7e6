"""The whole app under a feed of more than 2,000 msgs/s received vs a trickle, same run.

RUNS loaded runs alternate with RUNS idle ones (so load swings on the shared machine hit
both); each figure is the loaded runs' median against the idle runs' median, with the
loaded runs' min / median / max. Each run is `paradex-terminal --rate R --exit-after S
--report` headless against the embedded exchange. Figures: event-loop lag
p50/p99/p99.9/max sampled every 5 ms while live (budget: p99 under one 16 ms frame),
ladder repaints per second (the throttle caps them near 60), CPU % of the app process over
the live window only (not start-up or shutdown), and the messages per second the app
actually RECEIVES. The exchange's `--rate` is for all markets while the app follows one
market's book and trades plus the summaries (about a third of it): `LOADED_RATE` is chosen
so the received figure is ≥ 2,000/s, and a note on stderr says when it is not.
`python -m bench.bench_app [SECONDS]` (default 30).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

from bench.report import emit_runs

LOADED_RATE = 8_000
IDLE_RATE = 5
TARGET_RECEIVED_PER_S = 2000
RUNS = 3
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
    """RUNS loaded runs interleaved with RUNS idle baselines; one JSON line per figure."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
    runs: dict[str, list[dict[str, Any]]] = {"loaded": [], "idle": []}
    for _ in range(RUNS):
        for name, rate in (("loaded", LOADED_RATE), ("idle", IDLE_RATE)):
            runs[name].append(
                run_app("--rate", str(rate), "--exit-after", str(seconds), timeout=seconds + 120)
            )

    for name, kind_runs in runs.items():
        # A run that never went live (a starved machine) has no steady state to report.
        live = [r for r in kind_runs if r["loop_lag_live_ms"] is not None]
        if len(live) < len(kind_runs):
            print(
                f"note: {len(kind_runs) - len(live)} {name} run(s) never went live", file=sys.stderr
            )
        runs[name] = live
    if not runs["loaded"] or not runs["idle"]:
        raise SystemExit("no run went live: nothing to report")

    def per_s(count: float) -> float:
        return count / seconds

    def figure(name: str, unit: str, pick: Callable[[dict[str, Any]], float]) -> None:
        emit_runs(name, [pick(r) for r in runs["loaded"]], unit, [pick(r) for r in runs["idle"]])

    # Steady state: samples from when the panels were live (start-up has its own bench).
    for p in ("p50", "p99", "p99.9", "max"):
        figure(f"app.loop_lag_{p}_ms", "ms", lambda r, p=p: r["loop_lag_live_ms"][p])
    figure("app.loop_lag_samples", "samples", lambda r: r["loop_lag_live_ms"]["samples"])
    figure("app.loop_lag_p99_with_startup_ms", "ms", lambda r: r["loop_lag_ms"]["p99"])
    figure("app.ladder_repaints_per_s", "frames/s", lambda r: per_s(r["frames"].get("ladder", 0)))
    figure("app.cpu_percent_live", "%", lambda r: r["cpu_percent_live"])
    figure("app.messages_received_per_s", "msgs/s", lambda r: per_s(sum(r["messages"].values())))
    received = statistics.median(per_s(sum(r["messages"].values())) for r in runs["loaded"])
    if received < TARGET_RECEIVED_PER_S:
        print(
            f"note: the app received {received:.0f} msgs/s, under the {TARGET_RECEIVED_PER_S}/s"
            f" target, at exchange rate {LOADED_RATE}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
