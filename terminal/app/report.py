"""The `--report` metrics: start-up time, messages, repaints, loop lag, memory, reconnects."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from terminal.app.looplag import LagStats

_IMPORT_TIME = time.time()


def process_start_time() -> float:
    """When the OS created this process (epoch seconds); the earliest import time if unknown."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            # The command name (field 2) may hold spaces: split after its closing paren.
            fields = fh.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        now = time.time()
        start_ticks = int(fields[19])  # field 22 overall: starttime, in clock ticks since boot
    except (OSError, ValueError, IndexError):
        return _IMPORT_TIME
    # Both are seconds since boot (10 ms resolution): their difference is our age.
    age = uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    return min(now - max(age, 0.0), _IMPORT_TIME)


def peak_rss_mb() -> float:
    """Peak resident set size of this process (MB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child_peak_rss_mb(pid: int) -> float | None:
    """Peak resident set size of another process (MB, Linux only); None if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None


def cpu_seconds() -> float:
    """User + system CPU time this process used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class RunReport:
    """Metrics gathered while the app runs, printed as one JSON line at exit."""

    started_at: float = field(default_factory=process_start_time)
    first_paint_at: float | None = None
    messages: Counter[str] = field(default_factory=Counter)
    frames: Counter[str] = field(default_factory=Counter)
    lag: LagStats = field(default_factory=LagStats)
    reconnects: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    live_lag: LagStats | None = None
    """The lag samples taken once the panels were live (the steady state)."""
    live_since: float | None = None
    """perf_counter() when the steady state began."""

    first_live_at: float | None = None
    phases: dict[str, float] = field(default_factory=dict)
    """Start-up milestones (name → ms since process start), in the order reached."""
    # (wall, cpu) seconds where the steady state began and ended; the child's peak RSS.
    _live_from: tuple[float, float] | None = field(default=None, init=False)
    _live_until: tuple[float, float] | None = field(default=None, init=False)
    _exchange_rss_mb: float | None = field(default=None, init=False)

    def mark_live(self) -> None:
        """The panels are built and fed: lag samples of wake-ups due from now on are the
        steady state (one that a start-up stall delayed past this mark is not)."""
        if self.live_lag is None:
            self.live_since = time.perf_counter()
            self.live_lag = self.lag.fork(since=self.live_since)
            self._live_from = (time.time(), cpu_seconds())

    def mark_first_live(self) -> None:
        """The ladder painted its first live book (later calls are ignored)."""
        if self.first_live_at is None:
            self.first_live_at = time.time()
            self.mark_phase("first_live", at=self.first_live_at)

    def mark_phase(self, name: str, at: float | None = None) -> None:
        """Record when a start-up milestone was reached (now, or at epoch `at`; first time only)."""
        if name not in self.phases:
            when = time.time() if at is None else at
            self.phases[name] = round((when - self.started_at) * 1000, 1)

    def mark_closing(self) -> None:
        """Shutdown begins: the steady-state window ends here, before any shutdown cost."""
        if self._live_until is None:
            self._live_until = (time.time(), cpu_seconds())
            pid = self.extra.get("exchange_pid")
            # Read now: the child is gone by the time the report is printed.
            if isinstance(pid, int):
                self._exchange_rss_mb = child_peak_rss_mb(pid)

    def mark_first_paint(self) -> None:
        """Record the first painted window (later calls are ignored)."""
        if self.first_paint_at is None:
            self.first_paint_at = time.time()
            self.mark_phase("first_paint", at=self.first_paint_at)

    @property
    def startup_ms(self) -> float | None:
        """Process start → first painted window."""
        return self._since_start(self.first_paint_at)

    @property
    def first_live_ms(self) -> float | None:
        """Process start → first live book painted on the ladder."""
        return self._since_start(self.first_live_at)

    def _since_start(self, at: float | None) -> float | None:
        return None if at is None else round((at - self.started_at) * 1000, 1)

    def _live_cpu_percent(self) -> float | None:
        if self._live_from is None:
            return None
        wall_end, cpu_end = self._live_until or (time.time(), cpu_seconds())
        wall = max(1e-9, wall_end - self._live_from[0])
        return round(100 * (cpu_end - self._live_from[1]) / wall, 1)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        wall = max(1e-9, time.time() - self.started_at)
        return {
            "startup_ms": self.startup_ms,
            "first_live_ms": self.first_live_ms,
            "phases_ms": self.phases,
            "messages": dict(self.messages),
            "frames": dict(self.frames),
            "loop_lag_ms": self.lag.summary(),
            "loop_lag_live_ms": self.live_lag.summary() if self.live_lag is not None else None,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "cpu_percent": round(100 * cpu_seconds() / wall, 1),
            "cpu_percent_live": self._live_cpu_percent(),
            "exchange_peak_rss_mb": self._exchange_rss_mb,
            "wall_s": round(wall, 2),
            "reconnects": self.reconnects,
            **self.extra,
        }

    def emit(self, path: Path | None = None) -> None:
        """Print the report as the last line of stdout, or write it to `path`."""
        line = json.dumps(self.as_dict(), sort_keys=True)
        if path is None:
            print(line, flush=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(line + "\n", encoding="utf-8")
