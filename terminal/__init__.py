"""Paradex Terminal: a desktop trading terminal for Paradex perpetuals."""
