"""`python -m terminal.sim` and `run_exchange`: start, announce, serve, stop cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

import httpx
import pytest

from terminal.sim.runner import run_exchange
from terminal.sim.server import NotLoopbackError, require_loopback


async def _spawn(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "terminal.sim",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_cli_prints_urls_and_exits_cleanly_on_sigterm() -> None:
    proc = await _spawn("--seed", "3", "--rate", "50")
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        urls = json.loads(line)
        assert urls["rest"].startswith("http://127.0.0.1:") and urls["rest"].endswith("/v1")
        assert urls["ws"].startswith("ws://127.0.0.1:")
        async with httpx.AsyncClient() as http:
            r = await http.get(urls["rest"] + "/system/time")
            assert r.status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_cli_parent_watch_exits_when_stdin_closes() -> None:
    proc = await _spawn("--parent-watch", "--rate", "20")
    try:
        assert proc.stdout is not None and proc.stdin is not None
        json.loads(await asyncio.wait_for(proc.stdout.readline(), 30))
        proc.stdin.close()
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_cli_refuses_a_non_loopback_host() -> None:
    proc = await _spawn("--host", "0.0.0.0")
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode != 0
    assert b"loopback" in err


def test_require_loopback() -> None:
    require_loopback("127.0.0.1")
    require_loopback("::1")
    for host in ("0.0.0.0", "192.168.1.2", "example.com"):
        with pytest.raises(NotLoopbackError):
            require_loopback(host)


async def test_run_exchange_serves_then_releases_the_port() -> None:
    async with run_exchange(seed=2, rate=100.0) as urls, httpx.AsyncClient() as http:
        assert (await http.get(urls.rest + "/system/state")).json() == {"status": "ok"}
    async with httpx.AsyncClient(base_url=urls.rest) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get("/system/state")


async def test_cli_parent_watch_with_stdin_from_dev_null_serves_until_sigterm() -> None:
    """/dev/null (or a file) cannot be watched by the event loop: poll the parent instead."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "terminal.sim",
        "--parent-watch",
        "--rate",
        "20",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        urls = json.loads(await asyncio.wait_for(proc.stdout.readline(), 30))
        async with httpx.AsyncClient() as http:  # end of file on stdin did not stop it
            assert (await http.get(urls["rest"] + "/system/time")).status_code == 200
        assert proc.returncode is None
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
        err = (await proc.stderr.read()).decode()
        assert "Traceback" not in err and "PermissionError" not in err, err
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_cli_parent_watch_closing_stdin_then_sigterm_exits_0() -> None:
    proc = await _spawn("--parent-watch", "--rate", "20")
    try:
        assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
        json.loads(await asyncio.wait_for(proc.stdout.readline(), 30))
        proc.stdin.close()
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
        assert b"Traceback" not in await proc.stderr.read()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


_PARENT = """
import subprocess, sys
child = subprocess.Popen(
    [sys.executable, "-m", "terminal.sim", "--parent-watch", "--rate", "20"],
    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
)
sys.stdout.write(child.stdout.readline().decode().strip() + " " + str(child.pid) + "\\n")
sys.stdout.flush()
sys.stdin.read()  # the test closes our stdin: we exit, leaving the child an orphan
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"  # exited, not yet reaped
    except FileNotFoundError:
        return True


async def test_cli_parent_watch_on_dev_null_exits_when_the_parent_does() -> None:
    parent = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _PARENT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    child_pid = None
    try:
        assert parent.stdout is not None and parent.stdin is not None
        line = (await asyncio.wait_for(parent.stdout.readline(), 30)).decode()
        child_pid = int(line.rsplit(" ", 1)[1])
        assert not _gone(child_pid)
        parent.stdin.close()
        assert await asyncio.wait_for(parent.wait(), 30) == 0

        async def child_exited() -> None:
            while True:  # not our child: no wait(); poll its state
                if _gone(child_pid):
                    return
                await asyncio.sleep(0.1)

        await asyncio.wait_for(child_exited(), 20)
    finally:
        if parent.returncode is None:
            parent.kill()
            await parent.wait()
        if child_pid is not None and not _gone(child_pid):
            os.kill(child_pid, signal.SIGKILL)
