"""Command-line options of the `paradex-terminal` executable."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

EMBEDDED_EXCHANGE_FLAG = "--run-embedded-exchange"
"""Hidden first argument: the frozen binary runs the embedded exchange instead of the UI."""


@dataclass(frozen=True, slots=True)
class AppOptions:
    """What the user asked for on the command line."""

    profile: str = "demo"
    exit_after: float | None = None
    report: bool = False
    scenario: str = "calm"
    rate: float | None = None
    seed: int | None = None
    theme: str | None = None
    log_level: str = "WARNING"
    stall_ms: float | None = None


def _positive(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (public so `--help` text is testable)."""
    parser = argparse.ArgumentParser(
        prog="paradex-terminal",
        description="Paradex perpetuals trading terminal. With no account it runs against an "
        "embedded exchange on 127.0.0.1.",
    )
    parser.add_argument(
        "--profile", default="demo", help="demo (default), testnet, mainnet, kana or kana-demo"
    )
    parser.add_argument(
        "--exit-after", type=_positive, metavar="SECONDS", help="quit cleanly after N seconds"
    )
    parser.add_argument(
        "--report", action="store_true", help="print one JSON object of run metrics at exit"
    )
    parser.add_argument(
        "--scenario", choices=("calm", "spike"), default="calm", help="embedded exchange scenario"
    )
    parser.add_argument(
        "--rate", type=_positive, help="embedded exchange message rate (messages/s)"
    )
    parser.add_argument("--seed", type=int, help="embedded exchange random seed")
    parser.add_argument("--theme", choices=("dark", "light"), help="colour theme")
    parser.add_argument(
        "--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR")
    )
    parser.add_argument(
        "--stall-ms",
        type=_positive,
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
        stall_ms=ns.stall_ms,
    )
