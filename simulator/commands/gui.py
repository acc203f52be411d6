"""`python -m simulator gui`: the desktop app (also what runs with no sub-command)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("gui", help="start the desktop app (default)")
    parser.add_argument("--lang", choices=["zh", "en"], default=None, help="interface and persona language")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from simulator.ui.app import run

    return run(args.lang)
