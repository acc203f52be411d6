"""What a facilitator's projector view needs, as pure rules: teachable moments kept in the call timeline,
the span of the last exchange to replay, text sizes readable from the back of a training room, colour
contrast, and which screen is the projector.

Text sizing: a character stays comfortably legible when it subtends at least ~16 arcminutes at the eye
(ANSI/HFES 100 gives 16-24'); a room's screen is sized so the farthest viewer sits about six image heights
away (the common "6H" rule), so from `distance_m` the screen is distance_m / 6 high unless told otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from simulator.core.timeline import Timeline

MOMENTS_KEY = "teachable_moments"
VIEWING_DISTANCE_M = 10.0
DISTANCE_PER_SCREEN_HEIGHT = 6.0
CAP_HEIGHT_EM = 0.7          # capital-letter height as a share of the font's pixel size (Latin; CJK glyphs are taller)
NOTE_CHARS = 60              # how much of a line a moment's note keeps

# Visual angle (arcminutes) each kind of text on the projector must reach at the viewing distance.
READING_ARCMIN: dict[str, float] = {
    "customer": 20.0,     # the customer's current line: the thing the room is following
    "partial": 20.0,      # the trainee's words while they are recognised, as large as the customer's line
    "meter": 30.0,        # the big numbers (mood, pace, loudness, pitch)
    "transcript": 16.0,   # the last few lines
    "label": 16.0,        # captions, status, the key help line
}

# Black background; every text colour reaches at least 7:1 against it (WCAG AAA).
BACKGROUND = "#000000"
TEXT_COLOURS: dict[str, str] = {
    "text": "#ffffff",         # transcript, labels
    "customer": "#ffe14d",     # the customer's current line (yellow)
    "in_band": "#5cf25c",      # a meter inside its target band
    "out_of_band": "#ff8080",  # a meter outside it (also marked with an arrow, not only by colour)
    "muted": "#c8c8c8",        # not measured / waiting
}
MOOD_COLOURS: dict[str, str] = {"calm": "#5cf25c", "annoyed": "#ffe14d", "angry": "#ffa040", "furious": "#ff8080"}
MIN_CONTRAST = 7.0

T = TypeVar("T")


@dataclass(frozen=True)
class TeachableMoment:
    """A moment the facilitator marked during the call, to come back to in the debrief."""

    time: float     # call seconds
    note: str = ""  # what was being said then

    def to_json(self) -> dict[str, Any]:
        return {"time": round(self.time, 3), "note": self.note}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TeachableMoment":
        return cls(float(data["time"]), str(data.get("note", "")))


def context_note(timeline: Timeline, time: float, limit: int = NOTE_CHARS) -> str:
    """The line being said (or last said) at `time`, shortened: what the moment was about."""
    said = [t for t in timeline.turns if t.start <= time]
    if not said:
        return ""
    text = said[-1].text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def timeline_now(timeline: Timeline, clock_now: float, played: bool) -> float:
    """The current point of the call on its timeline. When the customer's lines are played, the timeline is the
    call clock. Without playback (typed-only calls) each line is laid on the timeline for its spoken length, end
    to end, so the timeline runs ahead of the clock when replies come quickly: the line on screen then starts
    later than the clock says, and "now" is never before it."""
    if played or not timeline.turns:
        return clock_now
    return max(clock_now, max(t.start for t in timeline.turns))


def mark_moment(timeline: Timeline, time: float, note: str | None = None) -> TeachableMoment:
    """Record a teachable moment in the timeline's extra (saved with the attempt) and return it."""
    moment = TeachableMoment(max(0.0, time), context_note(timeline, time) if note is None else note)
    timeline.extra.setdefault(MOMENTS_KEY, []).append(moment.to_json())
    return moment


def moments_of(timeline: Timeline) -> list[TeachableMoment]:
    """The moments stored in a timeline, in time order."""
    return sorted((TeachableMoment.from_json(m) for m in timeline.extra.get(MOMENTS_KEY, [])), key=lambda m: m.time)


def last_exchange(timeline: Timeline, pad: float = 0.25) -> tuple[float, float] | None:
    """Call-time span of the last customer line and the trainee's reply to it (the customer line alone while
    the trainee has not answered yet), widened by `pad` each side; None before anything was said."""
    turns = timeline.turns
    reply = next((i for i in range(len(turns) - 1, -1, -1) if turns[i].speaker == "trainee"), None)
    if reply is None:
        customer = [t for t in turns if t.speaker == "customer"]
        if not customer:
            return None
        first = last = customer[-1]
    else:
        last = turns[reply]
        first = next((t for t in reversed(turns[:reply]) if t.speaker == "customer"), last)
    return max(0.0, first.start - pad), max(first.end, last.end) + pad


def screen_height_m(distance_m: float = VIEWING_DISTANCE_M) -> float:
    """The image height a room needs so that its farthest viewer, distance_m away, can read it."""
    return distance_m / DISTANCE_PER_SCREEN_HEIGHT


def projector_font_px(screen_height_px: int, role: str, distance_m: float = VIEWING_DISTANCE_M,
                      screen_m: float | None = None) -> int:
    """Font pixel size for `role` text on an image screen_height_px high, readable from distance_m.

    The capital height must subtend READING_ARCMIN[role] at distance_m; the image is screen_m metres high
    (default: screen_height_m(distance_m))."""
    screen_m = screen_height_m(distance_m) if screen_m is None else screen_m
    cap_m = distance_m * math.tan(math.radians(READING_ARCMIN[role] / 60.0))
    return max(1, math.ceil(cap_m / screen_m * screen_height_px / CAP_HEIGHT_EM))


def visual_arcmin(font_px: float, screen_height_px: int, distance_m: float = VIEWING_DISTANCE_M,
                  screen_m: float | None = None) -> float:
    """The angle (arcminutes) the capitals of a font_px font subtend from distance_m (inverse of the above)."""
    screen_m = screen_height_m(distance_m) if screen_m is None else screen_m
    cap_m = font_px * CAP_HEIGHT_EM / screen_height_px * screen_m
    return math.degrees(math.atan(cap_m / distance_m)) * 60.0


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255.0 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 = none, 21 = black on white)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def projector_screen(screens: Sequence[T], primary: T | None) -> T | None:
    """The screen for the projector view: the first screen that is not the primary one (the laptop keeps its
    own) when there are several, else the primary (None only when there is no screen at all)."""
    others = [s for s in screens if s is not primary]
    if len(screens) > 1 and others:
        return others[0]
    return primary if primary is not None else (screens[0] if screens else None)


# A letter or digit of a spaced script: what may not touch a Latin name for it to count as that word.
_SPACED_WORD_CHAR = r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
_UNSPACED_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def _name_pattern(name: str) -> str:
    """A name written in Chinese (or Japanese/Korean) script matches anywhere, since those scripts put no space
    between words; any other name only as a whole word ("Tom" not inside "Customer", "Ed" not in "called")."""
    if _UNSPACED_RE.search(name):
        return re.escape(name)
    return rf"(?<!{_SPACED_WORD_CHAR}){re.escape(name)}(?!{_SPACED_WORD_CHAR})"


def redact(text: str, names: Sequence[str], mask: str = "•••") -> str:
    """`text` with every listed name, and each part of a name of several words, masked (any case, two
    characters or more): the projector shows no trainee name even when the trainee says it ("您好，我是张三")."""
    parts = {p for n in names for p in (n.strip(), *n.split()) if len(p) >= 2}
    for name in sorted(parts, key=len, reverse=True):
        text = re.sub(_name_pattern(name), mask, text, flags=re.IGNORECASE)
    return text
