"""Cold start to the first painted window, and peak RSS, against a bare PySide6 window.

The baseline is `import PySide6.QtWidgets` + an empty QMainWindow shown until its first
paint, timed from the same OS process-creation clock, in the same run. Budgets (DESIGN.md):
first paint ≤ 1 s, RSS ≤ 300 MB; the `*_vs_budget` lines report against them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap

from bench.bench_app import run_app
from bench.report import emit

RUNS = 3
BUDGET_MS = 1000.0
BUDGET_MB = 300.0

BARE_WINDOW = textwrap.dedent(
    """
    import json, time
    from terminal.app.report import peak_rss_mb, process_start_time
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Window(QMainWindow):
        painted = None
        def event(self, e):
            if self.painted is None and e.type() == QEvent.Type.Paint:
                self.painted = time.time()
                app.quit()
            return super().event(e)

    app = QApplication([])
    w = Window()
    w.resize(1600, 960)
    w.show()
    app.exec()
    print(json.dumps({"startup_ms": (w.painted - process_start_time()) * 1000,
                      "peak_rss_mb": peak_rss_mb()}))
    """
)


def _bare() -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", BARE_WINDOW], capture_output=True, text=True, env=env, check=True
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    """Median of a few cold starts of each, app and bare window, interleaved."""
    app_ms, app_mb, bare_ms, bare_mb = [], [], [], []
    for _ in range(RUNS):
        bare = _bare()
        bare_ms.append(bare["startup_ms"])
        bare_mb.append(bare["peak_rss_mb"])
        report = run_app("--exit-after", "1.5")
        app_ms.append(report["startup_ms"])
        app_mb.append(report["peak_rss_mb"])
    first_paint = statistics.median(app_ms)
    rss = max(app_mb)
    emit("startup.first_paint_ms", first_paint, "ms", statistics.median(bare_ms))
    emit("startup.peak_rss_mb", rss, "MB", max(bare_mb))
    emit("startup.first_paint_vs_budget", first_paint, "ms", BUDGET_MS)
    emit("startup.peak_rss_vs_budget", rss, "MB", BUDGET_MB)


if __name__ == "__main__":
    main()
