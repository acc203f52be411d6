"""`attempts correct ID --turn N --text …` / `--revert` and `attempts show --json` with both texts and both
scores, on SQLite and PostgreSQL; a bad id, turn or text is one `error:` line and exit status 2."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.settings import Settings, save_settings
from simulator.storage import open_store
from tests.review_store import spoken_attempt
from tests.storage_fixtures import db_url

__all__ = ["db_url"]

RECOGNISED = "你听我说，这不是我们的问题"
FIXED = "您说，我们一起看看怎么解决"


@pytest.fixture()
def spoken(db_url: str, tmp_path: Path) -> tuple[str, int]:
    store = open_store(db_url)
    attempt_id = spoken_attempt(store, tmp_path / "calls", "zh", "王小明", datetime(2026, 12, 30, 9, tzinfo=UTC))
    store.close()
    return db_url, attempt_id


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_correct_then_revert_from_the_command_line(spoken, capsys) -> None:
    url, attempt_id = spoken
    code, out, _ = run(capsys, "attempts", "--db", url, "show", str(attempt_id), "--json")
    before = json.loads(out)
    assert code == 0 and before["corrections"] == [] and before["turns"][1]["text"] == RECOGNISED
    assert before["recognised"]["overall"] == before["overall"]

    save_settings(Settings(trainee_name="周老师"))  # no reviewer name yet: the machine's name signs it
    code, out, _ = run(capsys, "attempts", "--db", url, "correct", str(attempt_id), "--turn", "1", "--text", FIXED)
    assert code == 0 and out.startswith(f"attempt {attempt_id}: turn 1 corrected; overall ")
    code, out, _ = run(capsys, "attempts", "--db", url, "show", str(attempt_id), "--json")
    after = json.loads(out)
    turn = after["turns"][1]
    assert (turn["recognised_text"], turn["text"], turn["corrected_by"]) == (RECOGNISED, FIXED, "周老师")
    assert after["turns"][0]["corrected_by"] is None and after["turns"][0]["text"] == after["turns"][0]["recognised_text"]
    assert after["recognised"]["overall"] == before["overall"] and after["overall"] > before["overall"]
    assert after["scores"]["taboo"] > before["scores"]["taboo"]
    assert after["timeline"] == before["timeline"]
    code, out, _ = run(capsys, "attempts", "--db", url, "show", str(attempt_id))
    assert f"transcript corrected by 周老师 on {datetime.now(UTC):%Y-%m-%d} (1 turn(s)); recognised score " \
           f"{before['overall']}" in out

    code, out, _ = run(capsys, "attempts", "--db", url, "correct", str(attempt_id), "--turn", "1", "--revert", "--json")
    reverted = json.loads(out)
    assert code == 0 and reverted["corrections"] == [] and reverted["overall"] == before["overall"]
    assert reverted["findings"] == before["findings"] and reverted["turns"][1]["text"] == RECOGNISED


@pytest.mark.parametrize("args, message", [
    (("{other}", "--turn", "1", "--text", "好"), "attempt {other} does not exist"),
    (("{id}", "--turn", "5", "--text", "好"), "the attempt has no turn 5 (its turns are 0 to 4)"),
    (("{id}", "--turn", "1", "--text", "  "), "the corrected text is empty"),
    (("{id}", "--turn", "1", "--revert"), "turn 1 has no correction to revert"),
])
def test_bad_corrections_are_one_error_line(spoken, capsys, args, message) -> None:
    url, attempt_id = spoken
    values = {"id": attempt_id, "other": attempt_id + 50}
    code, out, err = run(capsys, "attempts", "--db", url, "correct", *(a.format(**values) for a in args),
                         "--reviewer", "周老师")
    assert (code, out, err) == (2, "", f"error: {message.format(**values)}\n")


def test_without_a_name_the_reviewer_must_be_given(spoken, capsys) -> None:
    url, attempt_id = spoken
    code, _, err = run(capsys, "attempts", "--db", url, "correct", str(attempt_id), "--turn", "1", "--text", FIXED)
    assert code == 2 and err == "error: no reviewer or trainee name in the settings: give --reviewer NAME\n"
    code, out, _ = run(capsys, "attempts", "--db", url, "correct", str(attempt_id), "--turn", "1", "--text", FIXED,
                       "--reviewer", "Ms Zhou", "--json")
    assert code == 0 and json.loads(out)["corrections"][0]["reviewer"] == "Ms Zhou"
