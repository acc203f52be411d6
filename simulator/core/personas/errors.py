"""Errors in persona files, each naming the file, the line and the field so a trainer can fix it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

FILE_FIELD = "(file)"      # field name for errors about the file as a whole (unreadable, not UTF-8)
SYNTAX_FIELD = "(toml)"    # field name for TOML syntax errors


@dataclass(frozen=True)
class PersonaError:
    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        return f"{where}: {self.field}: {self.message}"


class PersonaFileError(ValueError):
    """A persona file that cannot be used; `errors` lists every problem found in it."""

    def __init__(self, errors: Iterable[PersonaError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def field_name(path: Sequence[str | int]) -> str:
    """('scenarios', 1, 'key_words') -> 'scenarios[1].key_words' (the name used in error messages)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
