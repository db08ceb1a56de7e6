"""A real trading desk in the test process: the embedded exchange as a child process, the
window with its panels, the services, on a qasync loop that the test drives.

pytest-qt does not drive qasync, so a test runs `desk_scenario(qapp, scenario)`: it builds
the desk on a fresh qasync loop and runs the async `scenario(desk)` to completion; the
scenario clicks widgets with QTest and waits for conditions with `desk.until`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from terminal.app.demo_exchange import DemoExchange, ExchangeUrls
from terminal.app.desk import Desk, DeskPanels
from terminal.app.exchange_child import exchange_command
from terminal.app.report import RunReport
from terminal.app.settings import AppSettings
from terminal.app.trading_binding import TradingBinding
from terminal.app.window import MainWindow
from terminal.services.connection import VenueConnection
from terminal.services.market_data import MarketDataService
from terminal.services.supervisor import Supervisor
from terminal.services.trading_events import TradingEvent
from terminal.venues.paradex.crypto.signing import generate_private_key
from terminal.venues.paradex.venue import ParadexVenue

LIMIT_S = 30.0
POLL_S = 0.02


class TradingDesk:
    """The window, the desk, the trading binding and the venue behind them."""

    def __init__(
        self,
        window: MainWindow,
        desk: Desk,
        trading: TradingBinding,
        venue: ParadexVenue,
        urls: ExchangeUrls,
    ) -> None:
        self.window = window
        self.desk = desk
        self.trading = trading
        self.venue = venue
        self.urls = urls
        self.events: list[TradingEvent] = []
        trading.event_listeners.append(self.events.append)

    async def until(self, predicate: Callable[[], bool], limit_s: float = LIMIT_S) -> None:
        """Wait until `predicate()` holds (checked every few ms), or fail after `limit_s`."""
        async with asyncio.timeout(limit_s):
            for _ in itertools.count():
                if predicate():
                    return
                await asyncio.sleep(POLL_S)

    async def rest_open_orders(self) -> int:
        """Working orders as the exchange lists them over REST."""
        assert self.venue.trading is not None
        return len(await self.venue.trading.open_orders())


Scenario = Callable[[TradingDesk], Awaitable[None]]


def desk_scenario(
    qapp: QApplication, tmp_path: Path, scenario: Scenario, *, rate: float = 300.0
) -> None:
    """Build a trading desk against a fresh embedded exchange and run `scenario` on it."""
    quits = qapp.quitOnLastWindowClosed()
    # Closing the desk's window must not quit the application under the loop.
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(_run(tmp_path, scenario, rate))
    finally:
        asyncio.set_event_loop(None)
        loop.close()
        qapp.setQuitOnLastWindowClosed(quits)


async def _run(tmp_path: Path, scenario: Scenario, rate: float) -> None:
    exchange = DemoExchange(exchange_command(seed=5, rate=rate))
    urls = await exchange.start()
    supervisor = Supervisor()
    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.show()
    binding: TradingBinding | None = None
    desk: Desk | None = None
    try:
        venue = await ParadexVenue.open(urls.rest, urls.ws, private_key=generate_private_key())
        connection = VenueConnection(venue, supervisor, trading=venue.trading)
        market_data = MarketDataService(connection, supervisor)
        desk = Desk(DeskPanels(window), market_data, connection.instruments, supervisor)
        desk.select("BTC-USD-PERP")
        desk.load_chart()
        binding = TradingBinding(
            window, connection, market_data, desk, supervisor, settings, RunReport()
        )
        await binding.start()
        trading_desk = TradingDesk(window, desk, binding, venue, urls)
        ticket = binding.ticket
        await trading_desk.until(
            lambda: (
                ticket.context is not None
                and ticket.context.best_bid is not None
                and ticket.context.mark is not None
            )
        )
        await scenario(trading_desk)
    finally:
        if binding is not None:
            binding.close()
        if desk is not None:
            desk.close()
        await supervisor.shutdown(5)
        await exchange.stop()
        window.close_panels()
        window.close()
        window.deleteLater()
