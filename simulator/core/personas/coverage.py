"""Warnings about a valid persona that would sound like a loop or leak between scenarios: too few lines in
a mood band or a reaction for a 12-turn call (a reaction counts the lines it may say whatever words fired
it; lines kept for a phrase group with `when` come on top), a line used in more than one scenario, a
scenario whose customer cannot answer questions about their own case, a reaction line that quotes words
it cannot know were said. `personas check` prints them; they do not make a file invalid."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from simulator.core.analysis.text import normalise
from simulator.core.personas.errors import PersonaError, field_name
from simulator.core.personas.locate import LineIndex
from simulator.core.personas.model import BAND_NAMES, Persona

_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
MIN_BAND_LINES = 10
MIN_REACTION_LINES = 4

Where = tuple[str | int, ...]


def persona_warnings(persona: Persona) -> list[PersonaError]:
    """Every warning of one persona, located in its file when it has one."""
    index = _index(persona.source)
    return [PersonaError(persona.source or Path(persona.id), index.line_of(where) if index else None,
                         field_name(where), f"warning: {message}")
            for where, message in _warnings(persona)]


def _index(source: Path | None) -> LineIndex | None:
    try:
        return LineIndex(source.read_text(encoding="utf-8")) if source else None
    except OSError:
        return None


def _warnings(persona: Persona) -> Iterator[tuple[Where, str]]:
    for band in BAND_NAMES:
        short = {s.id: len(persona.pool(band, s)) for s in persona.scenarios}
        yield from _short(("lines", band), f"{band} lines", short, MIN_BAND_LINES)
    events = dict.fromkeys(r.on for r in persona.reactions)
    for event in events:
        first = next(i for i, r in enumerate(persona.reactions) if r.on == event)
        counts = {s.id: sum(len(r.lines) for r in persona.reactions if r.on == event and not r.when
                            and (not r.scenarios or s.id in r.scenarios)) for s in persona.scenarios}
        yield from _short(("reactions", first, "lines"), f"lines for reaction {event!r} whatever the words (no `when`)",
                          counts, MIN_REACTION_LINES)
    for s_index, scenario in enumerate(persona.scenarios):
        if not scenario.case:
            yield ("scenarios", s_index), f"scenario {scenario.id} has no [scenarios.case]: the customer cannot answer questions about it"
    if any(s.case for s in persona.scenarios) and not persona.answers:
        yield ("answers",), "no [answers]: questions about the case are not answered"
    if not persona.escalation:
        yield ("escalation",), "no [escalation] lines (12345, 消协, the papers, a solicitor ...)"
    yield from _reused(persona)
    yield from _unscoped_quotes(persona)


def _short(where: Where, what: str, counts: dict[str, int], least: int) -> Iterator[tuple[Where, str]]:
    """One warning for every scenario short of lines (a count per scenario when they differ)."""
    short = {sid: n for sid, n in counts.items() if n < least}
    if not short:
        return
    if len(set(short.values())) == 1 and len(short) == len(counts):
        yield where, f"{next(iter(short.values()))} {what} (at least {least})"
    else:
        yield where, f"{what}: " + ", ".join(f"{n} in scenario {sid}" for sid, n in short.items()) + f" (at least {least})"


def _reused(persona: Persona) -> Iterator[tuple[Where, str]]:
    """A line of one scenario (its lines, its opening, a reaction scoped to it alone) that another scenario
    or the persona-wide pools also say: it leaks one case's details into another, or repeats."""
    shared = {line for pool in persona.lines.values() for line in pool}
    owner: dict[str, str] = {}
    for s_index, scenario in enumerate(persona.scenarios):
        own: list[tuple[Where, str]] = [(("scenarios", s_index, "opening"), line) for line in scenario.opening]
        own += [(("scenarios", s_index, "lines", band), line) for band, pool in scenario.lines.items() for line in pool]
        own += [(("reactions", r_index, "lines"), line) for r_index, reaction in enumerate(persona.reactions)
                if reaction.scenarios == (scenario.id,) for line in reaction.lines]
        for where, line in own:
            previous = owner.setdefault(line, scenario.id)
            if previous != scenario.id:
                yield where, f"line {line!r} is used in scenario {previous} and in {scenario.id}"
            elif line in shared:
                yield where, f"line {line!r} of scenario {scenario.id} is also in the persona-wide [lines]"


def _unscoped_quotes(persona: Persona) -> Iterator[tuple[Where, str]]:
    """A reaction line that quotes words ("什么叫“不可能”？") fires on any words of its event, so it can
    quote words nobody said: it belongs in a reaction with `when`, or quotes through {said}. In a `when`
    reaction it may quote only what each of its `when` words holds (when = ["尽快"] cannot quote “我们会尽快”:
    the trainee may have said 我尽快)."""
    for r_index, reaction in enumerate(persona.reactions):
        for l_index, line in enumerate(reaction.lines):
            quoted = [a or b for a, b in _QUOTE.findall(line) if (a or b) != "{said}"]
            where = ("reactions", r_index, "lines", l_index)
            if quoted and not reaction.when:
                yield where, f"quotes {quoted[0]!r} whatever the trainee said: add `when` or quote with {{said}}"
                continue
            for words in quoted:
                if not all(_bare(words, persona.language) in _bare(w, persona.language) for w in reaction.when):
                    yield where, (f"quotes {words!r}, more than its `when` words {list(reaction.when)} say were said:"
                                  " quote only those words, or with {said}")
                    break


def _bare(text: str, language: str) -> str:
    """Text normalised without punctuation or spaces, to compare a quote with `when` words."""
    return re.sub(r"[\W_]+", "", normalise(text, language))
