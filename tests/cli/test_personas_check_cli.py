"""`python -m simulator personas check [PATH]`: one summary line per persona, every error as
file:line: field: message, exit code 0 only when everything is valid."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.core.personas import PersonaFileError, load_persona, load_personas

FIXTURES = Path(__file__).parents[1] / "fixtures" / "personas"
ERROR_LINE = re.compile(r"^(?P<file>.+\.toml):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["personas", "check", *args])
    return code, capsys.readouterr().out.splitlines()


def test_valid_folder_prints_a_summary_per_persona(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, str(FIXTURES / "valid"))
    assert code == 0
    personas = load_personas(FIXTURES / "valid").personas
    for persona in personas:
        [row] = [line for line in out if line.startswith(persona.id + " ")]
        assert f"type={persona.type}" in row and f"language={persona.language}" in row
        assert f"scenarios={len(persona.scenarios)}" in row
        assert f"lines={len(persona.all_lines())}" in row and f"reactions={len(persona.reactions)}" in row
    assert out[-1].startswith(f"{len(personas)} persona(s) valid, 0 error(s)")


def test_malformed_folder_lists_every_error_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, str(FIXTURES / "malformed"))
    assert code == 1
    errors = [m for m in map(ERROR_LINE.match, out) if m]
    files = sorted((FIXTURES / "malformed").glob("*.toml"))
    assert {Path(m["file"]) for m in errors} == set(files)
    unknown_event = [m for m in errors if m["field"] == "reactions[2].on"]
    assert unknown_event and "sympathy" in unknown_event[0]["message"]
    assert f"{len(errors)} error(s) in {len(files)} file(s)" in out[-1]


def test_mixed_folder_still_summarises_the_good_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, str(FIXTURES))
    assert code == 1
    assert sum(line.startswith("test.") for line in out) == 4


def test_single_file_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, str(FIXTURES / "valid" / "stubborn.toml"))
    assert code == 0 and out[0].startswith("test.zh.stubborn ")
    code, out = _check(capsys, str(FIXTURES / "malformed" / "wrong_type.toml"))
    assert code == 1 and ERROR_LINE.match(out[0])["field"] == "difficulty"


def test_default_path_comes_from_the_environment(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPLAY_SIM_PERSONAS", str(FIXTURES / "valid"))
    code, out = _check(capsys)
    assert code == 0 and str(FIXTURES / "valid") in out[-1]


def test_real_module_entry_point() -> None:
    env = {**os.environ, "ROLEPLAY_SIM_PERSONAS": str(FIXTURES / "malformed")}
    done = subprocess.run([sys.executable, "-m", "simulator", "personas", "check"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    path = FIXTURES / "malformed" / "unknown_type.toml"
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    assert str(caught.value.errors[0]) in done.stdout
