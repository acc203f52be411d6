"""Crafted files as a careful tester makes them: nesting thousands deep, nan in a persona, turns and calls
beyond the analysis limits. Each is one `error:` line (or a persona error) and never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.core.personas import PersonaFileError, load_persona
from simulator.core.timeline import MAX_CALL_SECONDS, MAX_TURN_CHARS

SHIPPED = Path(__file__).resolve().parents[2] / "personas" / "zh" / "angry_threatening.toml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def timeline(turns: list[dict], **extra) -> dict:
    return {"version": 1, "language": "zh", "persona": "angry_threatening", "turns": turns, **extra}


@pytest.mark.parametrize("depth", [40, 990, 1_000, 100_000])
def test_analyze_refuses_a_deeply_nested_timeline_in_one_line(tmp_path: Path, capsys, depth: int) -> None:
    path = tmp_path / "deep.json"
    turn = '{"speaker": "trainee", "start": 0, "end": 2, "text": "您好"}'
    path.write_text('{"version": 1, "language": "zh", "persona": "x", "turns": [%s], "extra": %s%s}'
                    % (turn, "[" * depth, "]" * depth))
    code, out, err = run(capsys, "analyze", "--timeline", str(path))
    assert code == 2 and out == "" and re.fullmatch(r"error: .*nested too deeply.*\n", err), err


@pytest.mark.parametrize("depth", [40, 600, 5_000])
def test_personas_check_refuses_deeply_nested_arrays(tmp_path: Path, capsys, depth: int) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(SHIPPED.read_text(encoding="utf-8") + f"\nextra = {'[' * depth}{']' * depth}\n",
                    encoding="utf-8")
    with pytest.raises(PersonaFileError, match="nested too deeply"):
        load_persona(path)
    code, out, _ = run(capsys, "personas", "check", str(path))
    assert code == 1 and "nested too deeply" in out and out.splitlines()[-1].startswith("0 persona(s) valid, 1 error")


@pytest.mark.parametrize("value", ["nan", "-nan", "inf"])
def test_personas_check_rejects_non_finite_mood_values(tmp_path: Path, capsys, value: str) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    changed = re.sub(r"(?m)^(initial\s*=\s*)\S+", rf"\g<1>{value}", text, count=1)
    assert changed != text
    path = tmp_path / "nan.toml"
    path.write_text(changed, encoding="utf-8")
    code, out, _ = run(capsys, "personas", "check", str(path))
    line = text.splitlines().index(next(l for l in text.splitlines() if l.startswith("initial"))) + 1
    assert code == 1 and f"nan.toml:{line}: mood.initial: must be a finite number" in out, out


def test_a_turn_beyond_the_limit_is_refused_before_any_matching(tmp_path: Path, capsys) -> None:
    path = tmp_path / "long.json"
    path.write_text(json.dumps(timeline([{"speaker": "trainee", "start": 0, "end": 60,
                                          "text": "您" * (MAX_TURN_CHARS + 1)}])), encoding="utf-8")
    code, out, err = run(capsys, "analyze", "--timeline", str(path))
    assert code == 2 and err == f"error: {path}: turn 0 has 200,001 characters; the analysis takes at most 200,000 per turn\n"


def test_a_call_beyond_four_hours_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "long.json"
    path.write_text(json.dumps(timeline([{"speaker": "trainee", "start": 0, "end": MAX_CALL_SECONDS + 1,
                                          "text": "您好"}])), encoding="utf-8")
    code, out, err = run(capsys, "analyze", "--timeline", str(path))
    assert code == 2 and "ends at 14,401 s; the analysis takes calls of at most 4 hours" in err
    path.write_text(json.dumps(timeline([{"speaker": "trainee", "start": 0, "end": MAX_CALL_SECONDS,
                                          "text": "您好"}])), encoding="utf-8")
    assert run(capsys, "analyze", "--timeline", str(path))[0] == 0
