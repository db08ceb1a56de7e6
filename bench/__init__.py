"""Benchmarks: each `bench_*.py` module prints one JSON line per figure (see bench/report.py)."""
