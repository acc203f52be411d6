"""Persona file format: the fixtures load into the documented records, every malformed fixture is
reported at the right file, line and field, one broken file never hides the others, and every
shipped persona file under personas/ validates with enough content."""

from __future__ import annotations

import shutil
import tomllib
from collections import defaultdict
from pathlib import Path

import jsonschema
import pytest

from simulator.core.personas import (
    BAND_NAMES,
    PERSONA_TYPES,
    PersonaFileError,
    default_personas_dir,
    load_persona,
    load_personas,
    picker_entries,
)
from simulator.core.personas.locate import LineIndex
from simulator.core.personas.validation import schema
from simulator.core.voice import VoiceSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "personas"
VALID = FIXTURES / "valid"
MALFORMED = FIXTURES / "malformed"
MARKER = "# ERROR-LINE"

# malformed fixture -> the field its error must name (the line is the one marked ERROR-LINE)
MALFORMED_FIELDS = {
    "syntax_error": "(toml)",
    "missing_field": "scenarios[1].wants",
    "wrong_type": "difficulty",
    "unknown_type": "type",
    "unknown_event": "reactions[2].on",
    "empty_pool": "lines.furious",
    "unknown_field": "mood.sensitivty",
    "empty_line_in_list": "lines.calm[2]",
}


def _marked_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    marked = [n for n, text in enumerate(lines, 1) if text.rstrip().endswith(MARKER) and not text.startswith("#")]
    assert len(marked) == 1, f"{path.name} must mark exactly one line"
    return marked[0]


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value.strip()}
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    return set()


def test_schema_file_is_a_valid_json_schema_with_code_names() -> None:
    loaded = schema()
    jsonschema.Draft202012Validator.check_schema(loaded)
    assert set(loaded["$defs"]["persona_type"]["enum"]) == set(PERSONA_TYPES)
    assert "interruption" in loaded["$defs"]["event"]["enum"]


def test_valid_fixtures_load_one_per_type() -> None:
    result = load_personas(VALID)
    assert result.errors == []
    assert sorted(p.type for p in result.personas) == sorted(PERSONA_TYPES)


def test_fields_are_read_into_the_records() -> None:
    persona = load_persona(VALID / "angry_threatening.toml")
    assert persona.voice == VoiceSettings("cmn-latn-pinyin+m3", 200, 40, 1.0)
    assert persona.mood.initial == 70 and persona.mood.sensitivity == pytest.approx(1.2)
    assert persona.mood.deltas == {"interruption": 12.0, "empathy": -9.0}
    assert [s.id for s in persona.scenarios] == ["heating_below_standard", "bank_card_frozen"]
    heating = persona.scenarios[0]
    assert heating.key_words == ("暖气", "老人", "两天") and len(heating.opening) == 2
    assert persona.reactions[0].on == "interruption" and persona.reactions[0].priority == 10
    assert persona.reactions[2].unless == ("taboo", "defensive")
    assert persona.coping.notes.startswith("声音")
    assert persona.source == VALID / "angry_threatening.toml"
    merged = persona.pool("angry", heating)
    assert set(merged) == set(persona.lines["angry"]) | set(heating.lines["angry"])
    assert persona.pool("angry", persona.scenarios[1]) == persona.lines["angry"]


