"""The one output format of every benchmark."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence


def emit(
    bench: str,
    value: float,
    unit: str,
    baseline: float,
    *,
    runs: Sequence[float] | None = None,
) -> None:
    """Print one figure next to its same-run baseline as a JSON line.

    `runs`, the figure of each repetition, adds their min / median / max (the machine is
    shared: one number hides how much it moved).
    """
    ratio = value / baseline if baseline else float("inf")
    line: dict[str, object] = {
        "bench": bench,
        "value": round(value, 6),
        "unit": unit,
        "baseline": round(baseline, 6),
        "ratio": round(ratio, 4),
    }
    if runs:
        line["runs"] = {
            "n": len(runs),
            "min": round(min(runs), 6),
            "median": round(statistics.median(runs), 6),
            "max": round(max(runs), 6),
        }
    print(json.dumps(line), flush=True)


def emit_runs(bench: str, runs: Sequence[float], unit: str, baselines: Sequence[float]) -> None:
    """Print the median of repeated figures against the median of their same-run baselines."""
    emit(bench, statistics.median(runs), unit, statistics.median(baselines), runs=runs)
