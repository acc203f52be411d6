"""`python -m simulator play PERSONA_ID`: a typed call in the terminal, for trainers writing personas and
for scripted tests. Replies come one per line from --script FILE or standard input; the customer answers
each until the call ends. --json prints one JSON object per customer line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from simulator.core.personas import Persona
    from simulator.core.typed_call import PlayedLine, TypedCall

BAR_WIDTH = 20


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("play", help="a typed call with a persona in the terminal",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("persona", metavar="PERSONA_ID", help="persona id (e.g. zh.angry_threatening) or a persona .toml file")
    parser.add_argument("--scenario", metavar="ID", help="scenario id (default: chosen by the seed)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed and replies, same call")
    parser.add_argument("--json", action="store_true", help="one JSON object per customer line")
    parser.add_argument("--script", metavar="FILE", help="trainee replies, one per line (default: standard input)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from simulator.core.personas import UnknownScenarioError
    from simulator.core.typed_call import TypedCall

    try:
        persona = _persona(args.persona)
        call = TypedCall(persona, args.scenario, args.seed)
        script = Path(args.script).read_text(encoding="utf-8").splitlines() if args.script else None
    except (LookupError, UnknownScenarioError, OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    typing = script is None and sys.stdin.isatty() and not args.json
    replies = script if script is not None else _lines(sys.stdin, "> " if typing else "")
    if args.json:
        for played in call.play(replies):
            print(json.dumps(played.to_json(), ensure_ascii=False), flush=True)
        return 0
    echo = script is not None or not sys.stdin.isatty()
    _readable(call, persona, replies, echo, sys.stdout)
    return 0


def _persona(name: str) -> Persona:
    """A shipped persona by id, or a persona file by path (LookupError: one line saying what is known)."""
    from simulator.core.personas import PersonaFileError, default_personas_dir, load_persona, load_personas

    path = Path(name)
    if name.endswith(".toml") and path.is_file():
        try:
            return load_persona(path)
        except PersonaFileError as exc:
            raise LookupError(f"{path} is not a valid persona file ({exc.errors[0]})") from None
    folder = default_personas_dir()
    usual = folder.joinpath(*name.split(".", 1)).with_suffix(".toml") if "." in name else None
    if usual is not None and usual.is_file():   # personas/<language>/<type>.toml: no need to read them all
        try:
            persona = load_persona(usual)
            if persona.id == name:
                return persona
        except PersonaFileError:
            pass
    personas = load_personas(folder).personas
    for persona in personas:
        if persona.id == name:
            return persona
    raise LookupError(f"no persona {name!r} (known: {', '.join(sorted(p.id for p in personas)) or 'none'})")


def _lines(stream: TextIO, prompt: str) -> Iterator[str]:
    """The replies as they come (a prompt first when someone types them)."""
    while True:
        if prompt:
            print(prompt, end="", flush=True)
        line = stream.readline()
        if not line:
            return
        yield line


def _readable(call: TypedCall, persona: Persona, replies: Iterable[str], echo: bool, out: TextIO) -> None:
    scenario = call.session.scenario
    print(f"{persona.display_name} ({persona.id}) - {scenario.title} [{scenario.id}]", file=out)
    for played in call.play(replies):
        if played.reply is not None and echo:
            print(f"{'trainee':>8}  > {played.reply}", file=out)
        print(_customer_line(played), file=out, flush=True)
    ending = call.ending
    print(f"Ending: {ending.kind} - {ending.reason}" if ending else
          f"The call did not end ({call.session.engine.turns} replies).", file=out)
    print(_scorecard(call), file=out)


def _customer_line(played: PlayedLine) -> str:
    line = played.line
    filled = round(line.mood / 100 * BAR_WIDTH)
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    return f"{'customer':>8}  [{bar}] {line.mood:5.1f} {line.band:<8} {line.text}"


def _scorecard(call: TypedCall) -> str:
    """The short scorecard: overall, the criteria scored on words, and the findings."""
    result = call.analysis().to_json()
    score = result["score"]
    criteria = "  ".join(f"{k} {v}" for k, v in score.items() if k != "overall")
    lines = [f"Score: {score['overall']}/100  {criteria}"]
    for finding in result["findings"]:
        where = f"turn {finding['turn']}" if finding["turn"] is not None else "call"
        lines.append(f"  [{where}] {finding['code']}: {finding['message']}")
    return "\n".join(lines)
