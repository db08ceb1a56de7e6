"""A bench's server in another process: started, asked where it listens, stopped."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def server_process(module: str, *args: str) -> Iterator[str]:
    """Run `python -m module args`, a server that prints one line (where it listens) and
    exits when its stdin closes; yield that line, stripped, and stop it on exit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)
