"""PyInstaller's entry script: the same `main` as the `paradex-terminal` console script."""

import sys

from terminal.app.main import main

if __name__ == "__main__":
    sys.exit(main())
