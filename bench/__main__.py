"""Run every benchmark module (`python -m bench [name-filter]`), each in its own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    """Run bench/bench_*.py in turn; the exit status is the number that failed."""
    wanted = sys.argv[1:]
    failed = 0
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        if wanted and not any(w in path.stem for w in wanted):
            continue
        failed += subprocess.call([sys.executable, "-m", f"bench.{path.stem}"]) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
