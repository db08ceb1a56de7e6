"""Loop-stall sampler: the main thread's Python stack whenever the event loop stops answering.

A watchdog thread pings the loop (`call_soon_threadsafe`) and waits for the answer; when
none comes within the threshold, it samples the main thread's stack every few
milliseconds (`sys._current_frames`) until the loop answers. Each stall is kept with its
duration and samples; `summary()` ranks the code sites where the stalled time went. A
paint in C++ shows as the Python frame that entered Qt (often the event loop itself).
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from types import FrameType
from typing import Any

SAMPLE_MS = 5.0
MAX_DEPTH = 60
MAX_STALLS = 2000
_PROJECT_MARK = f"{os.sep}terminal{os.sep}"


@dataclass(frozen=True, slots=True)
class Stall:
    """One stall: when it began (perf_counter s), how long, and the stacks sampled in it.

    Stacks are innermost frame first, each frame "path:line function".
    """

    started_at: float
    duration_ms: float
    stacks: tuple[tuple[str, ...], ...]


def _frame_text(frame: FrameType) -> str:
    code = frame.f_code
    path = code.co_filename
    # Shorten to the package-relative part: terminal/…, pyqtgraph/…, asyncio/….
    for marker in (_PROJECT_MARK, f"{os.sep}site-packages{os.sep}", f"{os.sep}lib{os.sep}"):
        index = path.rfind(marker)
        if index >= 0:
            path = path[index + len(marker) :] if marker != _PROJECT_MARK else path[index + 1 :]
            break
    return f"{path}:{frame.f_lineno} {code.co_name}"


def stack_of(thread_id: int) -> tuple[str, ...]:
    """The current stack of a thread, innermost frame first (empty if it is gone)."""
    frame = sys._current_frames().get(thread_id)
    out: list[str] = []
    while frame is not None and len(out) < MAX_DEPTH:
        out.append(_frame_text(frame))
        frame = frame.f_back
    return tuple(out)


class StallSampler:
    """Records the main thread's stack during every loop stall longer than `threshold_ms`."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        threshold_ms: float,
        *,
        thread_id: int | None = None,
        sample_ms: float = SAMPLE_MS,
    ) -> None:
        self._loop = loop
        self._threshold = threshold_ms / 1000
        self._sample = sample_ms / 1000
        self._thread_id = thread_id if thread_id is not None else threading.get_ident()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.stalls: list[Stall] = []
        self._created_at = time.perf_counter()

    def start(self) -> None:
        """Start the watchdog thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="stall sampler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the watchdog (keeps what it recorded)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _watch(self) -> None:
        while not self._stop.is_set():
            answered = threading.Event()
            answer: list[float] = []

            def pong(answer: list[float] = answer, answered: threading.Event = answered) -> None:
                answer.append(time.perf_counter())
                answered.set()

            sent = time.perf_counter()
            try:
                self._loop.call_soon_threadsafe(pong)
            except RuntimeError:  # the loop closed
                return
            if answered.wait(self._threshold):
                self._stop.wait(self._sample)
                continue
            stacks = []
            while not answered.wait(self._sample) and not self._stop.is_set():
                stacks.append(stack_of(self._thread_id))
            if answer and len(self.stalls) < MAX_STALLS:
                duration = (answer[0] - sent) * 1000
                self.stalls.append(Stall(sent, duration, tuple(stacks)))

    def summary(self, top: int = 10, *, since: float | None = None) -> dict[str, Any]:
        """Stall count and durations, and the sites the sampled time went to, worst first.

        `innermost`: the frame running when sampled; `project`: the innermost frame in
        terminal/ (which of our code paths led there). Each sample stands for `sample_ms`.
        `worst_at_s`: when each of the worst began, seconds after the sampler was made.
        Given `since` (perf_counter s), `steady` is the same over the stalls begun since
        then (start-up done), the ones the loop-lag budget is about.
        """
        out = self._summarise(self.stalls, top)
        if since is not None:
            out["steady"] = self._summarise([s for s in self.stalls if s.started_at >= since], top)
        return out

    def _summarise(self, stalls: list[Stall], top: int) -> dict[str, Any]:
        worst = sorted(stalls, key=lambda s: -s.duration_ms)[:top]
        durations = [s.duration_ms for s in stalls]
        innermost, project = _Tally(), _Tally()
        for stall in stalls:
            for stack in stall.stacks:
                if stack:
                    innermost.add(stack[0], stall.duration_ms)
                    site = next((f for f in stack if f.startswith("terminal")), stack[-1])
                    project.add(site, stall.duration_ms)
        sample_ms = self._sample * 1000
        return {
            "threshold_ms": round(self._threshold * 1000, 1),
            "count": len(durations),
            "total_ms": round(sum(durations), 1),
            "worst_ms": [round(s.duration_ms, 1) for s in worst],
            "worst_at_s": [round(s.started_at - self._created_at, 2) for s in worst],
            "innermost": innermost.ranked(top, sample_ms),
            "project": project.ranked(top, sample_ms),
        }


class _Tally:
    """Samples per site, and the longest stall each site was seen in."""

    def __init__(self) -> None:
        self._samples: Counter[str] = Counter()
        self._worst: defaultdict[str, float] = defaultdict(float)

    def add(self, site: str, stall_ms: float) -> None:
        self._samples[site] += 1
        self._worst[site] = max(self._worst[site], stall_ms)

    def ranked(self, top: int, sample_ms: float) -> list[dict[str, Any]]:
        return [
            {
                "site": site,
                "sampled_ms": round(n * sample_ms, 1),
                "worst_stall_ms": round(self._worst[site], 1),
            }
            for site, n in self._samples.most_common(top)
        ]
