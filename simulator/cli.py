"""`python -m simulator` / `roleplay-sim`: the GUI by default, or a sub-command."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = ("gui", "analyze", "personas", "models", "attempts", "phrases", "play")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"simulator.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"simulator.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        args = parser.parse_args(["gui"])
    return int(args.func(args) or 0)
