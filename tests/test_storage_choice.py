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
