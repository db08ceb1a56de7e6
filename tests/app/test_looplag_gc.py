"""freeze_startup_heap: start-up objects leave the collector's generations, new ones do not."""

from __future__ import annotations

import gc

from terminal.app.looplag import freeze_startup_heap


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_freeze_hides_the_live_heap_but_still_collects_new_garbage() -> None:
    kept = [_Node() for _ in range(100)]
    try:
        frozen = freeze_startup_heap()
        assert frozen >= len(kept)
        assert gc.get_freeze_count() == frozen
        assert not any(kept[0] is obj for obj in gc.get_objects())
        _Node()  # a cycle made after the freeze is garbage the collector still finds
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
    assert any(kept[0] is obj for obj in gc.get_objects())
