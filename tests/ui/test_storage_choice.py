"""Which database the app and the CLI open: one rule (--db, then ROLEPLAY_SIM_DB_URL, then the db_url
setting, then the local SQLite), and creating a new database from two processes at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.storage.db import chosen_database


def test_given_url_then_environment_then_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROLEPLAY_SIM_DB_URL", raising=False)
    assert chosen_database() is None
    assert chosen_database(setting="sqlite:///s.db") == "sqlite:///s.db"
    assert chosen_database("sqlite:///cli.db", "sqlite:///s.db") == "sqlite:///cli.db"
    monkeypatch.setenv("ROLEPLAY_SIM_DB_URL", "sqlite:///env.db")
    assert chosen_database(setting="sqlite:///s.db") == "sqlite:///env.db"
    assert chosen_database("sqlite:///cli.db", "sqlite:///s.db") == "sqlite:///cli.db"
    monkeypatch.setenv("ROLEPLAY_SIM_DB_URL", "")
    assert chosen_database(setting="") is None


def test_the_app_opens_the_environment_s_database_before_the_setting(qapp, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.settings import Settings
    from simulator.ui.app import open_attempts

    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    env, setting = tmp_path / "env.sqlite3", tmp_path / "setting.sqlite3"
    monkeypatch.setenv("ROLEPLAY_SIM_DB_URL", f"sqlite:///{env}")
    store, problems = open_attempts(Settings(db_url=f"sqlite:///{setting}"))
    assert problems == [] and store is not None
    assert store.engine.url.database == str(env)
    store.close()
    assert env.is_file() and not setting.exists()
    monkeypatch.delenv("ROLEPLAY_SIM_DB_URL")
    store, _ = open_attempts(Settings(db_url=f"sqlite:///{setting}"))
    assert store.engine.url.database == str(setting)
    store.close()


OPENER = r"""
import sys, time
from simulator.storage.db import open_store

start = float(sys.argv[2])
while time.time() < start:
    pass
store = open_store(sys.argv[1])
print(store.count_attempts(), flush=True)
store.close()
"""


def open_at_once(url: str, tmp_path: Path, processes: int = 4) -> list[tuple[int, str, str]]:
    """Processes that import first, then open the same brand-new database at the same moment."""
    import os
    import subprocess
    import sys
    import time

    env = {**os.environ, "ROLEPLAY_SIM_DATA": str(tmp_path / "data")}
    start = time.time() + 4.0
    children = [subprocess.Popen([sys.executable, "-c", OPENER, url, str(start)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).resolve().parents[2])
                for _ in range(processes)]
    return [(c.wait(timeout=120), c.stdout.read(), c.stderr.read()) for c in children]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_creating_a_new_database_at_once_all_open_it(backend: str, request, tmp_path: Path) -> None:
    url = (f"sqlite:///{tmp_path / 'db' / 'attempts.sqlite3'}" if backend == "sqlite"
           else request.getfixturevalue("postgres").new_database())
    results = open_at_once(url, tmp_path)
    assert [(code, out) for code, out, _ in results] == [(0, "0\n")] * len(results), [e for *_, e in results]
