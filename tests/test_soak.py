"""Soak: qasync loop iterations and QPainter calls by the ten thousand, in a subprocess.

The trap it guards: PySide6 6.12.0 on Python < 3.12 returns an unreferenced None from every
void method (killTimer, QPainter.setPen…); qasync calls killTimer per callback, so the app
dies within seconds with `Fatal Python error: none_dealloc`. A regression shows up here as
a crashed child, not as a flaky UI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

SOAK = textwrap.dedent(
    """
    import asyncio

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QColor, QImage, QPainter, QPen
    from PySide6.QtWidgets import QApplication

    CALLBACKS = 30_000
    PAINTS = 20_000

    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    image = QImage(320, 80, QImage.Format.Format_ARGB32)
    pen = QPen(QColor("#26a269"))

    def paint(n: int) -> None:
        painter = QPainter(image)
        painter.setPen(pen)
        painter.drawText(4, 20, f"{n:,}")
        painter.drawLine(0, n % 80, 320, n % 80)
        painter.end()

    async def soak() -> tuple[int, int]:
        done = loop.create_future()
        calls = 0
        paints = 0

        def step() -> None:
            nonlocal calls
            calls += 1
            if calls >= CALLBACKS:
                if not done.done():
                    done.set_result(None)
            elif calls % 3 == 0:
                loop.call_later(0, step)  # a QTimer started and killed per callback
            else:
                loop.call_soon(step)

        def on_timer() -> None:
            nonlocal paints
            paints += 1
            paint(paints)

        timer = QTimer()
        timer.setInterval(0)
        timer.timeout.connect(on_timer)
        timer.start()
        step()
        await done
        for _ in range(5_000):
            await asyncio.sleep(0)
        timer.stop()
        for n in range(PAINTS):
            paint(n)
        return calls, paints

    calls, paints = loop.run_until_complete(soak())
    loop.close()
    print("soak ok", calls, paints, flush=True)
    """
)


@pytest.mark.slow
def test_qasync_and_painter_soak_survives() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SOAK],
        capture_output=True,
        text=True,
        timeout=110,
        env=env,
    )
    assert "none_dealloc" not in result.stderr
    assert result.returncode == 0, result.stderr[-2000:]
    assert "soak ok 30000" in result.stdout
