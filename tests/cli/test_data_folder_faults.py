"""A data folder that is read-only, another user's or full, a database from a newer build, and an
unreadable settings file: the CLI and the app say what is wrong in one line and still start, never with a
traceback, and never answer from the local database when the settings may name the team's."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import subprocess
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from simulator.cli import main
from simulator.storage.db import open_store
from tests.small_disk import small_disk
from tests.storage_fixtures import record_call

REPO = Path(__file__).resolve().parents[2]
NOBODY = 65534

CRASHED_CALL = r"""
import os, sys
from pathlib import Path
from simulator.storage.db import open_store
store = open_store(sys.argv[1], Path(sys.argv[2]))
store.begin_attempt("王五", "zh.angry_threatening", "angry_threatening", "heating", "zh")
os._exit(0)  # a crash: the attempt stays in_progress, its lock is dropped with the process
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def as_user(uid: int, *args: str) -> tuple[int, str, str]:
    """`main(args)` in a forked child running as `uid` (the interpreter's own files may be out of that user's
    reach, so the parent has imported what the command needs by running it once already)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        out, err = io.StringIO(), io.StringIO()
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            sys.stdout, sys.stderr = out, err
            code = main(list(args))
        except BaseException:
            code = 99
            err.write(traceback.format_exc())
        os.write(write, json.dumps([code, out.getvalue(), err.getvalue()]).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        result = json.loads(f.read())
    os.waitpid(pid, 0)
    return tuple(result)


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own data folder, whatever the environment says."""
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("ROLEPLAY_SIM_DB_URL", raising=False)
    monkeypatch.delenv("ROLEPLAY_SIM_RECORDINGS", raising=False)
    return tmp_path / "data"


@pytest.fixture()
def data_with_attempt(data_folder: Path) -> tuple[Path, int]:
    """The data folder holding the default SQLite database with one finished attempt."""
    store = open_store()
    attempt = record_call(store, "王小明")
    store.close()
    return data_folder, attempt


def test_a_folder_of_another_user_is_reviewed_read_only(data_with_attempt, tmp_path: Path, capsys,
                                                        monkeypatch, request) -> None:
    if os.getuid() != 0:
        pytest.skip("becoming another user needs root")
    data, attempt = data_with_attempt
    bundle = tmp_path / "bundle.zip"
    assert run(capsys, "attempts", "export", str(attempt), "--out", str(bundle))[0] == 0
    assert run(capsys, "attempts", "list")[0] == 0  # imports everything the child needs while it still can
    base = Path(tempfile.mkdtemp(prefix="not-owned-"))  # pytest's folder is for root only
    request.addfinalizer(lambda: shutil.rmtree(base))
    shutil.copytree(data, base / "data")
    shutil.copy(bundle, base / "bundle.zip")
    for path in [base, *base.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # readable by all, owned by root: not this user's
    config = base / "config"
    config.mkdir(mode=0o777)
    config.chmod(0o777)
    monkeypatch.setenv("ROLEPLAY_SIM_CONFIG", str(config))
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(base / "data"))
    bundle = base / "bundle.zip"
    code, out, err = as_user(NOBODY, "attempts", "list", "--json")
    assert code == 0, err
    assert "Traceback" not in err and "can only be read here" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == [attempt]
    code, out, err = as_user(NOBODY, "attempts", "import", str(bundle))
    assert code == 2 and "Traceback" not in err and "can only be read here" in err.splitlines()[-1], err

    other = base / "others"  # another user's folder with no database: one line naming the owner
    other.mkdir(mode=0o755)
    other.chmod(0o755)
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(other))
    code, out, err = as_user(NOBODY, "attempts", "list")
    assert code == 2 and "Traceback" not in err
    assert "belongs to another user (uid 0)" in err and len(err.splitlines()) == 1, err


def test_a_read_only_data_folder_lists_and_the_app_starts(data_with_attempt, tmp_path: Path, capsys, qapp,
                                                         monkeypatch) -> None:
    data, attempt = data_with_attempt
    mount = tmp_path / "ro"
    with small_disk(mount, "4m"):
        subprocess.run(["cp", "-a", f"{data}/.", str(mount)], check=True)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(mount))
        monkeypatch.delenv("ROLEPLAY_SIM_DB_URL", raising=False)
        code, out, err = run(capsys, "attempts", "list", "--json")
        assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [attempt]
        assert "can only be read here" in err
        code, out, err = run(capsys, "attempts", "show", str(attempt))
        assert code == 0 and "王小明" in out

        from simulator.settings import Settings
        from simulator.ui.app import open_attempts

        store, notes = open_attempts(Settings())
        try:
            assert store is not None and store.read_only and "can only be read" in notes[0]
            assert [row.id for row in store.list_attempts()] == [attempt]
            assert store.recording_path(attempt).is_file()
        finally:
            store.close()

        # a read-only folder with no database yet: one line, and the app still opens without a store
        empty = mount / "empty"
        monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(empty))
        code, out, err = run(capsys, "attempts", "list")
        assert code == 2 and "read-only" in err and len(err.strip().splitlines()) == 1
        store, notes = open_attempts(Settings())
        assert store is None and "read-only" in notes[0]


def test_a_database_from_a_newer_build_is_refused_in_one_line(tmp_path: Path, capsys, qapp) -> None:
    url = f"sqlite:///{tmp_path / 'attempts.sqlite3'}"
    open_store(url, tmp_path / "recordings").close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()
    code, out, err = run(capsys, "attempts", "--db", url, "list")
    assert code == 2 and "newer version of the simulator" in err and "0099_from_the_future" in err
    assert len(err.strip().splitlines()) == 1

    from simulator.settings import Settings
    from simulator.ui.app import build_window

    window = build_window(Settings(db_url=url))
    try:
        assert window.controller.store is None
        assert any("newer version" in m for m in window.problem_messages)
    finally:
        window.close()
    engine = create_engine(url)
    with engine.connect() as connection:  # untouched: the newer build can still open it
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0099_from_the_future"
    engine.dispose()


