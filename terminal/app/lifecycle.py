"""The app's life: QApplication on a qasync loop, start-up after first paint, ordered shutdown.

Shutdown order: the panels' widgets go → the desk lets go of its subscriptions (the
view-models get no more data) → supervised tasks stop group by group (view-models →
services → sockets, the venue connection closing with the sockets) → the embedded
exchange child stops → the loop closes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from concurrent.futures import Future
from typing import TYPE_CHECKING, NoReturn

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from terminal.app.cli import AppOptions
from terminal.app.logging_setup import configure_logging, enable_crash_log, log_dir
from terminal.app.looplag import LoopLagMonitor
from terminal.app.report import RunReport
from terminal.app.settings import AppSettings
from terminal.app.stalls import StallSampler
from terminal.app.theme import apply_theme, current_theme
from terminal.app.window import MainWindow

if TYPE_CHECKING:
    from terminal.app.demo_exchange import DemoExchange
    from terminal.app.session import MarketSession

log = logging.getLogger(__name__)

STATUS_INTERVAL_MS = 500
FIRST_PAINT_GRACE_S = 2.0
LAG_INTERVAL_MS = 5.0
"""Loop-lag sampling period: fine enough that p99.9 rests on dozens of samples a minute
(a 50 ms timer gave ~600 samples in 30 s, making p99 the sixth-worst); ≈ 1 % of a core."""
LAG_WINDOW = 200
"""Lag samples the status bar's figure covers: the last second."""


