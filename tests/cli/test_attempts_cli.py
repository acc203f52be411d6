"""`python -m simulator attempts …` against a real database: listing, showing, exporting and importing,
and every user error as one line with exit status 2."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.storage import open_store
from tests.storage_fixtures import PERSONAS, db_url, record_call, scorecard, timeline

__all__ = ["db_url"]


@pytest.fixture()
def filled(db_url: str) -> tuple[str, list[int]]:
    """Three attempts: two by 王小明 (angry, stubborn), one by Li Na (angry)."""
    store = open_store(db_url)
    ids = [record_call(store, "王小明", PERSONAS[0], seed=1, notes="打断了两次"),
           record_call(store, "王小明", PERSONAS[1], seed=2), record_call(store, "Li Na", PERSONAS[0], seed=3)]
    store.close()
    return db_url, ids


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_filters_and_prints_json_lines(filled, capsys) -> None:
    url, ids = filled
    code, out, _ = run(capsys, "attempts", "--db", url, "list", "--trainee", "王小明", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in rows] == [ids[1], ids[0]]
    assert rows[1]["persona_id"] == "angry_zh" and rows[1]["overall"] == scorecard(1)[0]
    assert rows[1]["has_recording"] and rows[1]["duration"] > 0
    code, out, _ = run(capsys, "attempts", "--db", url, "list", "--persona", "angry", "--limit", "1")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 and "Li Na" in lines[0] and lines[1] == "1 of 2 attempt(s)"


def test_show_prints_scores_findings_and_notes(filled, capsys) -> None:
    url, ids = filled
    code, out, _ = run(capsys, "attempts", "--db", url, "show", str(ids[0]))
    overall, scores, _ = scorecard(1)
    assert code == 0 and f"overall {overall}, 3 turn(s)" in out and "notes: 打断了两次" in out
    assert f"  empathy: {scores['empathy']}" in out and "  - 4.5s interruption: 打断了客户" in out
    code, out, _ = run(capsys, "attempts", "--db", url, "show", str(ids[0]), "--json")
    data = json.loads(out)
    assert code == 0 and data["timeline"] == timeline(3) and data["trainee"] == "王小明"


def test_export_and_import_between_two_databases(filled, capsys, tmp_path: Path) -> None:
    url, ids = filled
    bundle = tmp_path / "attempt.zip"
    code, out, _ = run(capsys, "attempts", "--db", url, "export", str(ids[0]), "--out", str(bundle), "--anonymous")
    assert code == 0 and out.strip() == f"wrote {bundle}"
    with zipfile.ZipFile(bundle) as z:
        assert "王小明" not in z.read("attempt.json").decode() and "recording.flac" in z.namelist()
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    code, out, _ = run(capsys, "attempts", "--db", other, "import", str(bundle))
    assert code == 0 and out.strip() == f"imported {bundle} as attempt 1"
    code, out, _ = run(capsys, "attempts", "--db", other, "list", "--json")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["trainee"] == "trainee 1" and row["overall"] == scorecard(1)[0] and row["has_recording"]

    table = tmp_path / "attempts.csv"
    code, out, _ = run(capsys, "attempts", "--db", url, "export", "--csv", str(table))
    with table.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert code == 0 and out.strip() == f"wrote 3 attempt(s) to {table}"
    assert [int(r["id"]) for r in rows] == ids[::-1] and rows[0]["trainee"] == "Li Na"


@pytest.mark.parametrize("args, message", [
    (["show", "999"], "error: attempt 999 does not exist"),
    (["export", "--anonymous"], "error: give either an attempt ID with --out FILE, or --csv FILE"),
    (["import", "missing.zip"], "error: missing.zip: no such file"),
])
def test_user_errors_are_one_line_and_exit_2(filled, capsys, args: list[str], message: str) -> None:
    code, out, err = run(capsys, "attempts", "--db", filled[0], *args)
    assert (code, out, err) == (2, "", message + "\n")


def test_runs_as_a_module_with_the_database_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "ROLEPLAY_SIM_DATA": str(tmp_path / "data"),
           "ROLEPLAY_SIM_DB_URL": f"sqlite:///{tmp_path / 'env.sqlite3'}"}
    done = subprocess.run([sys.executable, "-m", "simulator", "attempts", "list"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "0 of 0 attempt(s)\n"
    assert (tmp_path / "env.sqlite3").is_file() and not (tmp_path / "data" / "attempts.sqlite3").exists()
    bad = {**env, "ROLEPLAY_SIM_DB_URL": "nosuchdb://x"}
    done = subprocess.run([sys.executable, "-m", "simulator", "attempts", "list"], env=bad, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")


def test_the_database_is_db_then_the_environment_then_the_settings_file(filled, capsys, tmp_path, monkeypatch) -> None:
    from simulator.settings import Settings, save_settings

    url, ids = filled
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("ROLEPLAY_SIM_DB_URL", raising=False)
    save_settings(Settings(db_url=url))                        # the config folder is the test's own
    code, out, _ = run(capsys, "attempts", "list")
    assert code == 0 and out.splitlines()[-1] == f"{len(ids)} of {len(ids)} attempt(s)"
    empty = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    monkeypatch.setenv("ROLEPLAY_SIM_DB_URL", empty)
    assert run(capsys, "attempts", "list")[1] == "0 of 0 attempt(s)\n"
    assert run(capsys, "attempts", "--db", url, "list")[1].splitlines()[-1] == f"{len(ids)} of {len(ids)} attempt(s)"
    assert not (tmp_path / "data" / "attempts.sqlite3").exists()  # the local default was never used
