"""The one output format of every benchmark."""

from __future__ import annotations

import json


def emit(bench: str, value: float, unit: str, baseline: float) -> None:
    """Print one figure next to its same-run baseline as a JSON line."""
    ratio = value / baseline if baseline else float("inf")
    print(
        json.dumps(
            {
                "bench": bench,
                "value": round(value, 6),
                "unit": unit,
                "baseline": round(baseline, 6),
                "ratio": round(ratio, 4),
            }
        ),
        flush=True,
    )
