"""The desk: the market panels' view-models and widgets, linked to one selected market.

Changing the selection (a click in the watchlist) retargets ladder, chart and tape: the
old market's leases are released (the service unsubscribes what nobody shows) and new
ones acquired. The watchlist holds one lease on all markets' summaries for the desk's life.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from terminal.app.settings import AUTO_GROUPING
from terminal.app.window import FirstPaintWatcher, MainWindow
from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import Trade
from terminal.domain.orderbook import OrderBook
from terminal.services.market_data import MarketDataService
from terminal.services.subscriptions import Lease
from terminal.services.supervisor import Group, Supervisor
from terminal.viewmodels.ladder import LadderViewModel
from terminal.viewmodels.selection import MarketSelection
from terminal.viewmodels.tape import TapeModel
from terminal.viewmodels.watchlist import WatchlistModel
from terminal.widgets.ladder import LadderWidget
from terminal.widgets.palette import DARK, PALETTES, Palette
from terminal.widgets.tape import TapeWidget
from terminal.widgets.watchlist import WatchlistWidget

if TYPE_CHECKING:
    from terminal.viewmodels.chart import ChartViewModel
    from terminal.widgets.chart import ChartWidget

log = logging.getLogger(__name__)

PREFERRED_MARKET = "BTC-USD-PERP"
TAPE_BACKFILL = 100
"""Recent trades fetched over REST when a market is selected: the tape starts full."""
WATCHLIST_INTERVAL_MS = 250
"""The watchlist refreshes 4 times a second, not every frame: a flush re-measures every
column of every visible market (~20-60 ms with a hundred markets), and nobody reads a
hundred figures 60 times a second."""


def first_market(instruments: Mapping[str, Instrument], remembered: str = "") -> str:
    """The market to show first: the remembered one, else BTC, else the first listed."""
    for candidate in (remembered, PREFERRED_MARKET):
        if candidate in instruments:
            return candidate
    return next(iter(sorted(instruments)), "")


class Themed(Protocol):
    """A panel widget that draws with a switchable palette."""

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""


class DeskPanels:
    """The ladder, tape and markets panels built into the window, not yet fed.

    They need no venue, so start-up builds them while the log-in waits on it (≈ 50-65 ms of
    the UI thread that would otherwise come after it); `Desk` feeds them.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.selection = MarketSelection()
        self.ladder = LadderViewModel()
        self.ladder_widget = LadderWidget(self.ladder)
        self.ladder_widget.setObjectName("depthLadder")
        window.install_panel("ladder", self.ladder_widget, surface=self.ladder_widget.canvas)
        self.tape = TapeModel()
        self.tape_widget = TapeWidget(self.tape)
        self.tape_widget.setObjectName("tradeTape")
        window.install_panel("tape", self.tape_widget, surface=self.tape_widget.view.viewport())
        self.watchlist = WatchlistModel(interval_ms=WATCHLIST_INTERVAL_MS)
        self.watchlist_widget = WatchlistWidget(self.watchlist, self.selection)
        self.watchlist_widget.setObjectName("watchlist")
        window.install_panel(
            "watchlist", self.watchlist_widget, surface=self.watchlist_widget.view.viewport()
        )


