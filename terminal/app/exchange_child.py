"""The embedded exchange's child process: its command line and its launch.

Light on purpose (no asyncio, no Qt): main.py starts the child with it first thing, so the
exchange boots (≈ 0.5 s of its own imports) while this process loads Qt and paints.
`demo_exchange.DemoExchange` takes the child from there.
"""

from __future__ import annotations

import os
import subprocess
import sys

from terminal.app.cli import EMBEDDED_EXCHANGE_FLAG
from terminal.app.resources import is_frozen


def exchange_command(
    *,
    seed: int | None = None,
    rate: float | None = None,
    scenario: str | None = None,
    venue: str = "paradex",
) -> list[str]:
    """The child's argv: `python -m terminal.sim …`, or the frozen binary's hidden flag;
    `venue` the protocol it speaks (Paradex's unless "kana")."""
    head = (
        [sys.executable, EMBEDDED_EXCHANGE_FLAG]
        if is_frozen()
        else [sys.executable, "-m", "terminal.sim"]
    )
    args = ["--port", "0", "--parent-watch"]
    if seed is not None:
        args += ["--seed", str(seed)]
    if rate is not None:
        args += ["--rate", f"{rate:g}"]
    if scenario is not None:
        args += ["--scenario", scenario]
    if venue != "paradex":  # the child's default
        args += ["--venue", venue]
    return head + args


def child_environment() -> dict[str, str]:
    """Ours, with an empty CA store: the exchange serves loopback and never dials out, and
    aiohttp loads the system's CA bundle at import (its client's default TLS context),
    ≈ 0.1 s of the child's boot, which is on the way to the first live book."""
    return {**os.environ, "SSL_CERT_FILE": os.devnull}


def launch_child(command: list[str]) -> subprocess.Popen[bytes]:
    """Start the child: its stdin is our lifeline (it exits when that closes), its stdout
    carries the one line of URLs."""
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=child_environment()
    )
