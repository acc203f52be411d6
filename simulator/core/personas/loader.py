"""Reads persona files: one file -> Persona (or PersonaFileError), a folder -> every good persona plus
the errors of the broken files, so one broken file never hides the others."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.core.bundled import bundled_dir
from simulator.core.nesting import MAX_DEPTH, too_deep
from simulator.core.personas.errors import FILE_FIELD, SYNTAX_FIELD, PersonaError, PersonaFileError, field_name
from simulator.core.personas.locate import LineIndex
from simulator.core.personas.model import BargeIn, Coping, MoodSettings, Persona, Pools, Reaction, Scenario
from simulator.core.personas.picker import PickerEntry, picker_entries
from simulator.core.personas.validation import problems
from simulator.core.voice import voice_settings

__all__ = ["ENV_PERSONAS_DIR", "LoadResult", "PickerEntry", "default_personas_dir", "load_persona",
           "load_personas", "picker_entries"]

ENV_PERSONAS_DIR = "ROLEPLAY_SIM_PERSONAS"
_TOML_LINE = re.compile(r"line (\d+)")


@dataclass
class LoadResult:
    personas: list[Persona] = field(default_factory=list)
    errors: list[PersonaError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def get(self, persona_id: str) -> Persona:
        for persona in self.personas:
            if persona.id == persona_id:
                return persona
        raise KeyError(persona_id)


def default_personas_dir() -> Path:
    """The shipped personas/ folder (checkout or installed copy); $ROLEPLAY_SIM_PERSONAS overrides it."""
    override = os.environ.get(ENV_PERSONAS_DIR)
    if override:
        return Path(override).expanduser()
    return bundled_dir("personas")


def load_persona(path: Path) -> Persona:
    """Read and validate one persona file; raises PersonaFileError listing every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaFileError([PersonaError(path, None, FILE_FIELD, f"cannot read the file: {exc}")]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        raise PersonaFileError([PersonaError(path, line, SYNTAX_FIELD, f"TOML syntax error: {exc}")]) from exc
    except RecursionError:
        data = None
    if data is None or too_deep(data):
        raise PersonaFileError([PersonaError(path, None, SYNTAX_FIELD,
                                             f"nested too deeply (more than {MAX_DEPTH} levels of arrays or tables)")])
    found = problems(data)
    if found:
        index = LineIndex(text)
        errors = [PersonaError(path, index.line_of(where), field_name(where), message) for where, message in found]
        raise PersonaFileError(sorted(errors, key=lambda e: (e.line or 0, e.field)))
    return _build(data, path)


def load_personas(folder: Path) -> LoadResult:
    """Every *.toml under folder (recursively, in path order); duplicate persona ids are errors."""
    folder = Path(folder)
    result = LoadResult()
    if not folder.is_dir():
        result.errors.append(PersonaError(folder, None, FILE_FIELD, "persona folder not found"))
        return result
    first_file: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.toml")):
        try:
            persona = load_persona(path)
        except PersonaFileError as exc:
            result.errors.extend(exc.errors)
            continue
        if persona.id in first_file:
            line = LineIndex(path.read_text(encoding="utf-8")).line_of(("id",))
            result.errors.append(PersonaError(path, line, "id", f"id {persona.id!r} is already used by {first_file[persona.id]}"))
            continue
        first_file[persona.id] = path
        result.personas.append(persona)
    return result


def _texts(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for v in values)


def _pools(table: dict[str, list[str]]) -> Pools:
    return {band: _texts(lines) for band, lines in table.items()}


def _build(data: dict[str, Any], source: Path) -> Persona:
    mood = data["mood"]
    coping = data["coping"]
    return Persona(
        id=data["id"],
        language=data["language"],
        type=data["type"],
        display_name=data["display_name"].strip(),
        difficulty=data["difficulty"],
        description=data["description"].strip(),
        voice=voice_settings(data["voice"]),
        mood=MoodSettings(
            initial=float(mood["initial"]),
            sensitivity=float(mood["sensitivity"]),
            resolve_below=float(mood["resolve_below"]),
            escalate_at=float(mood["escalate_at"]),
            max_turns=mood["max_turns"],
            monologue_seconds=float(mood["monologue_seconds"]),
            deltas={name: float(value) for name, value in mood.get("deltas", {}).items()},
            drift=float(mood["drift"]) if "drift" in mood else None,
        ),
        scenarios=tuple(
            Scenario(
                id=s["id"], industry=s["industry"], title=s["title"].strip(), situation=s["situation"].strip(),
                wants=s["wants"].strip(), facts=_texts(s["facts"]), key_words=_texts(s["key_words"]),
                opening=_texts(s["opening"]), lines=_pools(s.get("lines", {})),
                case={topic: fact.strip() for topic, fact in s.get("case", {}).items()},
                asks=_pools(s.get("asks", {})),
            )
            for s in data["scenarios"]
        ),
        lines=_pools(data["lines"]),
        reactions=tuple(
            Reaction(
                on=r["on"], lines=_texts(r["lines"]), unless=tuple(r.get("unless", ())),
                mood=float(r["mood"]) if "mood" in r else None, priority=r.get("priority", 0),
                ordered=r.get("ordered", False), when=_texts(r.get("when", [])),
                bands=tuple(r.get("bands", ())), scenarios=tuple(r.get("scenarios", ())),
            )
            for r in data["reactions"]
        ),
        endings=_pools(data["endings"]),
        coping=Coping(works=_texts(coping["works"]), backfires=_texts(coping["backfires"]), notes=coping.get("notes", "").strip()),
        source=source,
        answers=_pools(data.get("answers", {})),
        escalation=_texts(data.get("escalation", {}).get("lines", [])),
        escalation_within=float(data.get("escalation", {}).get("within", 20.0)),
        barge_in=BargeIn({band: value for band, value in data.get("barge_in", {}).items() if band != "lines"},
                         _texts(data.get("barge_in", {}).get("lines", []))),
    )
