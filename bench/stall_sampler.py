"""Where the event loop stalls under a spike: the app's stall sampler, run and ranked.

`python -m bench.stall_sampler [SECONDS] [THRESHOLD_MS] [RUNS] [RATE]` (defaults 30, 30,
3, 8000) runs `paradex-terminal --scenario spike --rate RATE --stall-ms THRESHOLD_MS
--report` headless, RUNS times, and prints each run's stalls (count, worst durations) and
the code sites where the stalled time went, summed over the runs: `innermost` is the
frame running when sampled, `project` the innermost frame in terminal/ on that stack;
first over the steady state (from 3 s after start, what the loop-lag budget covers), then
over the whole run (start-up included); and each run's live loop lag p99 and max, then
their min / median / max over the runs.
Not a `bench_*` module: a tool for finding stalls, not a figure with a baseline.
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from typing import Any

from bench.bench_app import run_app

RATE = 8000


def _merge(runs: list[dict[str, Any]], key: str) -> list[tuple[str, float, float]]:
    """(site, sampled ms summed over runs, worst stall ms) for one ranking, worst first."""
    sampled: defaultdict[str, float] = defaultdict(float)
    worst: defaultdict[str, float] = defaultdict(float)
    for stalls in runs:
        for row in stalls[key]:
            sampled[row["site"]] += row["sampled_ms"]
            worst[row["site"]] = max(worst[row["site"]], row["worst_stall_ms"])
    return sorted(((s, sampled[s], worst[s]) for s in sampled), key=lambda r: -r[1])


def _spread(values: list[float | None]) -> str:
    """min / median / max (ms) of the runs that have the figure."""
    have = sorted(v for v in values if v is not None)
    if not have:
        return "none (no run went live)"
    return f"min {have[0]:.1f} median {statistics.median(have):.1f} max {have[-1]:.1f} ms"


def main() -> None:
    """Run the spike RUNS times and print the stall sites."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else RATE
    runs = []
    lags: list[dict[str, float]] = []
    for i in range(count):
        report = run_app(
            "--scenario",
            "spike",
            "--rate",
            f"{rate:g}",
            "--stall-ms",
            f"{threshold:g}",
            "--exit-after",
            f"{seconds:g}",
            timeout=seconds + 120,
        )
        stalls = report["stalls"]
        runs.append(stalls)
        lag = report["loop_lag_live_ms"] or {}
        lags.append(lag)
        for name, part in (("steady", stalls.get("steady", {})), ("whole run", stalls)):
            print(
                f"run {i + 1}, {name}: {part.get('count')} stalls > {threshold:g} ms, "
                f"{part.get('total_ms', 0):.0f} ms in all; worst {part.get('worst_ms')} "
                f"at {part.get('worst_at_s')} s"
            )
        print(f"run {i + 1}: live lag p99 {lag.get('p99')} max {lag.get('max')} ms")
    for figure in ("p99", "max"):
        print(f"over {count} runs: live lag {figure} {_spread([lag.get(figure) for lag in lags])}")
    steady = [stalls.get("steady", {"innermost": [], "project": []}) for stalls in runs]
    for name, parts in (("steady", steady), ("whole run", runs)):
        for key in ("innermost", "project"):
            print(f"\n{name}, {key}: sampled ms (sum of {count} runs), worst stall ms, site")
            for site, sampled, worst in _merge(parts, key)[:15]:
                print(f"  {sampled:8.0f} {worst:8.1f}  {site}")


if __name__ == "__main__":
    main()
