"""`python -m simulator personas check [PATH]`: validate persona files and summarise each persona."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.core.personas import Persona


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("personas", help="work with persona files")
    actions = parser.add_subparsers(dest="personas_command", required=True)
    check = actions.add_parser("check", help="validate a folder (or one file) of persona files")
    check.add_argument("path", nargs="?", help="folder or .toml file (default: the shipped personas/ folder)")
    check.set_defaults(func=check_command)


def check_command(args: argparse.Namespace) -> int:
    """Print one summary line per persona, every error as file:line: field: message, then the warnings
    (file:line: field: warning: message: too few lines, lines shared between scenarios); 1 if any error."""
    from pathlib import Path

    from simulator.core.personas import LoadResult, PersonaFileError, default_personas_dir, load_persona, load_personas

    path = Path(args.path) if args.path else default_personas_dir()
    if path.is_file():
        result = LoadResult()
        try:
            result.personas.append(load_persona(path))
        except PersonaFileError as exc:
            result.errors.extend(exc.errors)
    else:
        result = load_personas(path)
    from simulator.core.personas.coverage import persona_warnings

    warnings = [w for persona in result.personas for w in persona_warnings(persona)]
    for persona in result.personas:
        print(summary_line(persona))
    for error in result.errors:
        print(error)
    for warning in warnings:
        print(warning)
    broken = len({e.file for e in result.errors})
    print(f"{len(result.personas)} persona(s) valid, {len(result.errors)} error(s) in {broken} file(s) under {path}"
          + (f"; {len(warnings)} warning(s)" if warnings else ""))
    return 1 if result.errors else 0


def summary_line(persona: Persona) -> str:
    return (f"{persona.id}  type={persona.type}  language={persona.language}  scenarios={len(persona.scenarios)}"
            f"  lines={len(persona.all_lines())}  reactions={len(persona.reactions)}")