class AppShell:
    """Owns the window, the background session and the run's metrics."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        settings: AppSettings,
        options: AppOptions,
        report: RunReport,
        exchange: DemoExchange | None = None,
        venue_modules: Future[None] | None = None,
    ) -> None:
        self.app = app
        self.window = window
        self.settings = settings
        self.options = options
        self.report = report
        self.exit_code = 0
        self.exchange = exchange
        self._venue_modules = venue_modules
        self.session: MarketSession | None = None
        self._painted = asyncio.Event()
        self._quit = asyncio.Event()
        self._wake = asyncio.Event()  # quit asked for, or the session must be replaced
        self._lost: str | None = None
        self._lag: LoopLagMonitor | None = None
        self._stalls: StallSampler | None = None
        self._status_timer = QTimer(window)
        self._status_timer.setInterval(STATUS_INTERVAL_MS)
        self._status_timer.timeout.connect(self._refresh_status)
        window.first_painted.connect(self._on_first_paint)
        window.closing.connect(self.request_quit)
        window.theme_requested.connect(self.set_theme)
        settings.watch("ui/theme", self.set_theme)
        window.accounts_requested.connect(self.open_accounts)

    def _on_first_paint(self) -> None:
        self.report.mark_first_paint()
        self._painted.set()

    def request_quit(self) -> None:
        """Begin the ordered shutdown (window closed, Ctrl+Q, --exit-after, SIGTERM)."""
        self._quit.set()
        self._wake.set()

    def _exchange_lost(self, why: str) -> None:
        self._lost = why
        self._wake.set()

    def set_theme(self, name: str) -> None:
        """Switch theme for the shell and the panels, and remember it."""
        # Remembering it tells the setting's watchers, this among them: restyle only once.
        if name != current_theme(self.app):
            apply_theme(self.app, name)
            if self.session is not None:
                self.session.set_theme(name)
        self.window.show_theme(name)
        self.settings.set("ui/theme", name)

    def open_accounts(self) -> None:
        """File → Accounts…: the key set-up dialog for the real profiles."""
        from terminal.app.accounts_dialog import open_accounts_dialog

        if self.session is not None:
            dialog = open_accounts_dialog(
                self.window, self.options.profile, self.session.supervisor
            )
            dialog.stored.connect(self._on_key_stored)

    def _on_key_stored(self, profile: str) -> None:
        if self.session is not None and profile == self.options.profile:
            self.session.banner.show_message(
                f"A key for {profile} is stored. Reconnect to trade with it.",
                "Reconnect",
                self._restart_session,
            )

    def _restart_session(self) -> None:
        self._wake.set()

    async def run(self) -> int:
        """Show the window, start the session after the first paint, wait for quit."""
        loop = asyncio.get_running_loop()
        self.window.show()
        try:
            await asyncio.wait_for(self._painted.wait(), FIRST_PAINT_GRACE_S)
        except TimeoutError:
            log.warning("no paint event within %.0f s; starting anyway", FIRST_PAINT_GRACE_S)
        self._lag = LoopLagMonitor(loop, LAG_INTERVAL_MS)
        self._lag.stats = self.report.lag
        self._lag.start()
        if self.options.stall_ms is not None:
            self._stalls = StallSampler(loop, self.options.stall_ms)
            self._stalls.start()
        self._status_timer.start()
        if self.options.exit_after is not None:
            loop.call_later(self.options.exit_after, self.window.close)
        from terminal.app.session import MarketSession

        exchange, self.exchange = self.exchange, None
        while True:
            # The first session takes the exchange launched at process start; a replacement
            # session (the embedded exchange died) starts a new one of its own.
            self.session = MarketSession(
                self.window,
                self.settings,
                self.options,
                self.report,
                exchange=exchange,
                venue_modules=self._venue_modules,
            )
            exchange = None
            self.session.on_exchange_lost = self._exchange_lost
            self.session.set_theme(current_theme(self.app))
            self.session.start()
            await self._wake.wait()
            self._wake.clear()
            if self._quit.is_set():
                break
            # The embedded exchange died (a new one, a new demo account), or a key was stored
            # (sign in with it): a new session, whose desk replaces the panels' widgets.
            await self._close_session()
            if self._lost is not None:
                self.window.status.notice(f"{self._lost}; a new demo session was started")
                self._lost = None
        self._end_measurements()
        await self.shutdown()
        return self.exit_code

    def _end_measurements(self) -> None:
        # The run's figures cover the running app, not its shutdown.
        self.report.mark_closing()
        if self._lag is not None:
            self._lag.stop()
        if self._stalls is not None:
            self._stalls.stop()
            self.report.extra["stalls"] = self._stalls.summary(since=self.report.live_since)

    def _refresh_status(self) -> None:
        status = self.window.status
        stats = self.session.feed_stats() if self.session is not None else None
        if stats is not None:
            status.set_traffic(stats.msgs_per_s, stats.last_message_age_s, stats.data_age_s)
        status.set_loop_lag(
            self.report.lag.recent_max(LAG_WINDOW) if len(self.report.lag) else None
        )

    async def shutdown(self) -> None:
        """Stop everything in order (module docstring); never raises."""
        self._status_timer.stop()
        self.window.close_panels()
        await self._close_session()

    async def _close_session(self) -> None:
        if self.session is None:
            return
        try:
            # Bounded inside: the supervisor has a budget, the child a SIGKILL deadline.
            await self.session.close()
        except Exception:
            log.exception("session shutdown failed")
            self.exit_code = 1
        if self.session.failed:
            self.exit_code = 1


def _install_signal_handlers(shell: AppShell, loop: asyncio.AbstractEventLoop) -> None:
    # Python runs signal handlers between bytecodes; the lag monitor's periodic wake-ups
    # give it the chance while Qt sits in C++.
    def handler(signum: int, frame: object) -> None:
        loop.call_soon_threadsafe(shell.request_quit)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def run_app(
    options: AppOptions,
    *,
    started_at: float,
    exchange: DemoExchange | None = None,
    venue_modules: Future[None] | None = None,
) -> int:
    """Create the QApplication, run the terminal until it quits; the process exit code.

    Started already by main.py: `exchange`, the demo profile's embedded exchange, and
    `venue_modules`, the venue's preload (start_preload).
    """
    configure_logging(options.log_level, log_dir())
    enable_crash_log(log_dir())
    report = RunReport(started_at=started_at)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("paradex-terminal")
    app.setOrganizationName("ParadexTerminal")
    app.setApplicationDisplayName("Paradex Terminal")
    # Wayland names the window by this: it matches packaging/linux/paradex-terminal.desktop.
    app.setDesktopFileName("paradex-terminal")
    # Quitting goes through the ordered shutdown, not Qt's last-window rule.
    app.setQuitOnLastWindowClosed(False)
    settings = AppSettings()
    if options.reset_layout:
        settings.clear_layout()  # before the window restores it
    theme = options.theme or settings.get("ui/theme")
    apply_theme(app, theme)
    window = MainWindow(settings, frames=report.frames)
    window.show_theme(theme)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    shell = AppShell(app, window, settings, options, report, exchange, venue_modules)
    _install_signal_handlers(shell, loop)
    try:
        code: int = loop.run_until_complete(shell.run())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    settings.sync()
    if options.report:
        # A windowed Windows build has no stdout: the report goes beside the log file.
        report.emit(None if sys.stdout is not None else log_dir() / "report.json")
    return code


def exit_process(code: int) -> NoReturn:
    """End the process after run_app's ordered shutdown, skipping the interpreter's
    teardown of the Qt object tree.

    Destroying Qt objects from Python's finalizer is a known source of intermittent
    crashes (PYSIDE-2254 and its kin); CI saw one SIGSEGV of a 12 s demo run, with nothing
    on stdout or stderr, that 300 runs here did not reproduce. By now the sockets, the
    exchange child and the loop are closed and the settings written; what is left is
    flushing the log handlers and the standard streams.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(code)
