"""The embedded exchange as a child process of the same executable (the `demo` profile)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from dataclasses import dataclass

from terminal.app.cli import EMBEDDED_EXCHANGE_FLAG
from terminal.app.resources import is_frozen

log = logging.getLogger(__name__)

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 3.0


class DemoExchangeError(RuntimeError):
    """The embedded exchange did not start (or said something unexpected)."""


@dataclass(frozen=True, slots=True)
class ExchangeUrls:
    """Where the embedded exchange listens."""

    rest: str
    ws: str


def exchange_command(
    *, seed: int | None = None, rate: float | None = None, scenario: str | None = None
) -> list[str]:
    """The child's argv: `python -m terminal.sim …`, or the frozen binary's hidden flag."""
    head = (
        [sys.executable, EMBEDDED_EXCHANGE_FLAG]
        if is_frozen()
        else [
            sys.executable,
            "-m",
            "terminal.sim",
        ]
    )
    args = ["--port", "0", "--parent-watch"]
    if seed is not None:
        args += ["--seed", str(seed)]
    if rate is not None:
        args += ["--rate", f"{rate:g}"]
    if scenario is not None:
        args += ["--scenario", scenario]
    return head + args


def parse_url_line(line: bytes) -> ExchangeUrls:
    """Read the exchange's one JSON line {"rest": …, "ws": …}."""
    try:
        data = json.loads(line)
        return ExchangeUrls(rest=str(data["rest"]), ws=str(data["ws"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise DemoExchangeError(f"unexpected first line from the exchange: {line[:200]!r}") from exc


class DemoExchange:
    """Starts the child, reads its URLs, and stops it (it also dies if we die: stdin closes)."""

    def __init__(self, command: list[str]) -> None:
        self._command = command
        self._proc: asyncio.subprocess.Process | None = None
        self._drain: asyncio.Task[None] | None = None
        self.urls: ExchangeUrls | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    async def start(self) -> ExchangeUrls:
        """Launch the child and wait for its URL line."""
        self._proc = await asyncio.create_subprocess_exec(
            *self._command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        stdout = self._proc.stdout
        assert stdout is not None
        try:
            line = await asyncio.wait_for(stdout.readline(), START_TIMEOUT_S)
        except TimeoutError:
            await self.stop()
            raise DemoExchangeError("the embedded exchange did not start in time") from None
        if not line:
            code = await self._proc.wait()
            self._proc = None
            raise DemoExchangeError(f"the embedded exchange exited at start (code {code})")
        self.urls = parse_url_line(line)
        # Keep reading so the child never blocks on a full stdout pipe.
        self._drain = asyncio.get_running_loop().create_task(
            self._discard(stdout), name="demo exchange stdout"
        )
        log.info("embedded exchange pid %s at %s", self._proc.pid, self.urls.rest)
        return self.urls

    @staticmethod
    async def _discard(stream: asyncio.StreamReader) -> None:
        while await stream.readline():
            pass

    async def stop(self) -> int | None:
        """Stop the child: close its stdin, then SIGTERM, then SIGKILL; its exit code."""
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.stdin is not None:
            proc.stdin.close()
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
        try:
            code = await asyncio.wait_for(proc.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            log.warning("embedded exchange ignored SIGTERM; killing it")
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            code = await proc.wait()
        if self._drain is not None:
            await self._drain
            self._drain = None
        return code
