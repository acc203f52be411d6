"""Checks a parsed persona file against simulator/data/persona.schema.json plus the rules a schema
cannot express (unique scenario ids, thresholds in order), and words each problem for a trainer."""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

from simulator.core.voice import band_voice_problems

Problem = tuple[tuple[str | int, ...], str]   # (field path, message)

_TOML_TYPES = {"string": "text", "integer": "whole number", "number": "number", "array": "list",
               "object": "table", "boolean": "true/false"}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The persona JSON Schema, as shipped: complete on its own, so outside editors validate with it too."""
    text = resources.files("simulator.data").joinpath("persona.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def problems(data: dict[str, Any]) -> list[Problem]:
    """Every problem of a parsed persona file (semantic rules only once the structure is valid)."""
    validator = jsonschema.Draft202012Validator(copy.deepcopy(schema()))
    found = list(_non_finite(data))  # nan passes every minimum and maximum: no comparison with it is true
    found += [p for error in validator.iter_errors(data) for p in _describe(error)]
    if not found:
        found = list(_semantic_problems(data))
    return list(dict.fromkeys(found))


def _non_finite(data: Any) -> Iterator[Problem]:
    """Every nan or inf number (TOML has both), with its field path."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            yield path, f"must be a finite number (got {value})"
        elif isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))


def _describe(error: jsonschema.ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if "propertyNames" in error.schema_path:
        yield path + (error.instance,), f"unknown name {error.instance!r}; expected one of: {_names(error.validator_value)}"
    elif kind == "required":
        for name in error.validator_value:
            if isinstance(error.instance, dict) and name not in error.instance:
                yield path + (name,), "required field is missing"
    elif kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        for name in sorted(set(error.instance) - known):
            yield path + (name,), f"unknown field (expected one of: {_names(sorted(known))})"
    elif kind == "type":
        yield path, f"expected {_TOML_TYPES.get(error.validator_value, error.validator_value)}, got {_describe_value(error.instance)}"
    elif kind in ("enum", "const"):
        choices = error.validator_value if kind == "enum" else [error.validator_value]
        yield path, f"{error.instance!r} is not one of: {_names(choices)}"
    elif kind == "pattern":
        yield path, _pattern_message(error)
    elif kind == "minItems":
        yield path, "is empty" if not error.instance else f"needs at least {error.validator_value} entries"
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[kind]
        yield path, f"must be {sign} {error.validator_value} (got {error.instance!r})"
    else:
        yield path, error.message


def _pattern_message(error: jsonschema.ValidationError) -> str:
    if error.validator_value == r"\S":
        return "must not be empty"
    return f"{error.instance!r} may only use lowercase letters, digits and _ - . (and start with a letter or digit)"


def _names(values: Sequence[Any]) -> str:
    return ", ".join(str(v) for v in values)


def _describe_value(value: Any) -> str:
    kinds = ((bool, "true/false"), (int, "whole number"), (float, "number"), (str, "text"),
             (list, "list"), (dict, "table"))
    name = next((label for kind, label in kinds if isinstance(value, kind)), type(value).__name__)
    return f"{name} {value!r}"[:80]


def _semantic_problems(data: dict[str, Any]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, scenario in enumerate(data["scenarios"]):
        if scenario["id"] in seen:
            yield ("scenarios", index, "id"), f"scenario id {scenario['id']!r} is used twice in this file"
        seen.add(scenario["id"])
    yield from _case_problems(data)
    yield from _slot_problems(data)
    for index, reaction in enumerate(data["reactions"]):
        for at, scenario_id in enumerate(reaction.get("scenarios", ())):
            if scenario_id not in seen:
                yield ("reactions", index, "scenarios", at), f"no scenario {scenario_id!r} in this file"
    mood = data["mood"]
    if mood["resolve_below"] >= mood["escalate_at"]:
        yield ("mood", "resolve_below"), f"must be below escalate_at ({mood['escalate_at']})"
    if mood["initial"] >= mood["escalate_at"]:
        yield ("mood", "initial"), f"must be below escalate_at ({mood['escalate_at']}), or the call ends at once"
    yield from band_voice_problems(data["voice"])
    barge_in = data.get("barge_in", {})
    if "snap_back" in barge_in.values() and not barge_in.get("lines"):
        bands = [band for band, value in barge_in.items() if value == "snap_back"]
        yield ("barge_in", "lines"), f"required when a band snaps back ({_names(bands)}): what the customer snaps"


def _case_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Every case topic needs question words: built in, or in the scenario's [scenarios.asks]."""
    from simulator.core.dialogue.questions import builtin_topics

    known = builtin_topics()
    for index, scenario in enumerate(data["scenarios"]):
        case, asks = scenario.get("case", {}), scenario.get("asks", {})
        for topic in case:
            if topic not in known and topic not in asks:
                yield (("scenarios", index, "case", topic),
                       f"no question words for topic {topic!r}: add them in [scenarios.asks] (built in: {_names(sorted(known))})")
        for topic in asks:
            if topic not in case:
                yield ("scenarios", index, "asks", topic), f"topic {topic!r} is not in [scenarios.case]"


_SLOT = re.compile(r"\{([^{}]*)\}")


def _slot_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Reaction lines may quote the trainee ({said}); answers to a question use the fact ({fact})."""
    for index, reaction in enumerate(data["reactions"]):
        for at, line in enumerate(reaction["lines"]):
            yield from _slots(("reactions", index, "lines", at), line, allowed={"said"}, needed=set())
    for name, lines in data.get("answers", {}).items():
        needed = set() if name == "unknown" else {"fact"}
        allowed = needed
        for at, line in enumerate(lines):
            yield from _slots(("answers", name, at), line, allowed, needed)


def _slots(where: tuple[str | int, ...], line: str, allowed: set[str], needed: set[str]) -> Iterator[Problem]:
    found = set(_SLOT.findall(line))
    for slot in sorted(found - allowed):
        choices = ", ".join("{" + s + "}" for s in sorted(allowed)) or "none"
        yield where, f"unknown slot {{{slot}}} (allowed here: {choices})"
    for slot in sorted(needed - found):
        yield where, f"needs the slot {{{slot}}}"
