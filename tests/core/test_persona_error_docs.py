"""The error messages are worded as personas/README.md documents them (file:line: field: message):
every example in its "Error messages" block is what the checker says for the matching malformed
fixture, and every problem in the malformed fixtures has its documented example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.core.personas import PersonaError, PersonaFileError, load_persona, load_personas

REPO = Path(__file__).resolve().parents[2]
README = REPO / "personas" / "README.md"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "personas" / "malformed"
EXAMPLE = re.compile(r"^(?P<file>\S+\.toml):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")


def _documented() -> list[re.Match[str]]:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Error messages", 1)[1].split("```", 2)[1]
    examples = [EXAMPLE.match(line) for line in block.strip().splitlines()]
    assert examples and all(examples), block
    return examples


def _found() -> list[PersonaError]:
    result = load_personas(MALFORMED)
    assert result.personas == []
    return result.errors


def _pattern(message: str) -> re.Pattern[str]:
    """The documented message, where "..." stands for the rest of a long list."""
    return re.compile(".*".join(re.escape(part) for part in message.split("...")))


def _matches(example: re.Match[str], error: PersonaError) -> bool:
    return (error.field == example["field"] and error.line == int(example["line"])
            and _pattern(example["message"]).fullmatch(error.message) is not None)


@pytest.mark.parametrize("example", _documented(), ids=lambda m: m["field"])
def test_each_documented_example_is_what_the_checker_says(example: re.Match[str]) -> None:
    errors = [e for e in _found() if _matches(example, e)]
    assert len(errors) == 1, (example.group(0), [str(e) for e in _found()])
    error = errors[0]
    assert str(error) == f"{error.file}:{example['line']}: {example['field']}: {error.message}"


def test_every_problem_of_the_malformed_fixtures_is_documented() -> None:
    examples = _documented()
    undocumented = [str(e) for e in _found() if not any(_matches(x, e) for x in examples)]
    assert undocumented == []


def test_a_value_left_unfinished_at_the_end_is_reported_at_the_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.toml"
    path.write_text('id = "x"\nlanguage = "zh"\n\ntype = ', encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:4: (toml): TOML syntax error: Invalid value (at end of document)"]
