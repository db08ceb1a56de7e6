"""`paradex-terminal`: the composition root's entry point.

Start-up is ordered for a fast first paint: only PySide6 and the window shell are imported
before the window shows; the venue connection and the panels' heavier modules (pyqtgraph)
load after the first paint. The embedded exchange child is launched before any of it, so
it boots while the window is built.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from terminal.app.report import process_start_time

if TYPE_CHECKING:
    from terminal.app.cli import AppOptions
    from terminal.app.demo_exchange import DemoExchange

# Taken at import, before anything heavy: the fallback start time if the OS has none.
_STARTED_AT = process_start_time()


def _run_embedded_exchange(argv: Sequence[str]) -> int:
    """The frozen binary's hidden mode: be the embedded exchange, not the UI."""
    from terminal.sim.__main__ import main as exchange_main

    return int(exchange_main(list(argv)) or 0)


def _launch_embedded_exchange(options: AppOptions) -> DemoExchange | None:
    """An embedded profile's exchange child (speaking its venue's protocol), launched now;
    None for other profiles."""
    from terminal.app.exchange_child import exchange_command, launch_child
    from terminal.app.profiles import builtin_profiles

    profile = builtin_profiles().get(options.profile)
    if profile is None or not profile.embedded:  # custom profiles are real venues
        return None
    command = exchange_command(
        seed=options.seed, rate=options.rate, scenario=options.scenario, venue=profile.venue
    )
    child = launch_child(command)
    # DemoExchange (asyncio, ~90 ms of imports) takes the child once it is on its way.
    from terminal.app.demo_exchange import DemoExchange

    return DemoExchange(command, child)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command, the embedded exchange (behind the hidden flag) or the terminal; the
    exit code (the terminal ends the process itself, lifecycle.exit_process)."""
    from terminal.app.cli import COMMANDS, EMBEDDED_EXCHANGE_FLAG, parse_args

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == [EMBEDDED_EXCHANGE_FLAG]:
        return _run_embedded_exchange(args[1:])
    if args[:1] and args[0] in COMMANDS:
        from terminal.app.commands import run_command

        return run_command(args)
    options = parse_args(args)
    from terminal.app.launch import check_launch

    problem = check_launch(options)
    if problem is not None:
        print(f"paradex-terminal: error: {problem}", file=sys.stderr)
        return 2

    from terminal.app.display_check import display_problem

    # Before the exchange child starts: a run that cannot show a window launches nothing.
    problem = display_problem()
    if problem is not None:
        print(f"paradex-terminal: {problem}", file=sys.stderr)
        return 2
    exchange = _launch_embedded_exchange(options)
    from terminal.app.qt_imports import skip_feature_scan

    skip_feature_scan()
    from terminal.app.preload import VENUE_MODULES, block_unused_imports, start_preload

    block_unused_imports()
    # The venue's modules load while Qt starts and the window is built and painted (Qt's
    # C++ runs without the GIL): the log-in can begin right after the first paint.
    venue_modules = start_preload(VENUE_MODULES)

    from terminal.app.lifecycle import exit_process, run_app

    exit_process(
        run_app(options, started_at=_STARTED_AT, exchange=exchange, venue_modules=venue_modules)
    )


if __name__ == "__main__":
    sys.exit(main())
