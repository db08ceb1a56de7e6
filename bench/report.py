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
    paired: Sequence[float] | None = None,
) -> None:
    """Print one figure next to its same-run baseline as a JSON line.

    `runs`, the figure of each repetition, adds their min / median / max (the machine is
    shared: one number hides how much it moved). `paired`, the ratio of each repetition to
    the baseline measured right beside it, adds their median and spread as `paired_ratio`:
    steadier than the ratio of medians when the machine's speed drifts between passes.
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
        line["runs"] = _spread(runs)
    if paired:
        line["paired_ratio"] = _spread(paired, 4)
    print(json.dumps(line), flush=True)


def _spread(values: Sequence[float], digits: int = 6) -> dict[str, float]:
    return {
        "n": len(values),
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
    }


def emit_runs(
    bench: str,
    runs: Sequence[float],
    unit: str,
    baselines: Sequence[float],
    *,
    paired: bool = False,
) -> None:
    """Print the median of repeated figures against the median of their same-run baselines;
    `paired`: `runs[i]` was measured right beside `baselines[i]` (adds `paired_ratio`)."""
    pairs = [r / b for r, b in zip(runs, baselines, strict=True) if b] if paired else None
    emit(
        bench, statistics.median(runs), unit, statistics.median(baselines), runs=runs, paired=pairs
    )
