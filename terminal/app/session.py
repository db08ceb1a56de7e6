"""The venue side of the app: embedded exchange (demo), venue connection, market data, desk.

Everything here runs after the window's first paint, in tasks the session's Supervisor
owns. `close()` stops it in order: the desk lets go of its panels' subscriptions, the
supervisor stops its task groups (the venue connection closes with the sockets), then the
embedded exchange child stops.

The run report gets `after_reconnect` (messages by channel and frames by panel since the
connection was last live again after a drop) when the connection dropped: proof that data
resumed, not only that the socket came back.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from terminal.app.banner import install_banner
from terminal.app.cli import AppOptions
from terminal.app.demo_exchange import DemoExchange, describe_exit
from terminal.app.docks import waiting_label
from terminal.app.exchange_child import exchange_command
from terminal.app.preload import CHART_LIBRARIES, VENUE_MODULES, preload
from terminal.app.qt_types import create_qt_types
from terminal.app.report import RunReport
from terminal.app.settings import AppSettings
from terminal.app.window import MainWindow
from terminal.domain.connection import ConnectionState
from terminal.services.supervisor import Group, Supervisor

if TYPE_CHECKING:
    from terminal.app.account_binding import AccountBinding
    from terminal.app.accounts import Access
    from terminal.app.desk import Desk, DeskPanels
    from terminal.app.profile_store import ProfileStore
    from terminal.app.profiles import Profile
    from terminal.app.trading_binding import TradingBinding
    from terminal.services.connection import VenueConnection
    from terminal.services.feed_stats import FeedStatsSnapshot
    from terminal.services.market_data import MarketDataService

log = logging.getLogger(__name__)

SUPERVISOR_BUDGET_S = 8.0
FIRST_BOOK_WAIT_S = 1.0
"""How long the chart's loading waits for the ladder's first live book."""
FRAME_S = 1 / 60
STEP_S = 0.001
"""A pause that lets Qt deliver what waits (paints, socket reads) between start-up steps."""
SETTLE_S = 0.25
STEADY_AFTER_S = 3.0
"""The loop-lag budget holds "after the first 3 s": start-up's stalls come before."""


