"""simulator/data/persona.schema.json works on its own: its name lists equal the code's, and a plain
JSON Schema validator given only the file accepts every shipped persona and rejects the malformed
fixtures at the right field."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

import simulator.data
from simulator.core.events import Event
from simulator.core.personas import BAND_NAMES, PERSONA_TYPES, default_personas_dir

SCHEMA_FILE = Path(simulator.data.__file__).parent / "persona.schema.json"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "personas" / "malformed"
SHIPPED_FILES = sorted(default_personas_dir().rglob("*.toml"))


def _validator() -> jsonschema.Draft202012Validator:
    loaded = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(loaded)
    return jsonschema.Draft202012Validator(loaded)


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_file_lists_the_code_names() -> None:
    defs = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["$defs"]
    assert defs["event"]["enum"] == [e.value for e in Event]
    assert defs["persona_type"]["enum"] == list(PERSONA_TYPES)
    assert defs["band"]["enum"] == list(BAND_NAMES)


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_file_alone_accepts_every_shipped_persona(path: Path) -> None:
    assert list(_validator().iter_errors(_toml(path))) == []


@pytest.mark.parametrize("name, where, value", [
    ("unknown_event", ["reactions", 2, "on"], "sympathy"),
    ("unknown_type", ["type"], None),
])
def test_the_file_alone_rejects_unknown_names(name: str, where: list, value: str | None) -> None:
    data = _toml(MALFORMED / f"{name}.toml")
    errors = list(_validator().iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [where]
    assert errors[0].validator == "enum" and (value is None or errors[0].instance == value)


def test_the_file_alone_rejects_an_unknown_band() -> None:
    data = _toml(SHIPPED_FILES[0])
    data["lines"]["livid"] = data["lines"].pop("furious")
    paths = {tuple(e.absolute_path) for e in _validator().iter_errors(data)}
    assert ("lines",) in paths