@pytest.mark.parametrize("path", sorted(VALID.glob("*.toml")), ids=lambda p: p.stem)
def test_all_lines_is_every_spoken_string_and_no_coping_text(path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    spoken = _strings(raw["lines"]) | _strings(raw["endings"]) | _strings([r["lines"] for r in raw["reactions"]])
    for scenario in raw["scenarios"]:
        spoken |= _strings(scenario["opening"]) | _strings(scenario.get("lines", {}))
    persona = load_persona(path)
    assert persona.all_lines() == spoken
    assert not persona.all_lines() & _strings(raw["coping"])


@pytest.mark.parametrize("name", sorted(MALFORMED_FIELDS))
def test_malformed_file_names_file_line_and_field(name: str) -> None:
    path = MALFORMED / f"{name}.toml"
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    matching = [e for e in caught.value.errors if e.field == MALFORMED_FIELDS[name]]
    assert matching, [str(e) for e in caught.value.errors]
    error = matching[0]
    assert error.file == path
    assert error.line == _marked_line(path)
    assert str(error).startswith(f"{path}:{error.line}: {error.field}: ")
    assert error.message


def test_misspelt_field_also_reports_the_missing_real_one_at_its_table() -> None:
    path = MALFORMED / "unknown_field.toml"
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    missing = [e for e in caught.value.errors if e.field == "mood.sensitivity"]
    header = path.read_text(encoding="utf-8").splitlines().index("[mood]") + 1
    assert [e.line for e in missing] == [header]


def test_one_broken_file_does_not_stop_the_others() -> None:
    result = load_personas(FIXTURES)
    assert sorted(p.type for p in result.personas) == sorted(PERSONA_TYPES)
    assert {e.file.stem for e in result.errors} == set(MALFORMED_FIELDS)


def test_duplicate_persona_id_is_an_error_on_the_second_file(tmp_path: Path) -> None:
    shutil.copy(VALID / "stubborn.toml", tmp_path / "a.toml")
    shutil.copy(VALID / "stubborn.toml", tmp_path / "b.toml")
    result = load_personas(tmp_path)
    assert len(result.personas) == 1
    [error] = result.errors
    assert (error.file.name, error.field, error.line) == ("b.toml", "id", 2)


def test_semantic_rules_duplicate_scenario_and_thresholds(tmp_path: Path) -> None:
    text = (VALID / "angry_threatening.toml").read_text(encoding="utf-8")
    text = text.replace('id = "bank_card_frozen"', 'id = "heating_below_standard"').replace("resolve_below = 30", "resolve_below = 100")
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    lines = text.splitlines()
    got = {e.field: e.line for e in caught.value.errors}
    assert got["scenarios[1].id"] == [n for n, t in enumerate(lines, 1) if t == 'id = "heating_below_standard"'][1]
    assert got["mood.resolve_below"] == lines.index("resolve_below = 100") + 1


def test_unreadable_and_missing_inputs(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('display_name = "Zoë"'.encode("latin-1"))
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    assert caught.value.errors[0].field == "(file)"
    result = load_personas(tmp_path / "nowhere")
    assert result.personas == [] and len(result.errors) == 1


def test_line_index_ignores_text_inside_strings_and_counts_tables() -> None:
    text = "\n".join([
        'notes = """',                 # 1
        "[fake]",                      # 2
        'lines = "not a key"',         # 3
        '"""',                         # 4
        "[[scenarios]]",               # 5
        'id = "a"  # x = 1',           # 6
        "[[scenarios]]",               # 7
        "id = 'b'",                    # 8
        "[scenarios.lines]",           # 9
        "calm = [",                    # 10
        '  "x = [1",',                 # 11
        '  "y",',                      # 12
        "]",                           # 13
        "mood.initial = 3",            # 14
    ])
    index = LineIndex(text)
    assert index.line_of(("notes",)) == 1
    assert index.line_of(("fake",)) is None and index.line_of(("lines",)) is None
    assert index.line_of(("scenarios", 0, "id")) == 6
    assert index.line_of(("scenarios", 1, "id")) == 8
    assert index.line_of(("scenarios", 1, "lines", "calm")) == 10
    assert index.line_of(("scenarios", 1, "lines", "calm", 1)) == 12
    assert index.line_of(("scenarios", 1, "lines", "calm", 1, "deeper")) == 12
    assert index.line_of(("scenarios", 1, "lines", "mood", "initial")) == 14
    assert index.line_of(("scenarios", 1, "wants")) == 7


def test_default_personas_dir_and_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ROLEPLAY_SIM_PERSONAS", raising=False)
    assert default_personas_dir() == Path(__file__).resolve().parents[2] / "personas"
    monkeypatch.setenv("ROLEPLAY_SIM_PERSONAS", str(tmp_path))
    assert default_personas_dir() == tmp_path


def test_picker_entries_per_language_and_scenario() -> None:
    result = load_personas(VALID)
    zh = picker_entries(result, "zh")
    assert [(e.persona_id, e.scenario_id) for e in zh] == [
        ("test.zh.angry_threatening", "heating_below_standard"),
        ("test.zh.angry_threatening", "bank_card_frozen"),
        ("test.zh.stubborn", "refuses_to_pay"),
    ]
    assert zh[0].type_label == "易怒威吓型" and zh[0].name == "暴躁的王先生" and zh[0].difficulty == 4
    assert zh[2].situation.startswith("清洗暖气")
    en = picker_entries(result, "en")
    assert [e.type_label for e in en] == ["Habitual complainer", "Insulting"]


# ---- shipped content (personas/zh, personas/en) ---------------------------------------------------

SHIPPED = default_personas_dir()
SHIPPED_FILES = sorted(SHIPPED.rglob("*.toml")) if SHIPPED.is_dir() else []


def test_every_type_ships_in_both_languages() -> None:
    result = load_personas(SHIPPED)
    have = {(p.language, p.type) for p in result.personas}
    assert have == {(lang, t) for lang in ("zh", "en") for t in PERSONA_TYPES}


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_shipped_persona_validates_with_enough_content(path: Path) -> None:
    persona = load_persona(path)
    assert persona.language == path.parent.name
    assert len(persona.all_lines()) >= 40
    assert len(persona.scenarios) >= (2 if persona.language == "zh" else 1)
    for scenario in persona.scenarios:
        assert all(persona.pool(band, scenario) for band in BAND_NAMES)


def test_shipped_lines_per_type_and_language() -> None:
    lines: dict[tuple[str, str], set[str]] = defaultdict(set)
    for persona in load_personas(SHIPPED).personas:
        lines[(persona.language, persona.type)] |= persona.all_lines()
    assert lines and all(len(v) >= 40 for v in lines.values())
