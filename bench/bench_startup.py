"""Cold start to the first painted window and to the first live book, and peak RSS.

`first_live_ms` is process start → the ladder's first paint of a live book (the demo
exchange started, signed in, subscribed, first snapshot applied). The app's peak RSS and
the embedded exchange child's are reported apart. The baseline is `import
PySide6.QtWidgets` + an empty QMainWindow shown until its first paint, timed from the same
OS process-creation clock, in the same run. Budgets (DESIGN.md, issue 12): first paint
≤ 1 s, first live ≤ 1 s, RSS ≤ 300 MB; `*_vs_budget` lines report against them.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bench.bench_app import run_app
from bench.report import emit_runs

RUNS = 3
RUN_S = 10.0
"""Long enough to go live (≈ 1.1 s on a quiet machine, 4-8 s at load 10 on 2 cores)."""
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


def _compile_bytecode() -> None:
    """Write the package's bytecode first. An installed app compiles once, on its first
    start, and every later start reads the `.pyc` files; a tree without them (a fresh
    clone, or PYTHONDONTWRITEBYTECODE set, as in this sandbox) would time the compiler
    too: 100-150 ms of it here."""
    import terminal

    compileall.compile_dir(Path(terminal.__file__).parent, quiet=1)


def main() -> None:
    """RUNS cold starts of each, app and bare window, interleaved; medians and their spread."""
    _compile_bytecode()
    app: dict[str, list[float]] = {"paint": [], "live": [], "rss": [], "exchange_rss": []}
    bare: dict[str, list[float]] = {"paint": [], "rss": []}
    for _ in range(RUNS):
        window = _bare()
        bare["paint"].append(window["startup_ms"])
        bare["rss"].append(window["peak_rss_mb"])
        report = run_app("--exit-after", str(RUN_S))
        app["paint"].append(report["startup_ms"])
        # Never live within the run: counted as the whole run, so the figure cannot flatter.
        app["live"].append(report["first_live_ms"] or RUN_S * 1000)
        app["rss"].append(report["peak_rss_mb"])
        app["exchange_rss"].append(report["exchange_peak_rss_mb"] or 0.0)
    emit_runs("startup.first_paint_ms", app["paint"], "ms", bare["paint"])
    emit_runs("startup.first_live_ms", app["live"], "ms", bare["paint"])
    emit_runs("startup.peak_rss_mb", app["rss"], "MB", bare["rss"])
    emit_runs("startup.exchange_peak_rss_mb", app["exchange_rss"], "MB", bare["rss"])
    emit_runs("startup.first_paint_vs_budget", app["paint"], "ms", [BUDGET_MS])
    emit_runs("startup.first_live_vs_budget", app["live"], "ms", [BUDGET_MS])
    emit_runs("startup.peak_rss_vs_budget", app["rss"], "MB", [BUDGET_MB])


if __name__ == "__main__":
    main()
