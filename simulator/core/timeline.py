"""The call timeline: the stable interchange format between the live call, storage and analysis.

Times are seconds from the call start. See README "Call timeline format" and
simulator/data/timeline.schema.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from simulator.core.nesting import MAX_DEPTH, too_deep

FORMAT_VERSION = 1
MAX_TURN_CHARS = 200_000   # about 14 hours of speech in one turn: anything longer is not a call
MAX_CALL_SECONDS = 4 * 3600  # the longest call analysed; longer ones would keep a reviewer waiting for minutes
Speaker = Literal["customer", "trainee"]
SPEAKERS: tuple[str, ...] = ("customer", "trainee")


class TimelineError(ValueError):
    """A timeline file or object that does not follow the format."""


@dataclass(frozen=True)
class Word:
    word: str
    start: float
    end: float
    conf: float = 1.0


@dataclass
class Turn:
    speaker: Speaker
    start: float
    end: float
    text: str
    words: list[Word] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)

    def timed_words(self) -> list[Word]:
        """Words with times; without recognised words, spread the text evenly over the turn."""
        if self.words:
            return list(self.words)
        tokens = _tokens(self.text)
        if not tokens:
            return []
        step = self.duration / len(tokens)
        return [Word(t, self.start + i * step, self.start + (i + 1) * step) for i, t in enumerate(tokens)]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"speaker": self.speaker, "start": self.start, "end": self.end, "text": self.text}
        if self.words is not None:
            out["words"] = [{"word": w.word, "start": w.start, "end": w.end, "conf": w.conf} for w in self.words]
        out.update(self.extra)
        return out


@dataclass
class Timeline:
    language: str
    persona: str
    turns: list[Turn] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def by(self, speaker: Speaker) -> list[Turn]:
        return [t for t in self.turns if t.speaker == speaker]

    def last(self, speaker: Speaker, before: int | None = None) -> Turn | None:
        """The speaker's latest turn (among the first `before` turns when given)."""
        return next((t for t in reversed(self.turns[:before]) if t.speaker == speaker), None)

    @property
    def duration(self) -> float:
        return max((t.end for t in self.turns), default=0.0)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "language": self.language,
            "persona": self.persona,
            "turns": [t.to_json() for t in self.turns],
        }
        out.update(self.extra)
        return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, data: Any) -> "Timeline":
        validate(data)
        turns = []
        for t in data["turns"]:
            words = None
            if "words" in t:
                words = [Word(w["word"], float(w["start"]), float(w["end"]), float(w.get("conf", 1.0))) for w in t["words"]]
            extra = {k: v for k, v in t.items() if k not in {"speaker", "start", "end", "text", "words"}}
            turns.append(Turn(t["speaker"], float(t["start"]), float(t["end"]), t["text"], words, extra))
        extra = {k: v for k, v in data.items() if k not in {"version", "language", "persona", "turns"}}
        return cls(data["language"], data["persona"], turns, extra)

    @classmethod
    def load(cls, path: str | Path) -> "Timeline":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_reject_constant)
        except OSError as exc:
            raise TimelineError(f"{path}: cannot read ({exc.strerror})") from exc
        except UnicodeDecodeError as exc:
            raise TimelineError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
        except json.JSONDecodeError as exc:
            raise TimelineError(f"{path}: not JSON (line {exc.lineno}: {exc.msg})") from exc
        except RecursionError:
            raise TimelineError(f"{path}: nested too deeply (more than {MAX_DEPTH} levels)") from None
        except TimelineError as exc:
            raise TimelineError(f"{path}: {exc}") from exc
        try:
            return cls.from_json(data)
        except TimelineError as exc:
            raise TimelineError(f"{path}: {exc}") from exc


def schema() -> dict[str, Any]:
    text = resources.files("simulator.data").joinpath("timeline.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Any:
    """The schema checked and compiled once: jsonschema.validate() re-checks the schema itself at every call,
    30 ms per timeline (review parses a stored timeline several times while it draws an attempt)."""
    import jsonschema  # imported here: recordings analysed without a timeline file need no schema check

    checked = schema()
    kind = jsonschema.validators.validator_for(checked)
    kind.check_schema(checked)
    return kind(checked)


def validate(data: Any) -> None:
    """Raise TimelineError naming the first offending field; also for input beyond the analysis limits."""
    from jsonschema.exceptions import best_match

    if too_deep(data):
        raise TimelineError(f"invalid timeline: nested too deeply (more than {MAX_DEPTH} levels)")
    error = best_match(_validator().iter_errors(data))   # the error jsonschema.validate() would raise
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise TimelineError(f"invalid timeline at {where}: {error.message}")
    for i, t in enumerate(data["turns"]):
        _check_span(f"turns/{i}", t)
        for j, w in enumerate(t.get("words", [])):
            _check_span(f"turns/{i}/words/{j}", w)
        problem = limit_problem(i, len(t["text"]), t["end"])
        if problem is not None:
            raise TimelineError(problem)


def limit_problem(turn: int, characters: int, end: float) -> str | None:
    """Why a turn is beyond what the analysis takes (its text too long, or the call past four hours), or None."""
    if characters > MAX_TURN_CHARS:
        return f"turn {turn} has {characters:,} characters; the analysis takes at most {MAX_TURN_CHARS:,} per turn"
    if end > MAX_CALL_SECONDS:
        return f"turn {turn} ends at {end:,.0f} s; the analysis takes calls of at most {MAX_CALL_SECONDS // 3600} hours"
    return None


def beyond_limits(timeline: Timeline) -> str | None:
    """The first turn beyond the analysis limits, said in one line; for timelines built in code (a live or
    typed call, a stored attempt), which never pass through validate()."""
    return next((p for i, t in enumerate(timeline.turns) if (p := limit_problem(i, len(t.text), t.end)) is not None), None)


def _check_span(where: str, item: dict[str, Any]) -> None:
    """Times must be finite (JSON output cannot carry NaN) and end no earlier than start."""
    for key in ("start", "end"):
        if not math.isfinite(item[key]):
            raise TimelineError(f"invalid timeline at {where}/{key}: {item[key]} is not a finite number")
    if item["end"] < item["start"]:
        raise TimelineError(f"invalid timeline at {where}: end {item['end']} is before start {item['start']}")


def _reject_constant(name: str) -> float:
    """json.loads hook: NaN and Infinity are not JSON numbers, so a timeline may not use them."""
    raise TimelineError(f"not JSON ({name} is not a number)")


def _tokens(text: str) -> list[str]:
    """Chinese characters count one each; other scripts split on spaces."""
    out: list[str] = []
    for chunk in text.split():
        latin = ""
        for ch in chunk:
            if _is_cjk(ch):
                if latin:
                    out.append(latin)
                    latin = ""
                out.append(ch)
            elif ch.isalnum() or ch in "'-":
                latin += ch
        if latin:
            out.append(latin)
    return out


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
