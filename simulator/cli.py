"""`python -m simulator` / `roleplay-sim`: the GUI by default, or a sub-command."""

from __future__ import annotations

import argparse
import importlib
import os
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


CLOSED_PIPE_EXIT = 128 + 13  # what a shell reports for a program stopped by SIGPIPE (`… | head`)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        args = parser.parse_args(["gui"])
    if argv is None and args.command == "gui":   # the program itself, not a caller in-process (tests)
        from simulator.allocator import restart_under_jemalloc

        restart_under_jemalloc(sys.orig_argv)   # the desktop app: once more under jemalloc, see allocator.py
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # the reader (`| head`) has gone: stop quietly, as other command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's final flush must not fail too
        return CLOSED_PIPE_EXIT