def fill(folder: Path) -> None:
    """Write until the filesystem refuses: ENOSPC from here on."""
    with (folder / "filler").open("ab", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_the_app_and_the_cli_start_on_a_full_disk_and_say_why_nothing_was_recovered(tmp_path: Path, capsys,
                                                                                   qapp, monkeypatch) -> None:
    with small_disk(tmp_path / "db", "2m") as disk:
        url = f"sqlite:///{disk / 'attempts.sqlite3'}"
        recordings = tmp_path / "recordings"
        monkeypatch.setenv("ROLEPLAY_SIM_RECORDINGS", str(recordings))
        open_store(url, recordings).close()
        subprocess.run([sys.executable, "-c", CRASHED_CALL, url, str(recordings)], check=True, cwd=REPO,
                       env={**os.environ, "PYTHONPATH": str(REPO)})
        fill(disk)
        code, out, err = run(capsys, "attempts", "--db", url, "list")
        assert code == 0 and "interrupted calls not recovered" in err and "Traceback" not in err
        fill(disk)  # SQLite may have freed a page while failing

        from simulator.settings import Settings
        from simulator.ui.app import open_attempts, recover_calls

        store, notes = open_attempts(Settings(db_url=url))  # SQLite may not even open: then no store
        if store is not None:
            notes += recover_calls(store)
        assert len(notes) == 1 and "full" in notes[0]
        if store is not None:
            assert [row.status for row in store.list_attempts()] == ["in_progress"]
            store.close()
        (disk / "filler").unlink()
        code, out, err = run(capsys, "attempts", "--db", url, "list", "--json")
        assert code == 0 and "recovered 1 interrupted call(s)" in err
        assert json.loads(out)["status"] == "recovered"


def test_an_unreadable_settings_file_never_falls_back_to_the_local_database(tmp_path: Path, capsys, monkeypatch,
                                                                           qapp) -> None:
    team = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    store = open_store(team, tmp_path / "team-recordings")
    record_call(store, "王小明")
    store.close()
    config = Path(os.environ["ROLEPLAY_SIM_CONFIG"])
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"version": 2, "db_url": "%s",' % team)  # cut off mid-write
    for _ in range(2):  # the first run keeps the file as settings.json.bad; the second must not forget it
        code, out, err = run(capsys, "attempts", "list")
        assert code == 2 and out == "" and "could not be read" in err and "--db" in err
    assert not (tmp_path / "data" / "attempts.sqlite3").exists()
    code, out, err = run(capsys, "attempts", "--db", team, "list", "--json")
    assert code == 0 and json.loads(out)["trainee"] == "王小明"

    from simulator.settings import load_settings
    from simulator.ui.app import open_attempts

    store, notes = open_attempts(load_settings())
    assert store is None and "could not be read" in notes[0]


def test_the_cli_prints_no_terminal_control_characters(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'attempts.sqlite3'}"
    store = open_store(url, tmp_path / "recordings")
    attempt = record_call(store, "Mallory\x1b[2J\x1b]0;pwned\x07\r\u202eevil", notes="ok\x1b[31mred\nline 2")
    store.close()
    for args in (["list"], ["show", str(attempt)]):
        code, out, err = run(capsys, "attempts", "--db", url, *args)
        assert code == 0 and "Mallory" in out
        assert not any(ord(c) < 0x20 and c != "\n" or c in "\x7f\u202e" for c in out), repr(out)
    assert "notes: ok?[31mred\nline 2" in out


def test_locks_and_recordings_are_private(tmp_path: Path) -> None:
    os.umask(0o022)
    store = open_store(f"sqlite:///{tmp_path / 'data' / 'attempts.sqlite3'}")
    attempt_id, recording = store.begin_attempt("王小明", "angry_zh", "angry", "heating", "zh")
    try:
        from simulator.speech.recorder import CallRecorder

        recorder = CallRecorder(recording)
        from tests.storage_fixtures import tone

        recorder.add_customer(0.0, tone(1.0, 300))
        partial = recording.with_suffix(".partial.flac")
        folders = [tmp_path / "data" / "locks", *(tmp_path / "data" / "locks").iterdir()]
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in [*folders, partial, *folders[-1].iterdir()]}
        assert all(mode & 0o077 == 0 for mode in modes.values()), {str(p): oct(m) for p, m in modes.items()}
        recorder.close()
    finally:
        store.finish_attempt(attempt_id, "resolved", None, {}, None, {}, [])
        store.close()


@pytest.mark.parametrize("damage", [
    "UPDATE attempts SET started_at = 'garbage', timeline = '{not json' WHERE id = 1",
    "ALTER TABLE attempts DROP COLUMN status",
])
def test_review_on_a_damaged_attempts_table_says_so_in_the_window(tmp_path: Path, qtbot, damage: str) -> None:
    url = f"sqlite:///{tmp_path / 'attempts.sqlite3'}"
    store = open_store(url, tmp_path / "recordings")
    record_call(store, "王小明")
    store.close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX IF EXISTS ix_attempts_status"))
        connection.execute(text(damage))
    engine.dispose()

    from simulator.settings import Settings
    from simulator.ui.app import build_window

    window = build_window(Settings(db_url=url))
    qtbot.addWidget(window)
    window.open_review()  # Ctrl+R
    window.jobs.settle()
    assert "attempts database" in window.problems.text()
    assert getattr(window, "review_window", None) is None
