"""The stall sampler catches a blocked loop with the stack that blocked it."""

from __future__ import annotations

import asyncio
import time

from terminal.app.stalls import StallSampler


def _block_the_loop_for(seconds: float) -> None:
    time.sleep(seconds)


async def _run_with_a_stall(sampler: StallSampler) -> None:
    sampler.start()
    await asyncio.sleep(0.05)  # answering pings: no stall
    _block_the_loop_for(0.15)
    await asyncio.sleep(0.05)
    sampler.stop()


def test_a_blocked_loop_is_one_stall_with_the_blocking_stack() -> None:
    loop = asyncio.new_event_loop()
    try:
        sampler = StallSampler(loop, threshold_ms=40, sample_ms=5)
        loop.run_until_complete(_run_with_a_stall(sampler))
    finally:
        loop.close()
    assert len(sampler.stalls) == 1
    stall = sampler.stalls[0]
    assert 100 < stall.duration_ms < 1000
    assert stall.stacks
    assert any("_block_the_loop_for" in frame for frame in stall.stacks[0])
    summary = sampler.summary()
    assert summary["count"] == 1
    worst_site = summary["innermost"][0]
    assert "_block_the_loop_for" in worst_site["site"]
    assert worst_site["worst_stall_ms"] == round(stall.duration_ms, 1)
    # The steady state is what the budget covers: a stall begun before it is not in it.
    assert sampler.summary(since=stall.started_at)["steady"]["count"] == 1
    assert sampler.summary(since=stall.started_at + 0.001)["steady"]["count"] == 0


def test_a_quiet_loop_has_no_stalls() -> None:
    loop = asyncio.new_event_loop()
    try:
        sampler = StallSampler(loop, threshold_ms=200)
        sampler.start()
        loop.run_until_complete(asyncio.sleep(0.1))
        sampler.stop()
    finally:
        loop.close()
    assert sampler.stalls == []
    assert sampler.summary()["count"] == 0
