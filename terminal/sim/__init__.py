"""The embedded Paradex-compatible exchange: `runner.run_exchange`, or `python -m terminal.sim`."""
