"""Rate-limit a callback: the first call runs at once, a burst collapses into one late call.

After qutebrowser's `misc/throttle.py`. The repaint of a ladder, the flush of a table and
the redraw of a live candle all go through one of these so a 2k msgs/s feed costs at most
one call per frame.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

FRAME_MS = 16
"""One frame at 60 Hz: the default window for anything that ends in a repaint."""


class Throttle(QObject):
    """Call `callback` at most once per `interval_ms`, always with the latest arguments.

    The window is a single-shot QTimer started by every call that runs. Tests either call
    `flush()` or inject their own `timer` and emit its `timeout` to end a window, so they
    never wait on wall time.
    """

    def __init__(
        self,
        callback: Callable[..., object],
        interval_ms: int = FRAME_MS,
        *,
        parent: QObject | None = None,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(parent)
        self._callback = callback
        self._interval_ms = interval_ms
        self._pending: tuple[tuple[object, ...], dict[str, object]] | None = None
        # The window's state, kept here: asking the QTimer (`isActive`, a call into Qt)
        # on every message was ≈ 8 % of the feed's handling at 8k msgs/s (py-spy).
        self._window_open = False
        self._timer = timer if timer is not None else QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_window_end)

    @property
    def pending(self) -> bool:
        """Whether a collapsed call is waiting for the window to end."""
        return self._pending is not None

    @property
    def interval_ms(self) -> int:
        """The minimum time between two calls."""
        return self._interval_ms

    def __call__(self, *args: object, **kwargs: object) -> None:
        """Run now if no window is open, else keep the latest arguments for the window's end."""
        if self._window_open:
            self._pending = (args, kwargs)
        else:
            self._run(args, kwargs)

    def flush(self) -> None:
        """Run the pending call now, if there is one (tests, shutdown)."""
        if self._pending is not None:
            self._run(*self._pending)

    def cancel(self) -> None:
        """Drop the pending call and close the window."""
        self._timer.stop()
        self._window_open = False
        self._pending = None

    def _on_window_end(self) -> None:
        self._window_open = False
        if self._pending is not None:
            self._run(*self._pending)

    def _run(self, args: tuple[object, ...], kwargs: dict[str, object]) -> None:
        self._pending = None
        # Open a fresh window first so calls made by the callback itself collapse too.
        self._window_open = True
        self._timer.start(self._interval_ms)
        self._callback(*args, **kwargs)
