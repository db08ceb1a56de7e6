"""Side tasks a venue's open starts next to its main line (a request, a WebSocket start)."""

from __future__ import annotations

import asyncio
from typing import Any


async def settle(tasks: list[asyncio.Task[Any]]) -> None:
    """Cancel `tasks` (nothing for one that is done) and read their outcomes, so that none
    logs "exception never retrieved": the error being raised is the first one."""
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks)
    for task in tasks:
        if not task.cancelled():
            task.exception()
