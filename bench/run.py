"""All benchmarks in one command: `python -m bench.run` (from the repo root) prints one table."""

from __future__ import annotations

import importlib
import sys

from bench.common import Row, print_table

MODULES = ("bench.bench_startup", "bench.bench_reply_latency", "bench.bench_vosk", "bench.bench_analysis",
           "bench.bench_storage", "bench.bench_long_input", "bench.bench_memory", "bench.bench_review_responsiveness")


def main() -> int:
    rows: list[Row] = []
    for name in MODULES:
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows += importlib.import_module(name).run()
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
