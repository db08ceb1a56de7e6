"""`python -m terminal.sim`: run the embedded exchange until SIGTERM/SIGINT (or its parent goes).

Prints one JSON line with the REST and WebSocket URLs as soon as it listens. With
`--parent-watch` it also stops when its parent goes away: when stdin is a pipe (or a
terminal), at its end of file; when stdin cannot say (a regular file, /dev/null), when
the process is re-parented.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import stat
import sys

from terminal.sim.context import DEFAULT_CHAIN_ID, SimConfig
from terminal.sim.faults import Faults, FaultSpecError
from terminal.sim.kana.server import KanaSimServer
from terminal.sim.server import NotLoopbackError, SimServer, require_loopback

MAX_SHORT_STRING = 31


def _chain_id(text: str) -> str:
    """A StarkNet short string: 1 to 31 printable ASCII characters (§3)."""
    if not 1 <= len(text) <= MAX_SHORT_STRING or not (text.isascii() and text.isprintable()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a chain id: 1 to {MAX_SHORT_STRING} printable ASCII characters"
        )
    return text


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m terminal.sim", description=__doc__)
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    p.add_argument("--port", type=int, default=0, help="port (0 = any free port)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rate", type=float, default=200.0, help="synthetic messages per second")
    p.add_argument("--scenario", choices=("calm", "spike"), default="calm")
    p.add_argument(
        "--venue",
        choices=("paradex", "kana"),
        default="paradex",
        help="the protocol to speak: Paradex's, or Kana's perps indexer (read-only)",
    )
    p.add_argument("--faults", default=None, help="fault knobs as a JSON object (see README)")
    p.add_argument("--retail-speed-bump", action="store_true", help="300 ms bump on retail orders")
    p.add_argument("--ping-interval", type=float, default=55.0, help="WebSocket ping period, s")
    p.add_argument(
        "--chain-id",
        type=_chain_id,
        default=DEFAULT_CHAIN_ID,
        help=f"starknet_chain_id to serve and verify signatures for (default {DEFAULT_CHAIN_ID})",
    )
    p.add_argument(
        "--parent-watch", action="store_true", help="exit when stdin closes or the parent exits"
    )
    return p.parse_args(argv)


PARENT_POLL_S = 0.5


def _stdin_is_a_stream() -> bool:
    """Whether stdin's end of file means the parent let go (a pipe, socket or terminal)."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False  # closed or replaced stdin
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or sys.stdin.isatty()


async def _watch_parent(stop: asyncio.Event) -> None:
    """Set `stop` when the parent goes away."""
    if _stdin_is_a_stream():
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        try:
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        except (OSError, ValueError):
            pass  # the loop cannot watch it after all: poll the parent instead
        else:
            while await reader.read(4096):
                pass
            stop.set()
            return
    # Polling: no portable event says "my parent exited" (re-parenting changes getppid).
    parent = os.getppid()
    while True:
        await asyncio.sleep(PARENT_POLL_S)
        if os.getppid() != parent:
            stop.set()
            return


async def serve(args: argparse.Namespace) -> None:
    """Run until a stop signal, printing the URL line first."""
    faults = Faults.from_text(args.faults)
    config = SimConfig(
        seed=args.seed,
        rate=args.rate,
        scenario=args.scenario,
        retail_speed_bump=args.retail_speed_bump,
        ping_interval_s=args.ping_interval,
        chain_id=args.chain_id,
    )
    server = KanaSimServer(config) if args.venue == "kana" else SimServer(config, faults)
    urls = await server.start(args.host, args.port)
    line: dict[str, object] = {"rest": urls.rest, "ws": urls.ws}
    if isinstance(server, KanaSimServer):
        line["addresses"] = server.addresses
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    watcher = asyncio.create_task(_watch_parent(stop)) if args.parent_watch else None
    print(json.dumps(line), flush=True)
    try:
        await stop.wait()
    finally:
        if watcher is not None:
            watcher.cancel()
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    try:
        require_loopback(args.host)
        Faults.from_text(args.faults)
    except (NotLoopbackError, FaultSpecError) as exc:
        print(f"terminal.sim: {exc}", file=sys.stderr)
        return 2
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
