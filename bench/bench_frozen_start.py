"""Cold start of the frozen binary (`make package`) against the app from the virtualenv.

Both are timed the same way: OS process creation → first painted window, from the app's
`--report`, headless, interleaved, median of a few runs (with their min / max); peak RSS
beside it. The baseline is `python -m terminal.app.main` in this run. With no build in
dist/ the bench prints one JSON line saying it skipped, and exits 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.bench_app import run_app
from bench.report import emit_runs

RUNS = 3
BINARY = Path(__file__).resolve().parents[1] / "dist" / "paradex-terminal" / "paradex-terminal"


def main() -> None:
    """Frozen vs virtualenv first paint and peak RSS, or a skip note."""
    binary = BINARY.with_suffix(".exe") if sys.platform == "win32" else BINARY
    if not binary.exists():
        note = f"skipped: no frozen build at {binary} (run `make package` first)"
        print(json.dumps({"bench": "frozen.first_paint_ms", "note": note}), flush=True)
        return
    frozen_ms, frozen_mb, venv_ms, venv_mb = [], [], [], []
    for _ in range(RUNS):
        venv = run_app("--exit-after", "1.5")
        venv_ms.append(venv["startup_ms"])
        venv_mb.append(venv["peak_rss_mb"])
        frozen = run_app("--exit-after", "1.5", command=[str(binary)])
        frozen_ms.append(frozen["startup_ms"])
        frozen_mb.append(frozen["peak_rss_mb"])
    emit_runs("frozen.first_paint_ms", frozen_ms, "ms", venv_ms)
    emit_runs("frozen.peak_rss_mb", frozen_mb, "MB", venv_mb)


if __name__ == "__main__":
    main()
