"""Benchmark: the manager's attempts list with 10,000 attempts in the default SQLite store.

Each attempt carries a realistic 30-turn timeline, so the list must stay fast by reading only the
indexed summary columns. Times are medians of 5 runs. Run: python -m bench.bench_storage
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Row, print_table
from simulator.storage import open_store
from tests.storage_fixtures import generated, timeline

ATTEMPTS = 10_000
RUNS = 5
LIST_TARGET = "< 0.1 s"


def _median_seconds(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'attempts.sqlite3'}", recordings_dir=Path(tmp) / "recordings")
        records = generated(ATTEMPTS)
        for record in records:
            record.timeline = timeline(30)
        start = time.perf_counter()
        ids = store.add_records(records)
        insert = time.perf_counter() - start
        spring = {"since": datetime(2026, 3, 1, tzinfo=UTC), "until": datetime(2026, 6, 1, tzinfo=UTC)}
        rows = [
            Row("store 10,000 attempts (30-turn timelines)", insert, "s"),
            Row("list newest 200 of 10,000", _median_seconds(lambda: store.list_attempts()), "s", LIST_TARGET),
            Row("list one trainee, 3 months, by score", _median_seconds(
                lambda: store.list_attempts(trainee="Li Na", order_by="overall", **spring)), "s", LIST_TARGET),
            Row("count one persona type", _median_seconds(lambda: store.count_attempts(persona="angry")), "s",
                LIST_TARGET),
            Row("open one attempt with its timeline", _median_seconds(lambda: store.get_attempt(ids[ATTEMPTS // 2])),
                "s", "< 0.05 s"),
        ]
        store.close()
    return rows


if __name__ == "__main__":
    print_table(run())
