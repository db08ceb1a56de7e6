"""The embedded exchange as a child process of the same executable (the `demo` profile)."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import subprocess
import time
from dataclasses import dataclass

from terminal.app.exchange_child import launch_child

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


def describe_exit(code: int | None) -> str:
    """An exit code in words: "killed by SIGKILL", "exited with code 3"."""
    if code is None:
        return "exited"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


def parse_url_line(line: bytes) -> ExchangeUrls:
    """Read the exchange's one JSON line {"rest": …, "ws": …}."""
    try:
        data = json.loads(line)
        return ExchangeUrls(rest=str(data["rest"]), ws=str(data["ws"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise DemoExchangeError(f"unexpected first line from the exchange: {line[:200]!r}") from exc


class DemoExchange:
    """Starts the child, reads its URLs, and stops it (it also dies if we die: stdin closes).

    A plain `subprocess.Popen`, not asyncio's subprocess API: the child exists (and can be
    stopped) from the moment `start` begins, even if `start` is cancelled, and no
    child-watcher thread is left to call into a closed loop at exit. The child's exit is
    seen as end-of-file on its stdout.
    """

    def __init__(self, command: list[str], process: subprocess.Popen[bytes] | None = None) -> None:
        """`process`: the child already launched from `command` (main.py), if it was."""
        self._command = command
        self._proc = process
        self._stdout: asyncio.ReadTransport | None = None
        self._reader: asyncio.StreamReader | None = None
        self._drain: asyncio.Task[None] | None = None
        self.urls: ExchangeUrls | None = None
        self.listening_at: float | None = None
        """When its URL line arrived (epoch seconds)."""

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    def launch(self) -> None:
        """Start the child now, without an event loop (once; `start` does it otherwise)."""
        if self._proc is None:
            self._proc = launch_child(self._command)

    async def start(self) -> ExchangeUrls:
        """Launch the child (unless `launch` did) and wait for its URL line."""
        # A fork+exec is quick, and the handle must exist before the first await.
        self.launch()
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        loop = asyncio.get_running_loop()
        reader = self._reader = asyncio.StreamReader()
        self._stdout, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), proc.stdout
        )
        try:
            line = await asyncio.wait_for(reader.readline(), START_TIMEOUT_S)
        except TimeoutError:
            await self.stop()
            raise DemoExchangeError("the embedded exchange did not start in time") from None
        if not line:
            code = await self.stop()
            raise DemoExchangeError(f"the embedded exchange exited at start (code {code})")
        self.urls = parse_url_line(line)
        self.listening_at = time.time()
        self._start_drain()
        log.info("embedded exchange pid %s at %s", proc.pid, self.urls.rest)
        return self.urls

    def _start_drain(self) -> asyncio.Task[None]:
        # Reads to end-of-file: keeps the child from blocking on a full pipe, and finishes
        # when the child exits.
        if self._drain is None:
            assert self._reader is not None
            self._drain = asyncio.get_running_loop().create_task(
                _read_to_eof(self._reader), name="demo exchange stdout"
            )
        return self._drain

    async def exited(self) -> int | None:
        """Wait until the running child exits on its own; its exit code (negative: the
        signal that killed it), or None when `stop()` ended it (or it never started)."""
        if self._proc is None or self._reader is None:
            return None
        # wait(), not `await`: cancelling the watcher must not cancel the shared drain.
        await asyncio.wait([self._start_drain()])
        proc = self._proc
        if proc is None:
            return None
        # Its stdout is closed: it has exited (or is a moment from it); reap it.
        try:
            return proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()

    async def stop(self) -> int | None:
        """Stop the child: close its stdin (it exits by itself), then SIGTERM, then SIGKILL.

        Returns its exit code.
        """
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.stdin is not None:
            proc.stdin.close()
        if self._stdout is not None:
            eof = self._start_drain()
            for escalate in (proc.terminate, proc.kill):
                _, pending = await asyncio.wait([eof], timeout=STOP_TIMEOUT_S)
                if not pending:
                    break
                log.warning("embedded exchange still running; sending %s", escalate.__name__)
                escalate()
            self._stdout.close()
        # Normally its stdout has closed, so it has exited and this only reaps it; if start
        # was cancelled before its stdout was watched, this waits (briefly) for it.
        try:
            return proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


async def _read_to_eof(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass
