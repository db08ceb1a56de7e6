"""Command-line options of the `paradex-terminal` executable."""

from __future__ import annotations

import argparse
import importlib
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

EMBEDDED_EXCHANGE_FLAG = "--run-embedded-exchange"
COMMANDS = ("profiles", "keys")
"""First arguments that run a command (app.commands) instead of the window."""
"""Hidden first argument: the frozen binary runs the embedded exchange instead of the UI."""

DIST_NAME = "paradex-terminal"

RATE_HELP = (
    "messages per second the embedded exchange publishes across ALL its markets and public "
    "channels (default: 200). The app subscribes only to the shown market's book and trades "
    "plus the market summaries, so it receives far fewer: about a fifth (~600/s at 3000)"
)
"""Measured: `paradex-terminal --rate 3000 --exit-after 10 --report` received 5,900-6,900."""

EXAMPLES = """\
examples:
  paradex-terminal                                   the embedded exchange (demo profile)
  paradex-terminal --scenario spike --rate 2000      a busy market to practise on
  paradex-terminal --reset-layout                    start with the default panel layout
  QT_QPA_PLATFORM=offscreen paradex-terminal --exit-after 10 --report
                                                     headless: run 10 s, print one JSON line
  paradex-terminal --profile mainnet                 watch mainnet (read-only without a key)
  paradex-terminal --profile kana-demo               the read-only Kana venue, offline

accounts:
  paradex-terminal profiles list | add NAME --rest URL --ws URL | remove NAME | set NAME
  paradex-terminal keys add --profile NAME [--account 0x…] [--kind stark|eth|subkey]
                                                     the key is read from standard input
  paradex-terminal keys list | remove --profile NAME
"""


@dataclass(frozen=True, slots=True)
class AppOptions:
    """What the user asked for on the command line."""

    profile: str = "demo"
    exit_after: float | None = None
    report: bool = False
    scenario: str | None = None
    rate: float | None = None
    seed: int | None = None
    theme: str | None = None
    log_level: str = "WARNING"
    reset_layout: bool = False
    stall_ms: float | None = None


def app_version() -> str:
    """This copy's version: stamped into a frozen binary at build time, else the installed
    package's ("unknown" when neither is there)."""
    if getattr(sys, "frozen", False):
        try:
            # Written by pyinstaller.spec at build time (a source tree may hold a stale one:
            # only the frozen binary reads it).
            build = importlib.import_module("terminal._build_info")
        except ImportError:
            pass
        else:
            return f"{build.VERSION} (build {build.COMMIT}, {build.BUILT})"
    # Here, not at the top: importlib.metadata costs ~70 ms, before the exchange child starts.
    from importlib import metadata

    try:
        return metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        return "unknown"


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


class _VersionAction(argparse.Action):
    """`--version`: looks the version up only when asked (not on every start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version"
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> NoReturn:
        print(f"{parser.prog} {app_version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit status 2), and
    whose epilog says where things live (worked out only when help is shown)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")

    def format_help(self) -> str:
        # The paths come from Qt (QSettings, QStandardPaths): no Qt import for --version.
        self.epilog = EXAMPLES + "\n" + _where_things_live()
        return super().format_help()


def _where_things_live() -> str:
    """The epilog's paragraph on keys, settings and logs, with this machine's paths."""
    from terminal.app.logging_setup import LOG_FILE, log_dir
    from terminal.app.settings import settings_location

    return (
        "keys:     a real profile (testnet, mainnet) reads its Stark key from the OS keyring\n"
        f'          (service "{DIST_NAME}", one entry per profile); the demo key lives only\n'
        "          in memory. Keys never go to a file, a log or the screen.\n"
        f"settings: {settings_location()}\n"
        "logs:     standard error, and a rotating file (Help > Open log folder):\n"
        f"          {log_dir() / LOG_FILE}\n"
        "          With no console (the windowed Windows build) --report's JSON goes to\n"
        "          report.json in that folder.\n"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (public so `--help` text is testable)."""
    parser = _Parser(
        prog=DIST_NAME,
        description="Paradex perpetuals trading terminal. With no account it runs against an "
        "embedded exchange on 127.0.0.1.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--profile",
        default="demo",
        help="demo (default: the embedded exchange), testnet, mainnet, kana, kana-demo or a "
        "custom one (see `paradex-terminal profiles list`)",
    )
    parser.add_argument(
        "--exit-after",
        type=_non_negative,
        metavar="SECONDS",
        help="quit cleanly after SECONDS (default: run until closed)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="at exit, print one JSON object of run metrics as the last line of stdout",
    )
    parser.add_argument(
        "--reset-layout",
        action="store_true",
        help="discard the saved panel layout and start with the default one",
    )
    parser.add_argument(
        "--scenario",
        choices=("calm", "spike"),
        help="embedded exchange market scenario (default: calm)",
    )
    parser.add_argument("--rate", type=_non_negative, metavar="MSGS_PER_S", help=RATE_HELP)
    parser.add_argument(
        "--seed", type=_integer, metavar="N", help="embedded exchange random seed (default: 1)"
    )
    parser.add_argument(
        "--theme", choices=("dark", "light"), help="colour theme (default: the last one used, dark)"
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="least severe log records shown (default: WARNING)",
    )
    parser.add_argument(
        "--stall-ms",
        type=_non_negative,
        metavar="MS",
        help="sample the UI thread's stack whenever the event loop stalls longer than MS "
        "(the sites go into --report)",
    )
    return parser


def parse_args(argv: Sequence[str]) -> AppOptions:
    """Parse the UI's arguments (not the hidden embedded-exchange mode)."""
    ns = build_parser().parse_args(list(argv))
    return AppOptions(
        profile=ns.profile,
        exit_after=ns.exit_after,
        report=ns.report,
        scenario=ns.scenario,
        rate=ns.rate,
        seed=ns.seed,
        theme=ns.theme,
        log_level=ns.log_level,
        reset_layout=ns.reset_layout,
        stall_ms=ns.stall_ms,
    )