class MarketSession:
    """Connects to the profile's venue and feeds the window's panels."""

    def __init__(
        self,
        window: MainWindow,
        settings: AppSettings,
        options: AppOptions,
        report: RunReport,
        *,
        exchange: DemoExchange | None = None,
        venue_modules: Future[None] | None = None,
        profiles: ProfileStore | None = None,
    ) -> None:
        self.window = window
        self.profiles = profiles
        self.settings = settings
        self.options = options
        self.report = report
        self.supervisor = Supervisor()
        self.failed = False
        # The demo profile's child, launched at process start (main.py) or, if not, here.
        self.exchange = exchange
        # The venue's preload, if main.py started it before the window (a replacement
        # session finds the modules loaded: its own preload returns at once).
        self._venue_modules = venue_modules
        self.connection: VenueConnection | None = None
        self.access: Access | None = None
        self.banner = install_banner(window)
        self.desk: Desk | None = None
        self.trading: TradingBinding | None = None
        self.account: AccountBinding | None = None
        self._theme = "dark"
        self._was_down = False
        self._resumed_from: tuple[dict[str, int], dict[str, int]] | None = None
        self.on_exchange_lost: Callable[[str], None] | None = None
        """Called with why, in words, when the embedded exchange dies under us."""

    def start(self) -> None:
        """Begin connecting in the background."""
        self.supervisor.spawn(self._open(), name="session start", group=Group.SERVICES)

    def set_theme(self, name: str) -> None:
        """Repaint the panels in a theme's colours."""
        self._theme = name
        if self.desk is not None:
            self.desk.set_theme(name)
        if self.trading is not None and self.desk is not None:
            self.trading.set_palette(self.desk.palette)
        if self.account is not None and self.desk is not None:
            self.account.set_palette(self.desk.palette)

    def feed_stats(self) -> FeedStatsSnapshot | None:
        """The market-data feed's figures, once connected."""
        return self.desk.market_data.stats() if self.desk is not None else None

    async def _open(self) -> None:
        status = self.window.status
        try:
            await self._connect()
        except Exception as exc:
            # The reason is shown to the user; secrets never reach exception texts.
            self.failed = True
            log.error("could not start the session: %s", exc, exc_info=exc)
            status.set_connection("error", f"{type(exc).__name__}: {exc}")

    async def _connect(self) -> None:
        """Start-up in order: venue reachable, signed in, the desk live, then the rest."""
        from terminal.app.profile_store import ProfileStore

        store = self.profiles or ProfileStore()
        profile = await self._venue_ready(store.get(self.options.profile))
        connection, access, panels = await self._sign_in(profile, store)
        first_live = asyncio.Event()
        self._build_desk(panels, connection, first_live)
        # The chart and the trading panels (numpy, pyqtgraph) load once the ladder is live:
        # importing them on the way there would hold the first book back. A market with no
        # book yet does not hold them back for long.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(first_live.wait(), FIRST_BOOK_WAIT_S)
        await self._build_the_rest(connection, access)

    async def _venue_ready(self, profile: Profile) -> Profile:
        """The venue's modules loaded and, for an embedded profile, its exchange listening;
        the profile with the exchange's URLs."""
        if not profile.embedded:
            await preload(VENUE_MODULES, started=self._venue_modules)
            return profile
        self.window.status.set_connection("connecting", "starting the embedded exchange")
        self.exchange = self.exchange or DemoExchange(
            exchange_command(
                seed=self.options.seed,
                rate=self.options.rate,
                scenario=self.options.scenario,
                venue=profile.venue,
            )
        )
        # The child boots while the worker thread imports the venue.
        started = self.supervisor.spawn(
            self.exchange.start(), name="embedded exchange start", group=Group.SOCKETS
        )
        await preload(VENUE_MODULES, started=self._venue_modules)
        self.report.mark_phase("venue_preloaded")
        urls = await started
        self.report.mark_phase("exchange_listening", at=self.exchange.listening_at)
        self.report.extra["exchange_pid"] = self.exchange.pid
        self.supervisor.spawn(
            self._watch_exchange(self.exchange),
            name="embedded exchange watch",
            group=Group.SOCKETS,
        )
        return profile.with_urls(urls.rest, urls.ws)

    async def _sign_in(
        self, profile: Profile, store: ProfileStore
    ) -> tuple[VenueConnection, Access, DeskPanels]:
        """The key (or why there is none), the log-in, and the connection's status; the
        desk's panels, built while the log-in waits on the venue."""
        # Qt's (QSettings): imported on the UI thread, like every module that touches PySide6.
        from terminal.app.accounts import load_access
        from terminal.app.opening import VenueOpener
        from terminal.services.keystore import Keystore

        status = self.window.status
        access = load_access(profile, Keystore(), store)
        if access.needs_setup:
            self.window.accounts_requested.emit()
        status.set_profile(profile.name, "", demo=profile.embedded)
        self._show_problem(access)
        status.set_connection("connecting", f"connecting to {profile.host}")
        opener = VenueOpener(self.banner, self.supervisor)
        opening = self.supervisor.spawn(
            opener.open(profile, access), name="log-in", group=Group.SERVICES
        )
        await asyncio.sleep(0)  # the log-in's first request goes out
        # The first screen's panels (Qt classes: the UI thread imports them, see preload)
        # load and are built while the venue answers.
        from terminal.app.desk import DeskPanels

        self.report.mark_phase("desk_imported")
        panels = DeskPanels(self.window)
        self.report.mark_phase("desk_panels_built")
        self.connection, self.access = connection, access = await opening
        self._show_access(profile, connection, access)
        self.report.mark_phase("signed_in_and_connected")
        self.window.about.profile = profile.name
        self.window.about.venue = (
            f"embedded Paradex-compatible exchange at {profile.rest_url}"
            if profile.embedded
            else f"{profile.name} ({profile.rest_url})"
        )
        status.set_clock_skew(connection.clock_skew_ms)
        connection.add_state_listener(self._on_state)
        connection.subscriptions.add_error_listener(self._on_subscription_problem)
        self._on_state(connection.state, "")
        return connection, access, panels

    def _build_desk(
        self, panels: DeskPanels, connection: VenueConnection, first_live: asyncio.Event
    ) -> None:
        """Ladder, tape and markets on the remembered market; `first_live` is set when the
        ladder first paints a live book."""
        from terminal.app.desk import Desk, first_market
        from terminal.services.market_data import MarketDataService

        market_data = MarketDataService(connection, self.supervisor)
        self.desk = desk = Desk(panels, market_data, connection.instruments, self.supervisor)

        def on_first_live() -> None:
            self.report.mark_first_live()
            first_live.set()

        desk.on_first_live(on_first_live)
        desk.set_theme(self._theme)
        for option, apply in (
            ("ladder/grouping", desk.set_ladder_grouping),
            ("ladder/row_height", desk.set_ladder_row_height),
        ):
            apply(self.settings.get(option))
            self.settings.watch(option, apply)
        desk.selection.changed.connect(self._remember_market)
        desk.select(first_market(desk.instruments, self.settings.get("market/selected")))
        self.report.mark_phase("desk_built")

    async def _build_the_rest(self, connection: VenueConnection, access: Access) -> None:
        """The chart, then the trading panels (or why there are none)."""
        from terminal.app.looplag import freeze_startup_heap

        desk = self.desk
        assert desk is not None
        # numpy loads on the worker while this thread creates the Qt types pyqtgraph's
        # import would otherwise create in one go (qt_types.py), a few ms at a time.
        await asyncio.gather(preload(CHART_LIBRARIES), create_qt_types(_step))
        # pyqtgraph (Qt classes: the UI thread's to import), then the chart, then the trading
        # panels, a frame apart: Qt paints and serves the sockets in between (a zero-delay
        # yield goes straight on, ahead of Qt's own events).
        importlib.import_module("terminal.widgets.chart")
        await asyncio.sleep(FRAME_S)
        desk.load_chart()
        self.report.mark_phase("chart_built")
        await asyncio.sleep(FRAME_S)
        if connection.trading is not None:
            self._start_trading(connection, desk.market_data)
        elif access.problem:
            notice = waiting_label(f"Trading is off: {access.problem}")
            notice.setWordWrap(True)
            self.window.install_panel("ticket", notice)
        else:
            # A read-only venue (Kana): say why where the ticket would be, not "waiting".
            self.window.install_panel(
                "ticket", waiting_label(f"{connection.venue.name} is read-only: no trading here")
            )
        self.report.mark_phase("panels_built")
        self.supervisor.spawn(self._mark_steady(), name="steady state", group=Group.SERVICES)
        # Start-up's heap (Qt wrappers, modules, chart items) never becomes garbage: keep
        # the cyclic collector from re-walking it in 50-150 ms pauses under load.
        freeze_startup_heap()

    async def _mark_steady(self) -> None:
        """Start the report's steady-state window once the new panels have laid out and
        painted (a few frames), and not before the budget's first STEADY_AFTER_S."""
        since_start = time.time() - self.report.started_at
        await asyncio.sleep(max(SETTLE_S, STEADY_AFTER_S - since_start))
        self.report.mark_live()

    def _show_access(self, profile: Profile, connection: VenueConnection, access: Access) -> None:
        """The status bar's profile badge; the banner when the session is read-only."""
        account = connection.trading.account_label if connection.trading else ""
        self.window.status.set_profile(
            profile.name,
            account,
            demo=profile.embedded,
            key_kind=str(access.record.kind) if access.record and account else "",
            session="" if profile.embedded or not account else str(profile.session),
        )
        self._show_problem(access)

    def _show_problem(self, access: Access) -> None:
        if access.problem:
            self.banner.show_message(
                access.problem, "Set up account…", self.window.accounts_requested.emit
            )

    async def _watch_exchange(self, exchange: DemoExchange) -> None:
        # A dead child's port never answers again: retrying it for ever helps nobody.
        code = await exchange.exited()
        if code is None:
            return  # stopped by close()
        why = f"the embedded exchange stopped ({describe_exit(code)})"
        log.error("%s; starting a new demo session", why)
        self.window.status.set_connection("error", f"{why}; starting a new demo session")
        if self.on_exchange_lost is not None:
            self.on_exchange_lost(why)

    def _start_trading(self, connection: VenueConnection, market_data: MarketDataService) -> None:
        from terminal.app.account_binding import AccountBinding
        from terminal.app.trading_binding import TradingBinding, spawn_start

        assert self.desk is not None
        self.trading = TradingBinding(
            self.window,
            connection,
            market_data,
            self.desk,
            self.supervisor,
            self.settings,
            self.report,
        )
        self.account = AccountBinding(
            self.window, connection, self.trading, self.supervisor, self.settings
        )
        self.trading.set_palette(self.desk.palette)
        self.account.set_palette(self.desk.palette)
        spawn_start(self.trading, self.supervisor)

    def _remember_market(self, market: str) -> None:
        self.settings.set("market/selected", market)

    def _on_state(self, state: ConnectionState, reason: str) -> None:
        self.window.status.set_connection(state, reason)
        if state is ConnectionState.RECONNECTING:
            self._was_down = True
        elif state is ConnectionState.LIVE and self._was_down:
            self._was_down = False
            messages = self.desk.market_data.stats().by_channel if self.desk else {}
            self._resumed_from = (dict(messages), dict(self.report.frames))

    def _on_subscription_problem(self, channel: str, error: BaseException | None) -> None:
        if self.connection is None:
            return
        problems = self.connection.subscriptions.problems()
        self.window.status.set_feed_problems({c: str(e) for c, e in problems.items()})

    def _since(self, messages: dict[str, int], frames: dict[str, int]) -> dict[str, object]:
        return {
            "messages": {c: n - messages.get(c, 0) for c, n in self.report.messages.items()},
            "frames": {p: n - frames.get(p, 0) for p, n in self.report.frames.items()},
        }

    async def close(self) -> None:
        """Stop in order: panels' feeds → supervised tasks and sockets → the exchange child."""
        try:
            if self.account is not None:
                self.account.close()
            if self.trading is not None:
                self.trading.close()
            if self.desk is not None:
                self.desk.close()
                stats = self.desk.market_data.stats()
                self.report.messages.update(stats.by_channel)
                self.report.reconnects = stats.reconnects
                if self._resumed_from is not None:
                    self.report.extra["after_reconnect"] = self._since(*self._resumed_from)
            await self.supervisor.shutdown(SUPERVISOR_BUDGET_S)
        finally:
            # Whatever happened above, the child must not outlive us.
            if self.exchange is not None:
                code = await self.exchange.stop()
                if code not in (0, None):
                    log.warning("embedded exchange exited with code %s", code)


async def _step() -> None:
    await asyncio.sleep(STEP_S)