class Desk:
    """Feeds the desk's panels the selected market (and builds the chart when asked)."""

    def __init__(
        self,
        panels: DeskPanels,
        market_data: MarketDataService,
        instruments: Mapping[str, Instrument],
        supervisor: Supervisor,
    ) -> None:
        self.window = panels.window
        self.market_data = market_data
        self.instruments = dict(instruments)
        self.supervisor = supervisor
        self.selection = panels.selection
        self.ladder, self.ladder_widget = panels.ladder, panels.ladder_widget
        self.tape, self.tape_widget = panels.tape, panels.tape_widget
        self.watchlist, self.watchlist_widget = panels.watchlist, panels.watchlist_widget
        self._leases: list[Lease] = []
        self._book: OrderBook | None = None
        self._palette = DARK
        self.chart_widget: ChartWidget | None = None
        self._first_live: Callable[[], None] | None = None
        self._panels_with_palette: list[Themed] = [
            self.ladder_widget,
            self.tape_widget,
            self.watchlist_widget,
        ]
        self.watchlist.set_instruments(sorted(self.instruments.values(), key=lambda i: i.symbol))
        # The chart (numpy, pyqtgraph) comes with load_chart, after the first book.
        self.chart: ChartViewModel | None = None
        self._summaries = market_data.watch_summaries(self.watchlist.on_summary)

        self.selection.changed.connect(self._retarget)

    def select(self, market: str) -> None:
        """Show `market` on every panel."""
        self.selection.set_symbol(market)

    @property
    def palette(self) -> Palette:
        """The colours the panels draw with now."""
        return self._palette

    def on_first_live(self, callback: Callable[[], None]) -> None:
        """Call `callback` once, when the ladder first paints a live book."""
        self._first_live = callback

    def set_ladder_grouping(self, ticks: int) -> None:
        """Ticks per ladder row (the settings' choice); AUTO_GROUPING lets the ladder pick."""
        if ticks == AUTO_GROUPING:
            self.ladder.set_auto_grouping(True)
        else:
            self.ladder.set_grouping(ticks)

    def set_ladder_row_height(self, pixels: int) -> None:
        """Pixels per ladder row; 0 fits the font."""
        self.ladder_widget.canvas.set_row_height(pixels)

    def set_theme(self, name: str) -> None:
        """Draw the panels with the theme's colours."""
        self._palette = PALETTES.get(name, DARK)
        for widget in self._panels_with_palette:
            widget.set_palette(self._palette)

    def load_chart(self) -> None:
        """Create the chart panel for the selected market (numpy and pyqtgraph load here)."""
        from terminal.viewmodels.chart import ChartViewModel
        from terminal.widgets.chart import ChartWidget

        chart = self.chart = ChartViewModel()
        chart.history_needed.connect(self._load_history)
        instrument = self.instruments.get(self.selection.symbol)
        if instrument is not None:
            chart.set_instrument(instrument)
            chart.set_market(instrument.symbol)
        if self._book is not None:
            chart.set_stale(self._book.stale_reason if self._book.stale else None)
        widget = self.chart_widget = ChartWidget(chart)
        widget.setObjectName("priceChart")
        self.window.install_panel("chart", widget)
        self._panels_with_palette.append(widget)
        widget.set_palette(self._palette)

    def _load_history(self, market: str, resolution_min: int, start_ms: int, end_ms: int) -> None:
        assert self.chart is not None  # only the chart asks
        timeframe = self.chart.timeframe
        self.supervisor.spawn(
            self._fetch_history(market, timeframe, resolution_min, start_ms, end_ms),
            name=f"klines {market} {timeframe}",
            group=Group.VIEWMODELS,
        )

    async def _fetch_history(
        self, market: str, timeframe: str, resolution_min: int, start_ms: int, end_ms: int
    ) -> None:
        candles = await self.market_data.klines(market, resolution_min, start_ms, end_ms)
        if self.chart is not None:
            self.chart.set_history(market, timeframe, candles)

    def _retarget(self, market: str) -> None:
        self._release()
        instrument = self.instruments.get(market)
        if instrument is None:
            log.warning("no instrument %s", market)
            return
        self._book = None
        self.window.show_market(market)
        self.ladder.set_instrument(instrument)
        self.tape.set_market(market)
        self.tape.set_instrument(instrument)
        if self.chart is not None:
            self.chart.set_instrument(instrument)
            self.chart.set_market(market)
        self._leases = [
            self.market_data.watch_book(market, self._on_book),
            self.market_data.watch_trades(market, self._on_trade),
        ]
        self.supervisor.spawn(
            self._backfill_tape(market), name=f"recent trades {market}", group=Group.VIEWMODELS
        )

    async def _backfill_tape(self, market: str) -> None:
        trades = await self.market_data.recent_trades(market, TAPE_BACKFILL)
        self.tape.backfill(market, trades)

    def _on_book(self, book: OrderBook) -> None:
        if book is not self._book:
            self._book = book
            self.ladder.set_book(book)
        self.ladder.book_updated()
        if self._first_live is not None and not book.stale and book.best_bid() is not None:
            # The ladder draws this book at its next paint: that paint is the first live one.
            FirstPaintWatcher(self.ladder_widget.canvas).painted.connect(self._first_live)
            self._first_live = None
        # The chart's bars come from trades on the same feed: stale with the book, live with it.
        if self.chart is not None:
            self.chart.set_stale(book.stale_reason if book.stale else None)

    def _on_trade(self, trade: Trade) -> None:
        self.ladder.on_trade(trade)
        self.tape.on_trade(trade)
        if self.chart is not None:
            self.chart.on_trade(trade)

    def _release(self) -> None:
        for lease in self._leases:
            lease.release()
        self._leases = []

    def close(self) -> None:
        """Stop feeding the panels: release every lease, detach from the selection."""
        self.selection.changed.disconnect(self._retarget)
        self._release()
        self._summaries.release()
