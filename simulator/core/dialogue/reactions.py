"""Which reaction line fits what the trainee actually said.

A reaction fires on an event, but its line must fit the words: a reaction written for a phrase group
(`when`) is used only when the words that triggered the event contain one of them, and a line may
quote those words through the {said} slot, as the trainee said them (their clause when it is short). A
line with {said} is never used when the words are not known or cannot be found in what was said (a
measured event, an assessment without evidence), so no line quotes words nobody said.
A reaction also fits only its mood bands and scenarios, and a calming reaction is not used in a
turn in which the mood rose (the customer does not say "就是啊" while getting angrier).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from simulator.core.analysis.text import normalise
from simulator.core.events import TurnAssessment
from simulator.core.personas.model import Reaction

SAID = "{said}"


# A quote is the clause (or run of clauses) the words were said in, as the trainee said them, when it is
# short enough to throw back at them: at most this many characters (zh) or words (en).
QUOTE_MAX = {"zh": 14, "en": 10}
_CLAUSE = re.compile(r"[^，。！？；、,.!?;\n]+")
_QUOTE_MARKS = str.maketrans("", "", "“”\"")
_SPACE_IN_ZH = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class Candidate:
    reaction: Reaction
    said: str | None    # the trainee's words that triggered the reaction, as they were matched (normalised)
    quote: str | None = None   # the same words as the trainee said them, for the {said} slot

    def lines(self) -> tuple[str, ...]:
        """The reaction's lines usable now: templates only when the words are known as said."""
        return tuple(line for line in self.reaction.lines if SAID not in line or self.quote)

    def fill(self, line: str) -> str:
        if not self.quote:
            return line
        quote = self.quote
        if line.lstrip("“\"'‘").startswith(SAID) and quote[:1].islower():   # a quote opening the line
            quote = quote[:1].upper() + quote[1:]
        return line.replace(SAID, quote)


def said_for(turn: TurnAssessment, event: str) -> str | None:
    """The words that triggered event, as the analysis matched them (normalised)."""
    words = (turn.evidence or {}).get(event, "").strip()
    return words or None


def quote_for(text: str, words: str, language: str) -> str | None:
    """The trainee's own words behind the matched (normalised) words: the shortest run of whole clauses of
    text that holds them when it is short (这个不归我管, not the matched 这个不归我; "That's not my
    department", not "that is not my department"), else the words alone as they stand in text, else None
    (then no line quotes them: a quote is never made up)."""
    lang = "zh" if language == "zh" else "en"
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(text)]
    best: tuple[int, int] | None = None
    for i, (start, _) in enumerate(clauses):
        for _, end in clauses[i:]:
            span = text[start:end].strip()
            if _size(span, lang) > QUOTE_MAX[lang]:
                break
            if words in normalise(span, lang):
                if best is None or end - start < best[1] - best[0]:
                    best = (start, end)
                break
    if best is not None:
        quote: str | None = text[best[0]:best[1]]
    else:
        quote = _words_zh(text, words) if lang == "zh" else _words_en(text, words)
    quote = (quote or "").translate(_QUOTE_MARKS).strip()
    return (_SPACE_IN_ZH.sub("", quote) if lang == "zh" else quote) or None


def _words_zh(text: str, words: str) -> str | None:
    """The matched words in text, the recogniser's spaces between characters left out."""
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    compact = "".join(text[i] for i in kept).lower()
    at = compact.find("".join(words.split()))
    return compact[at:at + len("".join(words.split()))] if at >= 0 else None


def _words_en(text: str, words: str) -> str | None:
    """The trainee's words whose normal forms are the matched words ("thats not my department" for "that is
    not my department"), word by word."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    target = words.split()
    normal: list[tuple[str, int]] = []   # (normal word, index of the token it comes from)
    for index, (start, end) in enumerate(tokens):
        normal += [(word, index) for word in normalise(text[start:end], "en").split()]
    plain = [w.strip(",.!?;:") for w, _ in normal]
    for at in range(len(plain) - len(target) + 1):
        if plain[at:at + len(target)] == [t.strip(",.!?;:") for t in target]:
            first, last = normal[at][1], normal[at + len(target) - 1][1]
            return text[tokens[first][0]:tokens[last][1]].rstrip(",.!?;:")
    return None


def _size(span: str, language: str) -> int:
    return len("".join(span.split())) if language == "zh" else len(span.split())


def fitting(fired: list[Reaction], turn: TurnAssessment, band: str, scenario_id: str, rose: bool,
            calming: Callable[[Reaction], bool]) -> list[Candidate]:
    """The fired reactions that fit the words, band and scenario, most specific first within a
    priority (a `when` reaction before a general one), highest priority first."""
    out = []
    for reaction in fired:
        said = said_for(turn, reaction.on)
        if _fits(reaction, said, turn.language, band, scenario_id) and not (rose and calming(reaction)):
            quote = quote_for(turn.text, said, turn.language) if said and _quotes(reaction) else None
            out.append(Candidate(reaction, said, quote))
    return sorted(out, key=lambda c: (-c.reaction.priority, not c.reaction.when))


def _quotes(reaction: Reaction) -> bool:
    return any(SAID in line for line in reaction.lines)


def _fits(reaction: Reaction, said: str | None, language: str, band: str, scenario_id: str) -> bool:
    """The band and scenario match, and a `when` reaction's words are among the words said (both
    normalised, so 对不起，但是 matches what the analysis reports as 对不起,但是)."""
    if reaction.bands and band not in reaction.bands:
        return False
    if reaction.scenarios and scenario_id not in reaction.scenarios:
        return False
    if not reaction.when:
        return True
    words = normalise(said, language) if said else ""
    return any(normalise(w, language) in words for w in reaction.when if w.strip())
